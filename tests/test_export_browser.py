"""The HTML view in headless Chromium: the search box finds a person, round 1 is drawn, nothing is fetched."""

from __future__ import annotations

import socket
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from debian_tools import require_program
from export_plans import NAMES, SEATING, TABLES, plan
from mixer.export import export_plan

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
         "--disable-client-side-phishing-detection", "--disable-component-extensions-with-background-pages",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,AutofillServerCommunication")
# Chromium's own housekeeping, which the flags above do not all stop; the page itself must ask nobody.
BROWSER_HOSTS = ("update.googleapis.com", "accounts.google.com", "clients2.google.com")


VOID = {"meta", "input", "br", "img", "link", "hr", "circle", "rect", "polygon"}


class Requests:
    """A proxy on loopback that refuses and records every request Chromium sends out through it."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    line = conn.recv(1024).split(b"\r\n")[0]
                    if line:  # an empty line: Chromium opened a spare connection and asked nothing on it
                        self.seen.append(line)
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self.server.close()


class Elements(HTMLParser):
    """Every element's tag and attributes, and the text of elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_of: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in VOID:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for key in self._open:
            if key:
                self.text_of[key] = self.text_of.get(key, "") + data


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_program("chromium", "chromium")


class Site:
    """Serves a folder on loopback and records every path asked for."""

    def __init__(self, folder: Path) -> None:
        paths = self.paths = []

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args) -> None:
                paths.append(self.path)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def dump_dom(chromium: str, page: Path, fragment: str, tmp_path: Path) -> tuple[Elements, list[str]]:
    """The page's DOM after its script ran, and every request it made (to its own site or out)."""
    proxy, site = Requests(), Site(page.parent)
    try:
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                               f"--proxy-server=http://127.0.0.1:{proxy.port}", "--dump-dom",
                               f"{site.url}/{page.name}{fragment}"], capture_output=True, text=True, timeout=120)
    finally:
        proxy.close()
        site.close()
    assert done.returncode == 0, done.stderr[-2000:]
    parsed = Elements()
    parsed.feed(done.stdout)
    out = [line.decode(errors="replace") for line in proxy.seen]
    requests = [f"out: {line}" for line in out if not any(host in line for host in BROWSER_HOSTS)]
    requests += [f"site: {path}" for path in site.paths if path != f"/{page.name}"]
    return parsed, requests


def test_search_box_finds_a_person_and_round_one_is_drawn_without_any_request(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    export_plan(plan(), "html", page)
    dom, requests = dump_dom(chromium, page, f"#q={quote('wojcik')}", tmp_path)
    rows = [a for tag, a in dom.elements if tag == "tr" and "data-person" in a]
    assert len(rows) == len(NAMES)
    shown = [a["data-person"] for a in rows if "hidden" not in a]
    assert shown == ["1"], "the search for 'wojcik' should leave only Małgorzata Wójcik-Żółć"
    assert dom.text_of.get("found") == "1 person found"
    lit = [a["data-person"] for tag, a in dom.elements if tag == "g" and "hit" in (a.get("class") or "").split()]
    assert lit == ["1"] * len(SEATING)  # her dot in every round
    tables = [a["data-table"] for tag, a in dom.elements if tag == "g" and "data-table" in a]
    assert tables[:len(SEATING[0])] == [t.id for t in TABLES]
    dots = [a for tag, a in dom.elements if tag == "g" and "dot" in (a.get("class") or "").split()]
    assert len(dots) == sum(len(group) for rnd in SEATING for group in rnd)
    assert requests == [], f"the page made requests: {requests}"
