"""A browser opens the list of briefs and a brief's preview (headless Chromium via selenium).

Needs Debian's chromium and chromium-driver packages (installed by .ci/run) and selenium; the
test is skipped, saying which is missing, where they are not there.
"""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("starlette", reason="the 'serve' extra (starlette) is not installed")
webdriver = pytest.importorskip("selenium.webdriver",
                                reason="selenium is not installed (pip install selenium)")

from tests.conftest import MINIMAL, REPO, write_workspace  # noqa: E402
from tests.test_serve_server import get, server  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not CHROMIUM or not DRIVER:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium "
                    "chromium-driver)")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def test_the_list_and_a_preview_show_the_brief_and_its_downloads_work(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait
    title = "Counter-Terrorism Dialogue on Afghanistan: Tashkent, September 2024"
    with server(REPO, "--workers", "1", log=tmp_path / "serve.log") as base:
        browser.get(base + "/")
        assert browser.title == "Briefs"
        link = browser.find_element(By.LINK_TEXT, title)
        link.click()
        WebDriverWait(browser, 120).until(seen.title_is(title))
        assert browser.find_element(By.TAG_NAME, "h1").text == title
        # the brief itself, in the preview frame: its title and one of its developments
        frame = browser.find_element(By.TAG_NAME, "iframe")
        browser.switch_to.frame(frame)
        shown = browser.find_element(By.TAG_NAME, "body").text
        assert "Tashkent" in shown
        assert "ISIS-K attacks grow deadlier under Taliban rule" in shown, shown[:2000]
        browser.switch_to.default_content()
        # a download link leads to the document
        href = browser.find_element(By.LINK_TEXT, "PDF").get_attribute("href")
        assert href == base + "/briefs/ct-dialogue-2024.pdf"
        status, headers, body = get(href)
        assert status == 200 and body.startswith(b"%PDF-")
        # the page asks for changes by itself, through the page's own fetch
        polled = browser.execute_async_script(
            "var done = arguments[0]; fetch('../api/briefs').then(r => done(r.status));")
        assert polled == 200


def test_the_preview_reloads_itself_when_a_file_changes(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    ws = write_workspace(tmp_path / "ws", MINIMAL)
    with server(ws, "--workers", "1") as base:
        browser.get(base + "/briefs/main")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Main brief"
        path = ws / "content/briefs/main.yaml"
        path.write_text(path.read_text().replace("Main brief", "Main brief, revised"))
        WebDriverWait(browser, 60).until(
            lambda b: b.find_element(By.TAG_NAME, "h1").text == "Main brief, revised")
        browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
        assert "Main brief, revised" in browser.find_element(By.TAG_NAME, "body").text
