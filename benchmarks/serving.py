"""`vigia serve` for the benchmarks: on a free loopback port, with a throw-away data folder, the
official data loaded and an administrator whose session cookie the benchmarks can use."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "clave-benchmark-2030"


def vigia() -> str:
    return str(Path(sys.executable).with_name("vigia"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(*options: str, env: dict | None = None):
    """Yields (base URL, data folder) of a running `vigia serve`; stops it and removes its data after."""
    data = tempfile.mkdtemp(prefix="vigia-bench-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([vigia(), "serve", "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**(env or os.environ), "VIGIA_DATA_DIR": data, "VIGIA_ADMIN_PASSWORD": PASSWORD,
                                   "VIGIA_ADMIN_USER": "admin"})
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/transparencia/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base, data
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


def login(base: str) -> str:
    """A new session of the administrator, as a Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/cuentas/ingresar/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(base + "/cuentas/ingresar/", body, headers={"Referer": base + "/cuentas/ingresar/"}))
    return "; ".join(f"{c.name}={c.value}" for c in jar)
