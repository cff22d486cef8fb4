"""
Helpers for tests that work in the admin as a person would: users in the editorial groups,
admin URLs, a form posted back as it was shown, and the spreadsheet import.
"""

import csv
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse


def member(group: str, username: str, password: str = "x"):
    """A staff user in the Editor or Reviewer group."""
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_url(model, view: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The POST data of an admin form as it was shown: the form and every inline row."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


def add_row(data: dict, prefix: str, **fields) -> dict:
    """Add a new row to an inline formset of ``data``, as the "Add another" link does."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data.update({f"{prefix}-{n}-{name}": str(value) for name, value in fields.items()})
    return data


def import_csv(client, model_path: str, content: bytes):
    """Upload, check the preview, confirm; return the preview's result (errors: no confirm)."""
    upload = client.post(
        f"/admin/{model_path}/import/",
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("edited.csv", content, content_type="text/csv"),
        },
    )
    assert upload.status_code == 200
    result = upload.context["result"]
    if result.has_errors() or result.has_validation_errors():
        return result
    confirm = upload.context["confirm_form"]
    done = client.post(f"/admin/{model_path}/process_import/", confirm.initial)
    assert done.status_code == 302
    return result


def signed_in(group: str, username: str) -> Client:
    """A test client signed in as a new member of the Editor or Reviewer group."""
    client = Client()
    client.force_login(member(group, username))
    return client


def download(client, slug: str) -> list[dict]:
    """The rows of a CSV export, as a spreadsheet would open them."""
    response = client.get(f"/exports/{slug}.csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def as_csv(rows) -> bytes:
    """Rows back into a CSV file, as a spreadsheet saves them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
