"""Helpers of the browser tests: Debian's chromium driven by Playwright against `vigia serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "clave-de-prueba-2030"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served(str):
    """The server's URL, carrying the environment that points the CLI at the same database."""

    def __new__(cls, url, env):
        obj = super().__new__(cls, url)
        obj.env = env
        return obj


def serve(data_dir: Path, *options: str, workers: int = 2, wait: int = 90, **extra_env: str):
    """Start `vigia serve [options]` on a free port; yields its URL, then stops it."""
    port = free_port()
    env = {**os.environ, "VIGIA_DATA_DIR": str(data_dir), "VIGIA_ADMIN_PASSWORD": PASSWORD, "VIGIA_ADMIN_USER": "admin", **extra_env}
    vigia = Path(sys.executable).with_name("vigia")
    proc = subprocess.Popen([str(vigia), "serve", *options, "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + wait
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/transparencia/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("vigia serve terminó: " + proc.stdout.read())
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"vigia serve no respondió en {wait} s")
    try:
        yield Served(url, env)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def login(page, server, user="admin", password=PASSWORD):
    page.goto(server + "/planes/")
    assert "/cuentas/ingresar/" in page.url
    page.get_by_label("Usuario").fill(user)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(server + "/planes/")


def vigia_cli(server, *args, stdin=""):
    vigia = Path(sys.executable).with_name("vigia")
    result = subprocess.run([str(vigia), *args], env=server.env, capture_output=True, text=True, timeout=60, input=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def as_user(browser, server, user, password, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE", **options)
    page = context.new_page()
    login(page, server, user, password)
    return page


def charts_drawn(page, timeout: float = 15_000):
    """Wait until every chart of the page is drawn (charts.js marks each figure)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-vchart]')].every(f => f.classList.contains('vchart-ready'))", timeout=timeout)


def open_campaign(page, server, plan: str, name: str, year: int, opens: str, deadline: str) -> str:
    """Open a reporting campaign of every indicator of the plan on the set-up page, as the planning
    office does (its targets still to be set, with the reason recorded); returns its address."""
    page.goto(f"{server}/campanas/nueva/?plan={plan}&year={year}")
    page.get_by_role("button", name="Elegir los mostrados").click()
    page.get_by_label("Nombre", exact=True).fill(name)
    page.get_by_label("Inicio").fill(opens)
    page.get_by_label("Plazo").fill(deadline)
    page.get_by_label("Motivo para abrir con indicadores sin logro esperado").fill("Logros esperados en aprobación")
    page.get_by_role("button", name="Abrir campaña").click()
    page.locator(".msg-success", has_text="Campaña abierta con").wait_for()  # not the campaign's own history below
    return page.url
