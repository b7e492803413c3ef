"""End to end in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import EXAMPLE_DOCS, ROOT
from hostile import MARKER, write_hostile_corpus

from jupyter_docchat.qa.llm import free_port

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("jupyterlab")

CELLS = [
    "%load_ext docchat\n%config DocChat.progress = False",
    "%docchat_index docs --quiet",
    "%docchat_chat",
    # Asked so that the hostile notes (which say where to click) are among the sources shown.
    "%%ask --k 8\nWhat does deposit insurance cover, and where do I click for it?",
]


def _write_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    write_hostile_corpus(root / "docs")
    _write_notebook(root / "chat.ipynb")
    shutil.copytree(EXAMPLE_DOCS, root / "documents")  # for examples/notebook_sources.ipynb, as in examples/
    shutil.copy(ROOT / "examples" / "notebook_sources.ipynb", root / "notebook_sources.ipynb")
    settings = root / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    log_path = tmp_path_factory.mktemp("lab-log") / "lab.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.5)
    yield url, token, root
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_chat_box_answers_with_sources_and_stays_inert(lab) -> None:
    url, token, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                  "--no-first-run", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        try:
            page.goto(f"{url}/lab/tree/chat.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=300_000)
            _wait_for_idle_kernel(page, "chat.ipynb")
            page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            page.keyboard.press("Shift+Enter")
            page.get_by_text(re.compile(r"docs: \d+ added")).wait_for(timeout=300_000)
            page.keyboard.press("Shift+Enter")
            box = page.locator(".docchat-chat")
            box.locator(".widget-text input").wait_for(timeout=300_000)

            box.locator(".widget-text input").fill("What is the standard deposit insurance amount?")
            box.locator(".widget-text input").press("Enter")
            box.locator(".docchat-transcript .dc-sources li").first.wait_for(timeout=300_000)
            _wait_until_answered(box)
            transcript = box.locator(".docchat-transcript").inner_text()
            assert "250,000" in transcript and "deposit_insurance.pdf" in transcript
            box.locator(".docchat-transcript summary").first.click()
            box.locator(".docchat-transcript details[open]").first.wait_for(timeout=300_000)
            # The README's picture: the question and its answer at the top, the first source open below.
            # The transcript is a column-reverse box (it stays pinned to the newest message): its top is
            # the most negative scroll position.
            box.locator(".docchat-transcript").evaluate("e => { e.scrollTop = -e.scrollHeight; }")
            box.screenshot(path=str(ARTIFACTS / "chat.png"))

            # An empty input sends nothing.
            before = box.locator(".docchat-transcript .dc-user").count()
            box.locator(".widget-text input").press("Enter")
            page.wait_for_timeout(500)
            assert box.locator(".docchat-transcript .dc-user").count() == before

            # A second answer draws its own bubble only: the source opened in the first stays open.
            box.locator(".widget-text input").fill("Why did depositors run on the bank?")
            box.locator(".widget-text input").press("Enter")
            box.locator(".docchat-transcript .dc-user").nth(before).wait_for(timeout=300_000)
            _wait_until_answered(box)
            assert box.locator(".docchat-transcript .dc-user").count() == before + 1
            assert box.locator(".docchat-transcript details[open]").count() == 1

            # The %%ask cell: a hostile document is among its sources.
            page.keyboard.press("Escape")
            page.locator(".jp-Notebook .jp-Cell").nth(3).locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            answer = page.locator(".jp-Notebook .jp-Cell").nth(3).locator(".jp-OutputArea .docchat")
            answer.locator(".dc-sources li").first.wait_for(timeout=300_000)
            # The sources show while the answer is still being written, and each update replaces the
            # output's node: a click or screenshot then may meet a node no longer in the page.
            _wait_until_answered(page.locator(".jp-Notebook .jp-Cell").nth(3))
            assert "evil.md" in answer.inner_text()
            answer.locator("summary").first.click()
            answer.screenshot(path=str(ARTIFACTS / "ask.png"))
            assert page.evaluate(f"window.{MARKER} === undefined"), "document or model text executed"
            assert page.locator(".jp-OutputArea script").count() == 0
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()


def _wait_for_idle_kernel(page, notebook: str) -> None:
    """``notebook`` is the current tab and its kernel is connected and idle, as the status bar says
    ("Python 3 (ipykernel) | Idle"), instead of a fixed pause after opening it: keys pressed before
    then run nothing. (The lab may restore another notebook's tab, with a kernel of its own.)"""
    page.locator(".jp-StatusBar-TextItem", has_text=notebook).first.wait_for(timeout=300_000)
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"ipykernel\) \| Idle")).first.wait_for(
        timeout=300_000)


def _wait_until_answered(where) -> None:
    """No answer under ``where`` is still being written: its spinner is gone (a finished answer is
    not redrawn, so its nodes stay in the page)."""
    where.locator(".dc-row .dc-spinner").first.wait_for(state="detached", timeout=300_000)


def _browser(p):
    return p.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-component-update", "--disable-sync"],
    )


def test_example_notebook_cites_a_document_a_cell_and_a_dataframe(lab) -> None:
    """examples/notebook_sources.ipynb run cell by cell in JupyterLab; its screenshot is in the README."""
    url, token, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    nb = nbformat.read(root / "notebook_sources.ipynb", as_version=4)
    ask_at = next(n for n, c in enumerate(nb.cells) if c.source.startswith("%%ask --with outflows --notebook"))
    last = len(nb.cells) - 1
    with sync_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1100, "height": 1800})
        try:
            page.goto(f"{url}/lab/tree/notebook_sources.ipynb?token={token}")
            # The lab may have restored chat.ipynb in another tab: only this notebook's panel counts.
            panel = page.locator(".jp-NotebookPanel").filter(has_text="Ask about your notebook too")
            cells = panel.locator(".jp-Notebook .jp-Cell")
            cells.first.wait_for(timeout=300_000)
            _wait_for_idle_kernel(page, "notebook_sources.ipynb")
            cells.first.click()
            page.keyboard.press("Escape")
            for _ in nb.cells:
                page.keyboard.press("Shift+Enter")
            answer = cells.nth(ask_at).locator(".jp-OutputArea .docchat")
            answer.locator(".dc-sources li").first.wait_for(timeout=300_000)
            later = cells.nth(last).locator(".jp-OutputArea .docchat")
            # Scroll the cell, not its answer: a streaming answer's node is replaced while it fills in.
            cells.nth(last).scroll_into_view_if_needed()
            later.locator(".dc-sources li").first.wait_for(timeout=300_000)
            _wait_until_answered(cells.nth(last))
            shown = answer.inner_text()
            assert "svb_collapse.md" in shown and "outflows" in shown and "DataFrame 2 × 3" in shown
            assert re.search(r"cell \[\d+\]", shown), shown
            assert "re-indexed 1 changed file" in later.inner_text()
            answer.locator(".dc-sources summary").last.click()  # the DataFrame's description, opened
            cells.nth(ask_at).scroll_into_view_if_needed()
            cells.nth(ask_at).screenshot(path=str(ARTIFACTS / "notebook-sources.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure-notebook-sources.png"), full_page=True)
            raise
        finally:
            browser.close()
