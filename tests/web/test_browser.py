"""The dashboard in a real browser: every page loads without a console error, search leads to
an issuer and on to a filing, charts are drawn with real size, and the upload page reads a
corpus PDF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.web.conftest import SHOTS, TOKEN


@pytest.fixture
def page(browser: Any, server: str, engine: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    opened.problems = problems
    opened.shot = lambda name: opened.screenshot(path=str(SHOTS / f"{request.node.name}-{name}.png"), full_page=True)
    yield opened
    context.close()
    assert problems == []


def test_every_page_loads_without_console_errors(page: Any) -> None:
    for path, name, heading in [("/", "home", "Insider filings"), ("/search?q=acme", "search", "acme"),
                                ("/issuers/ACME", "issuer", "ACME CORP"), ("/owners/1", "owner", "Smith Alice"),
                                ("/screens/cluster-buys", "clusters", "Cluster buys"), ("/upload", "upload", "Read")]:
        response = page.goto(path)
        assert response.status == 200, path
        assert heading in page.locator("h1").inner_text()
        page.shot(name)


def test_search_then_issuer_then_filing(page: Any) -> None:
    page.goto("/")
    page.fill("input[name=q]", "acme")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=acme")
    page.click("text=ACME CORP")
    page.wait_for_url("**/issuers/0000000101")
    for chart in ("#trading", "#holdings"):  # plotly drew into each: an SVG of real size
        page.wait_for_selector(f"{chart} .main-svg")
        box = page.locator(chart).bounding_box()
        assert box["width"] > 600 and box["height"] > 300
        assert page.locator(f"{chart} .main-svg").first.bounding_box()["height"] > 300
    assert page.locator("#trading .bars path").count() > 0  # purchases and sales drawn as bars
    page.shot("issuer")
    page.locator("table.transactions a.key").first.click()
    page.wait_for_url("**/filings/*")
    assert "ACME CORP" in page.locator(".form").inner_text()
    page.click("text=The form as EDGAR shows it")
    frame = page.frame_locator("iframe")
    assert "ACME CORP" in frame.locator("body").inner_text()
    page.click("text=The record as JSON")
    assert '"issuer"' in page.locator("#record").inner_text()
    page.shot("filing")


def test_upload_reads_a_corpus_pdf_and_stores_only_with_the_token(page: Any) -> None:
    pdf = CORPUS / "pdf" / "374WaterForm4.pdf"
    page.goto("/upload")
    page.set_input_files("input[name=file]", str(pdf))
    page.click("button[type=submit]")
    page.wait_for_selector(".form")
    page.click("text=The record as JSON")
    record = page.locator("#record").inner_text()
    assert "374Water" in record and '"source": "pdf"' in record
    assert "Stored as" not in page.content()
    page.shot("upload-read")
    page.goto("/upload")
    page.set_input_files("input[name=file]", str(pdf))
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Stored as")
    page.shot("upload-stored")


def test_a_wrong_token_stores_nothing(page: Any) -> None:
    page.goto("/upload")
    page.set_input_files("input[name=file]", str(CORPUS / "xml" / "374WaterForm4.xml"))
    page.fill("input[name=token]", "wrong")
    page.click("button[type=submit]")
    assert "Not stored: the API token is not the one" in page.locator(".error").inner_text()
    page.problems.clear()  # the 403 itself is a console error in chromium: expected here


def test_a_missing_issuer_is_a_page_that_says_so(page: Any) -> None:
    response = page.goto("/issuers/NOPE")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "Not Found"
    assert page.locator(".error").inner_text() == "issuer: the store holds no filing of ticker NOPE"
    assert page.locator("input[name=q]").is_visible()
    page.shot("missing-issuer")
    # the 404 itself is chromium's one console error here: expected, and nothing else
    assert [p for p in page.problems if "status of 404" not in p] == [] and len(page.problems) == 1
    page.problems.clear()
    page.click("text=Back to the home page")
    page.wait_for_function("location.pathname === '/'")
    assert page.locator("h1").inner_text() == "Insider filings"
