"""The home page of ``form4 serve --watch`` in a real browser: a filing EDGAR files while the page
is open shows up in its live panel, without a reload."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from tests.api.serving import business_today, edgar_env, forms_4, serving
from tests.api.test_live import edgar_with_a_day_stored, listed
from tests.edgar.fake_edgar import serve
from tests.web.conftest import SHOTS

mirrored = contextlib.contextmanager(serve)


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_the_live_panel_shows_a_new_filing_without_a_reload(browser: Any, store_url: str, tmp_path: Path) -> None:
    mirror = edgar_with_a_day_stored(tmp_path, store_url)
    filed = forms_4(1, seed=51, day=business_today())
    with mirrored(mirror) as edgar, serving(store_url, "--watch", "--watch-interval", "1",
                                            env=edgar_env(edgar.base_url, tmp_path), tmp_path=tmp_path) as server:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server.url)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto("/")
        page.wait_for_function("document.getElementById('live-state').textContent === 'connected'")
        assert page.locator("#live-rows").is_hidden()  # nothing new yet
        mirror.add(filed)
        page.wait_for_selector("#live-rows tbody tr", timeout=30_000)
        rows = server.wait_for("the API listing the filing", lambda: listed(server, filed))
        page.wait_for_function(f"document.querySelectorAll('#live-rows tbody tr').length === {len(rows)}")
        shown = page.locator("#live-rows tbody tr")
        texts = [shown.nth(i).inner_text() for i in range(shown.count())]
        page.screenshot(path=str(SHOTS / "live-panel.png"), full_page=True)
        link = shown.first.locator("a[href^='/filings/']").get_attribute("href")
        context.close()
    assert link == f"/filings/{filed[0].accession_number}"
    for row in rows:  # each transaction, with its owner and security, as /api/transactions lists it
        assert any(row["owner_name"] in text and row["security_title"] in text for text in texts), (row, texts)
    assert problems == []
