"""
Editors' accounts under attack: login lockout, the TOTP second factor, proxy headers, CSP.

The suite's settings turn the second-factor requirement off (most tests sign in with
force_login); the tests here turn it back on with override_settings.
"""

import json
import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.lib.client_address import client_address

from .admin_client import member

PASSWORD = "a-long-editor-password-1"
LOGIN = "/admin/login/"
VERIFY = "/admin/two-factor/"
SETUP = "/admin/two-factor/setup/"
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def code(key: bytes, steps_ahead: int = 0) -> str:
    """The authenticator app's code for this key, now or a few 30-second steps on."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def device_for(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def production_settings(*names, **env) -> dict | None:
    """These settings as tracker.settings computes them in production from this environment
    (a fresh interpreter, debug off); None if the settings refuse the environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    code_ = (
        "import tracker.settings as s, json; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code_],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(result.stdout) if result.returncode == 0 else None


# Lockout ---------------------------------------------------------------------------------


def test_the_limit_and_cool_off_have_safe_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_after_the_limit_even_the_right_password_is_refused_until_reset(client, db):
    member("Reviewer", "rita", PASSWORD)
    for _ in range(LIMIT - 1):
        assert log_in(client, "rita", "wrong").status_code == 200  # the form, with its error
    locked = log_in(client, "rita", "wrong")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content

    refused = log_in(client, "rita")
    assert refused.status_code == 429 and not logged_in(client)

    call_command("axes_reset_username", "rita", stdout=StringIO())
    assert log_in(client, "rita").status_code == 302 and logged_in(client)


def test_an_account_is_locked_whichever_address_the_guesses_come_from(client, db):
    member("Editor", "edna", PASSWORD)
    for n in range(LIMIT):
        log_in(client, "edna", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    assert log_in(client, "edna", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert not logged_in(client)
    call_command("axes_reset", stdout=StringIO())
    assert log_in(client, "edna", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_an_address_is_locked_whichever_accounts_it_guesses(client, db):
    member("Editor", "edna", PASSWORD)
    for n in range(LIMIT):
        log_in(client, f"guess{n}", "wrong", REMOTE_ADDR="198.51.100.7")
    assert log_in(client, "edna", REMOTE_ADDR="198.51.100.7").status_code == 429
    # The same account from another address is fine: it had no failures of its own.
    assert log_in(client, "edna", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_a_forged_forwarded_for_does_not_dodge_the_address_lock_without_a_proxy(client, db):
    member("Editor", "edna", PASSWORD)
    for n in range(LIMIT):
        log_in(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    assert log_in(client, "edna", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_a_success_clears_earlier_failures(client, db):
    member("Editor", "edna", PASSWORD)
    for _ in range(LIMIT - 1):
        log_in(client, "edna", "wrong")
    assert log_in(client, "edna").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        log_in(client, "edna", "wrong")
    assert log_in(client, "edna").status_code == 302
    client.logout()
    # The count starts again from nothing: LIMIT more failures lock the account.
    for _ in range(LIMIT - 1):
        assert log_in(client, "edna", "wrong").status_code == 200
    assert log_in(client, "edna", "wrong").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.1"),
        (1, "192.0.2.1, 198.51.100.2", "198.51.100.2"),
        (2, "192.0.2.1, 198.51.100.2", "192.0.2.1"),
        (2, "forged, 192.0.2.1, 198.51.100.2", "192.0.2.1"),
        (3, "198.51.100.2", "198.51.100.2"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_read_as_the_rate_limit_reads_it(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(NUM_PROXIES=proxies):
        assert client_address(request) == expected


# Second factor ---------------------------------------------------------------------------


def test_reviewers_and_superusers_need_a_second_factor_by_default():
    assert production_settings("OTP_REQUIRED_FOR") == {"OTP_REQUIRED_FOR": "reviewers"}
    staff = production_settings("OTP_REQUIRED_FOR", DJANGO_OTP_REQUIRED_FOR="staff")
    assert staff == {"OTP_REQUIRED_FOR": "staff"}
    assert production_settings("OTP_REQUIRED_FOR", DJANGO_OTP_REQUIRED_FOR="never") is None


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_a_reviewer_without_a_device_enrols_before_reaching_the_admin(client, db):
    rita = member("Reviewer", "rita", PASSWORD)
    response = log_in(client, "rita")
    assert response.status_code == 302 and logged_in(client)
    # Every admin page sends an unverified Reviewer to the second-factor step.
    for url in ("/admin/", "/admin/prisoners/person/", "/admin/auth/user/"):
        step = client.get(url)
        assert step.status_code == 302
        assert step["Location"].startswith(f"{VERIFY}?next=")
    # With no device yet, that step is the enrolment page: QR code, key and otpauth URI.
    assert client.get(VERIFY + "?next=/admin/")["Location"].startswith(SETUP)
    page = client.get(SETUP + "?next=/admin/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=rita)
    assert not device.confirmed
    html = page.content.decode()
    assert "<svg" in html and "otpauth://totp/" in html
    key = b32decode(re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", ""))
    assert key == device.bin_key

    with override_settings(OTP_TOTP_THROTTLE_FACTOR=3600):  # wait an hour after a wrong code
        wrong = client.post(SETUP, {"token": "000000" if code(key) != "000000" else "111111"})
        assert wrong.status_code == 200 and "not right" in wrong.content.decode()
        too_soon = client.post(SETUP, {"token": code(key)})
        assert too_soon.status_code == 200 and "wait" in too_soon.content.decode()
    assert client.get("/admin/").status_code == 302

    TOTPDevice.objects.get(user=rita).throttle_reset()  # rather than wait
    done = client.post(SETUP, {"token": code(key), "next": "/admin/prisoners/person/"})
    assert done.status_code == 302 and done["Location"] == "/admin/prisoners/person/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_a_reviewer_with_a_device_needs_a_valid_code(client, db):
    rita = member("Reviewer", "rita", PASSWORD)
    device = device_for(rita)
    log_in(client, "rita")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get(VERIFY).status_code == 200
    # Enrolling another device needs the current one first.
    assert client.get(SETUP)["Location"].startswith(f"{VERIFY}?next=")

    wrong = client.post(VERIFY, {"token": "12345"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302

    ok = client.post(VERIFY, {"token": code(device.bin_key), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/prisoners/person/").status_code == 200


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_a_code_is_good_once(client, db):
    rita = member("Reviewer", "rita", PASSWORD)
    device = device_for(rita)
    token = code(device.bin_key)
    log_in(client, "rita")
    assert client.post(VERIFY, {"token": token}).status_code == 302
    client.logout()
    log_in(client, "rita")
    replay = client.post(VERIFY, {"token": token})
    assert replay.status_code == 200
    assert client.get("/admin/").status_code == 302


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_next_never_leaves_the_site(client, db):
    rita = member("Reviewer", "rita", PASSWORD)
    device = device_for(rita)
    log_in(client, "rita")
    ok = client.post(VERIFY, {"token": code(device.bin_key), "next": "https://evil.example/"})
    assert ok["Location"] == "/admin/"


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_a_superuser_needs_the_second_factor(client, editor):
    client.force_login(editor)  # the conftest's superuser
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("policy", "editor_asked", "reviewer_asked"),
    [("reviewers", False, True), ("staff", True, True), ("off", False, False)],
)
def test_who_is_asked_follows_the_setting(client, db, policy, editor_asked, reviewer_asked):
    edna, rita = member("Editor", "edna"), member("Reviewer", "rita")
    with override_settings(OTP_REQUIRED_FOR=policy):
        for user, asked in ((edna, editor_asked), (rita, reviewer_asked)):
            client.force_login(user)
            assert client.get("/admin/").status_code == (302 if asked else 200), user
            client.logout()


@override_settings(OTP_REQUIRED_FOR="off")
def test_whoever_enrolled_is_asked_even_when_not_required(client, db):
    edna = member("Editor", "edna")
    device_for(edna)
    client.force_login(edna)
    assert client.get("/admin/").status_code == 302
    device_for(member("Editor", "erik"), confirmed=False)  # started enrolling, never confirmed
    client.force_login(get_user_model().objects.get(username="erik"))
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_REQUIRED_FOR="reviewers")
def test_the_local_account_works_with_the_printed_password_and_key(client, db):
    out = StringIO()
    call_command("prepare_local_site", stdout=out)
    printed = out.getvalue()
    password = re.search(r"password: (\S+)", printed).group(1)
    key = b32decode(re.search(r"key:\s+([A-Z2-7]+)", printed).group(1))
    assert "otpauth://totp/" in printed and "█" in printed  # the link and the QR code

    assert log_in(client, "editor", password).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.post(VERIFY, {"token": code(key)}).status_code == 302
    assert client.get("/admin/").status_code == 200

    again = StringIO()
    call_command("prepare_local_site", stdout=again)
    assert "key:" not in again.getvalue() and "password" not in again.getvalue()


# HTTPS behind (or not behind) a proxy ----------------------------------------------------


def production_security(**env) -> dict:
    """The HTTPS settings that production-like environment variables give."""
    loaded = production_settings(
        "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "NUM_PROXIES", **env
    )
    if loaded["SECURE_PROXY_SSL_HEADER"]:
        loaded["SECURE_PROXY_SSL_HEADER"] = tuple(loaded["SECURE_PROXY_SSL_HEADER"])
    return loaded


def test_a_forged_forwarded_proto_is_redirected_when_not_behind_a_proxy(client, db):
    with override_settings(**production_security()):
        response = client.get(LOGIN, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"


def test_behind_a_proxy_its_forwarded_proto_is_believed(client, db):
    with override_settings(**production_security(DJANGO_NUM_PROXIES="1")):
        assert client.get(LOGIN, HTTP_X_FORWARDED_PROTO="https").status_code == 200
        assert client.get(LOGIN).status_code == 301


# Content-Security-Policy -----------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", [LOGIN, "/admin/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_every_page_has_a_policy_and_its_inline_code_carries_the_nonce(client, editor, url):
    if url != LOGIN:
        client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "'unsafe-inline'" not in csp["style-src"]
    nonces = [v[len("'nonce-") : -1] for v in scripts if v.startswith("'nonce-")]
    nonce = nonces[0] if nonces else None
    html = response.content.decode()
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    if url.startswith("/api/"):  # Swagger UI's and Redoc's start-up (the admin has none)
        assert inline, "the page has inline code to check"
    for tag, attrs in inline:
        if 'type="application/json"' not in attrs:
            assert f'nonce="{nonce}"' in attrs, (tag, attrs)
    assert "onchange=" not in html and "onclick=" not in html
    assert "googleapis" not in html


def test_each_response_gets_its_own_nonce(client, db):
    first, second = (policy(client.get("/api/v1/docs/"))["script-src"] for _ in range(2))
    assert first != second
