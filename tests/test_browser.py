"""Build the HTML book and check every chapter in headless Chromium.

For each page listed in ``_toc.yml`` (the landing page and every chapter)
the test asserts that it loads without a
console error, that every image loads, that every internal link and anchor
resolves, and that the Colab and Binder launch buttons point at the page's
own notebook (chapters only, since the landing page is Markdown). It saves a full-page screenshot of each page under
``_build/screenshots/``.

The pages are served on 127.0.0.1, and every request to another host is
intercepted. Sphinx loads the MathJax script from a CDN, so the test serves
it from a local npm copy in ``_build/vendor/node_modules/mathjax``, which it
installs with ``npm`` when the copy is missing. Any other outside request is
aborted and reported as a failure.

Needs Debian's ``chromium`` (``/usr/bin/chromium``), the ``playwright``
Python package and ``npm``; it is skipped without them on a developer
machine and fails without them when the environment variable ``CI`` is set.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from movierec_utils.book_runner import toc_entries

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
MATHJAX = ROOT / "_build" / "vendor" / "node_modules" / "mathjax"
CHROMIUM = Path("/usr/bin/chromium")
CDN_MATHJAX = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@3/(?P<path>.+)$")
REPOSITORY = "movierec/movierec"


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (signature of the base class)
        pass


@pytest.fixture(scope="module")
def site():
    """Build the book from the stored outputs and serve it on 127.0.0.1."""
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing; install Debian's chromium package")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _require(False, "the playwright package is not installed")

    if not (MATHJAX / "es5" / "tex-mml-chtml.js").is_file():
        npm = shutil.which("npm")
        _require(npm is not None, "npm is missing, so the local MathJax copy cannot be installed")
        install = subprocess.run(
            [npm, "install", "--silent", "--no-save", "--prefix", str(MATHJAX.parents[1]),
             "mathjax@3.2.2"],
            capture_output=True, text=True, timeout=300, check=False,
        )
        _require(install.returncode == 0, f"npm could not install MathJax: {install.stderr[-500:]}")

    script = Path(sys.executable).with_name("jupyter-book")
    executable = str(script) if script.exists() else shutil.which("jupyter-book")
    build = subprocess.run(
        [executable, "build", str(ROOT), "--warningiserror", "--keep-going"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert build.returncode == 0, f"jupyter-book build failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"

    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _toc_pages() -> list[str]:
    return [f"{entry}.html" for entry in toc_entries(ROOT)]


def _serve_outside_request(route, blocked: list[str]) -> None:
    url = route.request.url
    if urlsplit(url).hostname == "127.0.0.1":
        route.continue_()
        return
    match = CDN_MATHJAX.match(url)
    if match and (MATHJAX / match["path"]).is_file():
        route.fulfill(path=str(MATHJAX / match["path"]))
        return
    blocked.append(url)
    route.abort()


def _anchor_exists(html: str, anchor: str) -> bool:
    pattern = rf'(id|name)="{re.escape(unquote(anchor))}"'
    return re.search(pattern, html) is not None


@pytest.mark.parametrize("page_path", _toc_pages())
def test_chapter_page_in_browser(site, browser, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: _serve_outside_request(route, blocked))

    response = page.goto(f"{site}/{page_path}", wait_until="networkidle")
    assert response is not None and response.ok, f"{page_path} returned {response and response.status}"

    images = page.eval_on_selector_all(
        "img", "nodes => nodes.map(n => [n.currentSrc || n.src, n.complete, n.naturalWidth])"
    )
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert not broken, f"images that did not load on {page_path}: {broken}"

    hrefs = page.eval_on_selector_all("a[href]", "nodes => nodes.map(n => n.href)")
    internal = sorted({href for href in hrefs if href.startswith(site)})
    missing = []
    for href in internal:
        target, anchor = urldefrag(href)
        reply = page.request.get(target)
        if not reply.ok:
            missing.append(f"{href} (HTTP {reply.status})")
        elif anchor and not _anchor_exists(reply.text(), anchor):
            missing.append(f"{href} (no element with id {anchor!r})")
    assert not missing, f"internal links that do not resolve on {page_path}: {missing}"

    notebook = Path(page_path).with_suffix(".ipynb").as_posix()
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/")]
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/")]
    if (ROOT / notebook).exists():
        expected_colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/{notebook}"
        assert colab == [expected_colab], f"Colab button on {page_path}: {colab}"
        assert len(binder) == 1, f"Binder buttons on {page_path}: {binder}"
        assert binder[0].endswith(f"urlpath=lab/tree/{notebook}"), f"Binder button on {page_path}: {binder}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(page_path).stem}.png"), full_page=True)
    page.close()

    assert not blocked, f"requests to other hosts from {page_path}: {blocked}"
    assert not errors, f"console errors on {page_path}: {errors}"
