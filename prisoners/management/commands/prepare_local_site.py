"""
Make a local database ready to try: seed data on a fresh database, and one editor account.

Used by `make run`. On a database that already holds people, the seed is not reloaded, so
local edits to seeded records survive a restart. The account's random password is printed
once, when the account is created; it is never stored in plain text or printed again.

The account is a Reviewer, and Reviewers need a second factor (settings.OTP_REQUIRED_FOR),
so unless that is "off" the account also gets a TOTP device, whose key is printed once with
the password, as text, as an otpauth:// link and as a QR code for an authenticator app.
"""

import io
import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from prisoners.models import Person

USERNAME = "editor"


class Command(BaseCommand):
    help = "Load the seed data into an empty database and create the local reviewer account."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="Where the admin will be."
        )

    def handle(self, *args, url, **options):
        with transaction.atomic():
            if Person.objects.exists():
                self.stdout.write("Database already holds records: seed data not reloaded.")
            else:
                call_command("loaddata", "seed", verbosity=0)
                call_command("refresh_statuses", verbosity=0, stdout=self.stdout)
                call_command("populate_history", auto=True, verbosity=0, stdout=self.stdout)
                self.stdout.write(f"Loaded seed data: {Person.objects.count()} people.")
            created = self._ensure_editor()
        if created:
            password, device = created
            line = "=" * 64
            self.stdout.write(
                f"\n{line}\nLocal reviewer account created (shown once, not stored):\n"
                f"  user:     {USERNAME}\n  password: {password}\n"
            )
            if device:
                self._show_device(device)
            self.stdout.write(f"  admin:    {url}\n{line}\n")
        else:
            self.stdout.write(f"Local reviewer account “{USERNAME}” already exists.")

    def _ensure_editor(self) -> tuple[str, TOTPDevice | None] | None:
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            return None
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=USERNAME, password=password, is_staff=True)
        # A Reviewer, so that a new user can try the whole workflow, publishing included.
        user.groups.add(Group.objects.get(name="Reviewer"))
        device = None
        if settings.OTP_REQUIRED_FOR != "off":
            device = TOTPDevice.objects.create(user=user, name="Authenticator app")
        return password, device

    def _show_device(self, device: TOTPDevice) -> None:
        key = b32encode(device.bin_key).decode("ascii")
        qr = io.StringIO()
        segno.make(device.config_url, error="m").terminal(out=qr, compact=True)
        self.stdout.write(
            "  two-factor key (add it to an authenticator app: scan the QR code below,\n"
            "  or type the key, or open the otpauth link; the admin then asks for the app's\n"
            "  six-digit code after the password. Without an app: oathtool --totp -b KEY):\n"
            f"  key:      {key}\n  otpauth:  {device.config_url}\n"
        )
        self.stdout.write(qr.getvalue())
