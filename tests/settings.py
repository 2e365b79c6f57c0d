"""Settings of the test run: the real settings with synthetic id numbers accepted, a throwaway
data dir, and PostgreSQL instead of SQLite when HSREG_TEST_DB=postgresql (dev.py test runs the
registry tests a second time that way when HSREG_TEST_DATABASE_URL is set)."""

import os
import tempfile

os.environ.setdefault("HSREG_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("HSREG_ACCEPT_SYNTHETIC_IDS", "1")
os.environ.setdefault("HSREG_INSECURE_HTTP", "1")  # the test client and live server speak http
os.environ.setdefault("HSREG_DATA_DIR", tempfile.mkdtemp(prefix="hsreg-tests-"))
if os.environ.get("HSREG_TEST_DB") == "postgresql":
    os.environ["DATABASE_URL"] = os.environ["HSREG_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

from hsreg.config.settings import *  # noqa: F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
SMS_URL = "outbox"  # SMS kept in memory (hsreg.questionnaires.sms.outbox), as mail in mail.outbox
