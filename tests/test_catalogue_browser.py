"""The catalogue in a real browser: Debian's Chromium driven by Playwright, on file:// URLs.

Skips only when no Chromium or no Playwright can be found; under CI (CI=true) that is a
failure instead, since .ci/run installs both. Screenshots go to the test's tmp folder and to
artefacts/ (or $INVITEPACK_ARTEFACTS) for people to look at.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from catalogue_support import (
    SCRIPT,
    build_site,
    chromium_executable,
    expected_limit,
    hostile_pack,
    listed,
    read_page,
    rendered,
)
from conftest import REPO

# WCAG 2.1 AA contrast, measured on the rendered page.
CONTRAST = (Path(__file__).resolve().parent / "data" / "contrast.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        reason = (
            "no browser: install chromium-headless-shell (apt-get) and playwright "
            "(pip install -e '.[test]'), or set INVITEPACK_CHROMIUM"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs both)")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


class Watched:
    """A page whose dialogs, console errors, uncaught errors and network requests are kept."""

    def __init__(self, browser: Any, **options: Any):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def visible_ids(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all(
                "tr[data-template-id]:not([hidden])", "rows => rows.map(r => r.dataset.templateId)"
            )
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = Watched(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`invitepack catalogue --pack builtin --out site`, through the console script."""
    import subprocess

    from conftest import console_script

    out = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run(
        [*console_script(), "catalogue", "--pack", "builtin", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


def _artefact(source: Path) -> None:
    """Keep a copy of a screenshot where people look for them (not committed)."""
    folder = Path(os.environ.get("INVITEPACK_ARTEFACTS") or REPO / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / source.name)


def test_every_template_of_list_appears_once(watched, site):
    ids = [row["id"] for row in listed("builtin")]
    page = watched.open(site / "index.html")
    found = page.eval_on_selector_all(
        "[data-template-id]", "els => els.map(e => e.dataset.templateId)"
    )
    assert sorted(found) == sorted(ids) and len(found) == len(set(found))
    assert watched.visible_ids() == found, "with no filter every template is shown"
    assert page.locator("#f-count").inner_text() == f"Showing all {len(ids)} templates"
    assert watched.errors == [] and watched.dialogs == []
    assert all(url.startswith("file://") for url in watched.requests), (
        "nothing is fetched from the network"
    )


def test_filters_and_search_narrow_the_list(watched, site):
    page = watched.open(site / "index.html")
    everything = listed("builtin")
    for channel in sorted({row["channel"] for row in everything}):
        page.get_by_label("Channel", exact=True).select_option(channel)
        assert sorted(watched.visible_ids()) == sorted(
            r["id"] for r in listed("builtin", "--channel", channel)
        )
    page.get_by_label("Channel", exact=True).select_option("")
    for scenario in sorted({row["scenario"] for row in everything}):
        page.get_by_label("Scenario", exact=True).select_option(scenario)
        assert sorted(watched.visible_ids()) == sorted(
            r["id"] for r in listed("builtin", "--scenario", scenario)
        )
        assert page.locator("section[data-scenario]:not([hidden])").count() == 1
    first = everything[0]
    page.get_by_label("Scenario", exact=True).select_option(first["scenario"])
    page.get_by_label("Channel", exact=True).select_option(first["channel"])
    both = sorted(
        r["id"]
        for r in listed("builtin", "--scenario", first["scenario"], "--channel", first["channel"])
    )
    assert sorted(watched.visible_ids()) == both and len(both) < len(everything)
    page.get_by_role("button", name="Clear").click()
    page.get_by_label("Search", exact=True).fill(first["id"])
    shown = watched.visible_ids()
    assert first["id"] in shown and len(shown) < len(everything)
    assert all(
        first["id"] in page.locator(f'tr[data-template-id="{i}"]').get_attribute("data-search")
        for i in shown
    )
    page.get_by_label("Search", exact=True).fill("no template is called this")
    assert watched.visible_ids() == [] and page.locator("#f-none").is_visible()
    page.get_by_role("button", name="Clear").click()
    assert len(watched.visible_ids()) == len(everything)
    page.goto((site / "index.html").resolve().as_uri() + f"?channel={first['channel']}")
    assert sorted(watched.visible_ids()) == sorted(
        r["id"] for r in listed("builtin", "--channel", first["channel"])
    )
    assert watched.errors == []


def test_keyboard_reaches_the_filters_and_the_templates(watched, site):
    page = watched.open(site / "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-scenario"
    page.locator("#f-q").focus()
    page.keyboard.type("brief")
    assert 0 < len(watched.visible_ids()) < len(listed("builtin"))
    page.keyboard.press("Enter")  # submitting the search must not leave the page
    assert page.url.endswith("index.html")
    page.locator("tr[data-template-id]:not([hidden]) a").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("article[data-template-id]").count() == 1
    assert watched.errors == []


def test_budget_bars_and_verdicts_match_render_json(watched, site):
    expected = rendered("builtin")
    for row in listed("builtin"):
        page = watched.open(site / "t" / f"{row['id']}.html")
        bars = page.eval_on_selector_all(
            "[data-example] [data-budget=body]",
            """els => els.map(e => [
                Number(e.closest('[data-example]').dataset.example),
                e.dataset.account,
                e.querySelector('.meter-num').textContent,
            ])""",
        )
        assert bars, row["id"]
        for number, account, text in bars:
            example = expected[(row["id"], number)]
            length, limit = example["length"], expected_limit(example, account or None)
            assert text.replace("\u200a", "") == (f"{length}/{limit}" if limit else f"{length}")
        badges = page.eval_on_selector_all(
            "[data-example] h3 .badge", "els => els.map(e => e.textContent.trim())"
        )
        numbers = sorted({number for number, _, _ in bars})
        assert badges == [expected[(row["id"], n)]["verdict"]["decision"] for n in numbers]
    assert watched.errors == []


def test_script_in_a_pack_runs_nothing(browser, cli, make_pack, tmp_path):
    out = tmp_path / "site"
    build_site(cli, hostile_pack(make_pack), out)
    for path in [out / "index.html", out / "t" / "hostile-invite.html"]:
        watched = Watched(browser)
        page = watched.open(path)
        page.wait_for_timeout(300)  # time for an onerror or onload to fire, if one got through
        assert page.title() == read_page(path).title and page.title() != "PWNED"
        assert watched.dialogs == [] and watched.errors == []
        assert page.locator("img, svg, iframe").count() == 0 and page.locator("script").count() == 1
        assert page.get_by_text(SCRIPT).first.is_visible()
        watched.close()


def test_pages_are_accessible(watched, site):
    template = listed("builtin")[0]["id"]
    for path in [site / "index.html", site / "t" / f"{template}.html"]:
        page = watched.open(path)
        assert page.evaluate("document.documentElement.lang") == "en"
        levels = page.eval_on_selector_all(
            "h1, h2, h3, h4", "hs => hs.map(h => Number(h.tagName[1]))"
        )
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (
            f"heading levels skip in {path.name}: {levels}"
        )
        unlabelled = page.eval_on_selector_all(
            "input, select, textarea",
            "els => els.filter(e => !e.labels || !e.labels.length).map(e => e.id)",
        )
        assert unlabelled == []
        assert page.evaluate(CONTRAST) == []


def test_readable_on_a_phone(browser, site):
    template = listed("builtin")[0]["id"]
    phone = Watched(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    for path in [site / "index.html", site / "t" / f"{template}.html"]:
        page = phone.open(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            f"{path.name} scrolls sideways"
        )
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    phone.close()


def test_usable_without_javascript(browser, site):
    plain = Watched(browser, java_script_enabled=False)
    page = plain.open(site / "index.html")
    assert not page.locator("#filters").is_visible()
    assert page.locator("tr[data-template-id]:visible").count() == len(listed("builtin"))
    page.locator("nav.jump a").first.click()
    with page.expect_navigation():
        page.locator("tr[data-template-id] a").first.click()
    assert page.locator("article[data-template-id]").count() == 1
    plain.close()


def test_screenshots(browser, site, tmp_path):
    """The index and one template page, on a desktop and on a phone: test artefacts to look at."""
    template = next(r["id"] for r in listed("builtin") if r["channel"] == "linkedin-invite")
    email = next((r["id"] for r in listed("builtin") if r["channel"] == "email"), template)
    shots = [
        ("catalogue-index.png", site / "index.html", {"width": 1280, "height": 900}),
        ("catalogue-template.png", site / "t" / f"{template}.html", {"width": 1280, "height": 900}),
        ("catalogue-email.png", site / "t" / f"{email}.html", {"width": 1280, "height": 900}),
        ("catalogue-index-phone.png", site / "index.html", {"width": 390, "height": 844}),
        (
            "catalogue-template-phone.png",
            site / "t" / f"{template}.html",
            {"width": 390, "height": 844},
        ),
    ]
    for name, path, viewport in shots:
        watched = Watched(browser, viewport=viewport)
        watched.open(path).screenshot(path=str(tmp_path / name), full_page=True)
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert watched.errors == []
        _artefact(tmp_path / name)
        watched.close()
