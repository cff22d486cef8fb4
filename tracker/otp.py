"""
The admin's second factor: a TOTP code from an authenticator app (django-otp).

After the password, a user who must give a code (see ``second_factor_required``) is sent
from any admin page to /admin/two-factor/, which asks for the code, or, for a user who has
not enrolled an app yet, to /admin/two-factor/setup/, which shows the app's secret (QR
code, drawn here as SVG, and text) and confirms it with a first code. Until then the rest
of the admin answers with that redirect. Wrong codes slow down (django-otp's throttling);
wrong passwords lock out (django-axes, see settings).
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

# Whoever holds one of these may publish, or may make themselves someone who can.
REVIEWER_PERMISSIONS = (
    "prisoners.publish_records",
    "auth.add_user",
    "auth.change_user",
    "auth.change_group",
)

DEVICE_NAME = "Authenticator app"


def second_factor_required(user) -> bool:
    """Whether this signed-in user must give a TOTP code before using the admin."""
    if not user.is_authenticated:
        return False
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return True  # whoever enrolled an app is always asked for it
    policy = settings.OTP_REQUIRED_FOR
    if policy == "staff":
        return user.is_staff or user.is_superuser
    if policy == "reviewers":
        return user.is_superuser or any(user.has_perm(p) for p in REVIEWER_PERMISSIONS)
    return False


class RequireOTPMiddleware:
    """Send a signed-in but unverified user from the admin to the second-factor step."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("admin:index")

    @cached_property
    def open_paths(self) -> frozenset[str]:
        """The admin pages a user reaches before the second factor."""
        names = ("admin:login", "admin:logout", "admin:jsi18n", "otp-verify", "otp-setup")
        return frozenset(reverse(name) for name in names)

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(self.admin_prefix)
            and path not in self.open_paths
            and request.user.is_authenticated
            and not request.user.is_verified()
            and second_factor_required(request.user)
        ):
            return redirect_with_next("otp-verify", request.get_full_path())
        return self.get_response(request)


def redirect_with_next(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits the app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def check(self, device: TOTPDevice) -> bool:
        """Verify the code against the device; on failure, say why on the form."""
        allowed, extra = device.verify_is_allowed()
        if not allowed:
            if extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                self.add_error("token", _("Too many wrong codes: wait a little, then retry."))
            else:
                self.add_error("token", _("Codes cannot be checked just now."))
            return False
        if device.verify_token(self.cleaned_data["token"].strip()):
            return True
        self.add_error("token", _("That code is not right, or has been used already."))
        return False


def mark_verified(request, device: TOTPDevice) -> None:
    request.session.cycle_key()  # a new session id for the new privilege
    otp_login(request, device)


def page(request, template: str, **context):
    context = {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,
        "next": safe_next(request),
        **context,
    }
    return render(request, template, context)


@never_cache
@login_required(login_url="admin:login")
def verify(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").last()
    if device is None:
        return redirect_with_next("otp-setup", safe_next(request))
    if user.is_verified():
        return redirect(safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if form.check(device):
            mark_verified(request, device)
            return redirect(safe_next(request))
    return page(request, "admin/two_factor/verify.html", form=form, title=_("Two-factor check"))


@never_cache
@login_required(login_url="admin:login")
def setup(request):
    """Enrol an authenticator app; replacing one needs a code from the current one first."""
    user = request.user
    if not user.is_staff:
        return redirect("admin:login")
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device and not user.is_verified():
        return redirect_with_next("otp-verify", request.get_full_path())
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").last()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if form.check(device):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            mark_verified(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(safe_next(request))
    return page(
        request,
        "admin/two_factor/setup.html",
        form=form,
        title=_("Set up two-factor authentication"),
        replacing=has_device,
        otpauth_uri=device.config_url,
        secret=spaced_secret(device),
        qr_svg=qr_svg(device.config_url),
    )


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def spaced_secret(device: TOTPDevice) -> str:
    secret = secret_base32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code: drawn here, no image service sees the secret."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308  (segno's own markup; the URI is encoded, not quoted)


def create_confirmed_device(user) -> TOTPDevice:
    """A ready TOTP device for a user (the local account that `make run` prepares)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
