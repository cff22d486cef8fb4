"""Settings for the test suite: production settings with a throwaway key and plain HTTP."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-not-a-secret")

from tracker.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405  (WhiteNoise warns when its root is missing)
# No rate limits: the tests of the limits set their own (tests/test_hostile.py).
API_ANON_RATE = EXPORT_RATE = DATAPACKAGE_RATE = SITE_RATE = None
# No statement limit on a loaded test machine; tests/test_hostile.py sets its own.
PUBLIC_STATEMENT_TIMEOUT_MS = 0
# Most tests sign in with client.force_login(), which gives no second factor; the
# requirement itself (default: Reviewers and superusers) is tested in tests/test_accounts.py.
OTP_REQUIRED_FOR = "off"
