"""Issue 8, item 15: a production configuration passes Django's deployment checks, and with
VIGIA_HTTPS=1 every answer redirects to HTTPS, carries HSTS and secure cookies, and a strict CSP."""

import json
import os
import subprocess
import sys
from pathlib import Path

VIGIA = str(Path(sys.executable).with_name("vigia"))
PRODUCTION = {"VIGIA_HTTPS": "1", "VIGIA_EMAIL_BACKEND": "smtp", "VIGIA_SMTP_HOST": "smtp.example.pe", "VIGIA_SMTP_TLS": "1",
              "ALLOWED_HOSTS": "vigia.example.pe", "CSRF_TRUSTED_ORIGINS": "https://vigia.example.pe"}


def _env(tmp_path, **extra):
    env = {**os.environ, **PRODUCTION, "VIGIA_DATA_DIR": str(tmp_path / "datos"), **extra}
    for name in ("DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    return env


def test_deploy_checks_pass_with_https_and_smtp(tmp_path):
    result = subprocess.run([VIGIA, "manage", "check", "--deploy", "--fail-level", "WARNING"], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout and "WARNING" not in result.stdout + result.stderr


def test_the_development_email_backend_is_flagged_in_production(tmp_path):
    result = subprocess.run([VIGIA, "manage", "check", "--deploy"], env=_env(tmp_path, VIGIA_EMAIL_BACKEND="consola"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "mail.E001" in result.stdout + result.stderr


PROBE = """
import json, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
django.setup()
from django.test import Client
c = Client(HTTP_HOST="vigia.example.pe")
plain = c.get("/transparencia/")
secure = c.get("/cuentas/ingresar/", HTTP_X_FORWARDED_PROTO="https")
from django.conf import settings
print(json.dumps({"redirect": [plain.status_code, plain.get("Location")], "hsts": secure.get("Strict-Transport-Security"),
                  "csp": secure.get("Content-Security-Policy"), "cookie_secure": secure.cookies["csrftoken"]["secure"],
                  "session_secure": settings.SESSION_COOKIE_SECURE, "mail": settings.MAILERS["default"]}))
"""


def test_https_mode_redirects_and_sends_hsts_secure_cookies_and_csp(tmp_path):
    result = subprocess.run([sys.executable, "-c", PROBE], env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["redirect"] == [301, "https://vigia.example.pe/transparencia/"]
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["cookie_secure"] is True and probe["session_secure"] is True
    assert "default-src 'self'" in probe["csp"] and "unsafe-inline" not in probe["csp"]
    assert probe["mail"]["BACKEND"].endswith("smtp.EmailBackend") and probe["mail"]["OPTIONS"]["host"] == "smtp.example.pe"
    assert probe["mail"]["OPTIONS"]["use_tls"] is True and probe["mail"]["OPTIONS"]["port"] == 587
