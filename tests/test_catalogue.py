"""`invitepack catalogue`, read with html.parser (no browser needed): every template once,
budget bars that agree with `render --format json`, markup from a pack shown as text, a
self-contained site, and output folders that are never overwritten by surprise.
The same site in a real browser: test_catalogue_browser.py."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from catalogue_support import (
    IMG,
    SCRIPT,
    SVG,
    build_site,
    channel_limits,
    expected_limit,
    hostile_pack,
    invoke,
    listed,
    read_page,
    rendered,
)
from conftest import MANIFEST, SEEKING_WORK, umask


@pytest.fixture(scope="module")
def builtin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from invitepack.output.catalogue import build_catalogue, write_site
    from invitepack.pack.workspace import Workspace

    out = tmp_path_factory.mktemp("catalogue") / "site"
    site, outcome = build_catalogue(Workspace(pack_spec="builtin", isolated=True))
    assert not outcome.failures
    write_site(site, out)
    return out


def test_every_template_of_list_appears_once_with_its_page(builtin_site):
    ids = [row["id"] for row in listed("builtin")]
    index = read_page(builtin_site / "index.html")
    assert sorted(index.template_ids) == sorted(ids) and len(set(index.template_ids)) == len(ids)
    for template_id in ids:
        page = read_page(builtin_site / "t" / f"{template_id}.html")
        assert page.template_ids == [template_id]
        assert page.tags["h1"] == 1


def test_budget_bars_and_verdicts_match_render_json(builtin_site):
    expected = rendered("builtin")
    for row in listed("builtin"):
        page = read_page(builtin_site / "t" / f"{row['id']}.html")
        bodies = [m for m in page.meters if m["example"] is not None and m["what"] == "body"]
        numbers = {n for (tid, n) in expected if tid == row["id"]}
        assert {m["example"] for m in bodies} == numbers == set(page.verdicts), row["id"]
        for meter in bodies:
            example = expected[(row["id"], meter["example"])]
            assert meter["length"] == example["length"]
            assert meter["limit"] == expected_limit(example, meter["account"])
        tiers = channel_limits()[row["channel"]] or {}
        accounts = {m["account"] for m in bodies}
        assert accounts == (set(tiers) if len(set(tiers.values())) > 1 else {None}), "bar per tier"
        for number in numbers:
            verdict = expected[(row["id"], number)]["verdict"]
            assert page.verdicts[number] == verdict["decision"]
            assert page.reasons[number] == [r["code"] for r in verdict["reasons"]]


def test_markup_from_the_pack_is_shown_as_text(cli, make_pack, tmp_path):
    out = tmp_path / "site"
    build_site(cli, hostile_pack(make_pack), out)
    for path in [out / "index.html", out / "t" / "hostile-invite.html"]:
        page = read_page(path)
        assert page.tags["img"] == page.tags["svg"] == page.tags["iframe"] == page.tags["b"] == 0
        assert page.scripts == [{"src": page.scripts[0]["src"], "defer": None}]
        assert page.scripts[0]["src"].endswith("assets/catalogue.js")
        assert page.handlers == []
        assert not [url for _, url in page.urls if url.lower().startswith("javascript:")]
        assert SCRIPT in page.all_text
    template = read_page(out / "t" / "hostile-invite.html").all_text
    for shown in (IMG, SVG, "<b>bold</b> <script>alert('body')</script>", "<b>code</b>"):
        assert shown in template
    assert "first version <img" in template, "the changelog entry is shown, as text"


def test_the_site_is_self_contained(builtin_site):
    pages = [builtin_site / "index.html", *sorted((builtin_site / "t").glob("*.html"))]
    for path in pages:
        page = read_page(path)
        assert page.title and 'lang="en"' in path.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in path.read_text(encoding="utf-8")
        for tag, url in page.urls:
            assert not re.match(r"^([a-z]+:)?//", url), (
                f"{path.name}: {tag} loads {url} from the network"
            )
            target = url.split("#")[0]
            if target:
                assert (path.parent / target).resolve().is_file(), f"{path.name}: broken link {url}"
    assert {p.name for p in (builtin_site / "assets").iterdir()} == {
        "catalogue.css",
        "catalogue.js",
    }


def test_each_page_shows_the_template_and_its_changelog(builtin_site):
    row = listed("builtin")[0]
    page = read_page(builtin_site / "t" / f"{row['id']}.html").all_text
    for text in (
        row["title"],
        row["scenario"],
        row["channel"],
        row["version"],
        "Guidance",
        "Variables",
        "Changes",
    ):
        assert text in page
    changelog = (Path(__file__).resolve().parents[1] / "templates" / "CHANGELOG.md").read_text(
        encoding="utf-8"
    )
    if f"`{row['id']}`" in changelog:
        assert "(The pack's CHANGELOG.md says nothing" not in page


def test_changelog_entries_name_only_their_template(cli, make_pack, tmp_path):
    changelog = (
        "# Changelog\n\n## 1.1.0\n\n- `seeking-work-invite`: shorter ask.\n"
        "- `seeking-work-invite-brief`: new.\n\n"
        "### seeking-work-invite\n\nReworded the thanks.\n\n## 1.0.0\n\n- Everything is new.\n"
    )
    root = make_pack({"seeking-work-invite.md": SEEKING_WORK, "CHANGELOG.md": changelog})
    build_site(cli, root, tmp_path / "site")
    page = read_page(tmp_path / "site" / "t" / "seeking-work-invite.html").all_text
    assert "shorter ask" in page and "Reworded the thanks" in page
    assert "new." not in page.replace("Everything is new.", "") and "Everything is new" not in page


def test_examples_with_findings_and_broken_examples_are_shown(cli, make_pack, tmp_path):
    generic = SEEKING_WORK.replace(
        "  - {name: Ada, field: data engineering, detail: your post on testing dbt models}\n",
        "  - {name: Ada, field: data engineering, detail: your post on testing dbt models}\n"
        "  - {name: Ada, field: data engineering, detail: " + "x" * 61 + "}\n",
    ).replace(
        "Who would be the right person",
        "I'd like to add you to my professional network on LinkedIn. Who would be the right person",
    )
    root = make_pack({"seeking-work-invite.md": generic})
    result = cli("catalogue", "--pack", str(root), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "example 2 does not render" in result.stderr
    page = read_page(tmp_path / "site" / "t" / "seeking-work-invite.html")
    assert "This example does not render" in page.all_text
    args = ["seeking-work-invite", "--pack", str(root), "--example", "1", "--format", "json"]
    first = json.loads(invoke("render", *args))
    assert first["findings"] and all(f["code"] in page.all_text for f in first["findings"])
    decision = first["verdict"]["decision"]
    assert page.verdicts == {1: decision, 2: "broken", 3: decision}
    index = read_page(tmp_path / "site" / "index.html").all_text
    assert "1 broken" in index and f"2 {decision}" in index


def test_never_overwrites_a_users_files(cli, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    for extra in ([], ["--force"]):
        refused = cli("catalogue", "--pack", "builtin", "--out", str(out), *extra)
        assert (
            refused.returncode == 2
            and str(out) in refused.stderr
            and "Traceback" not in refused.stderr
        )
        assert "not a catalogue" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")], (
        "no staging folder is left behind"
    )


def test_replaces_an_earlier_catalogue_only_with_force(cli, tmp_path):
    out = tmp_path / "site"
    build_site(cli, "builtin", out)
    (out / "stale.html").write_text("old\n", encoding="utf-8")
    again = cli("catalogue", "--pack", "builtin", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr and (out / "stale.html").exists()
    build_site(cli, "builtin", out, "--force")
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"]


def test_an_empty_folder_is_used(cli, tmp_path):
    (tmp_path / "site").mkdir()
    build_site(cli, "builtin", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o755), (0o077, 0o700)], ids=["022", "077"])
def test_the_site_folder_is_shared_as_the_umask_says(cli, tmp_path, mask, mode):
    """The site is put together in a private folder, then published with the mode any folder
    of the user's would have: readable by the reviewers it is for, or private if they say so."""
    with umask(mask):
        build_site(cli, "builtin", tmp_path / "site")
    assert oct(stat.S_IMODE((tmp_path / "site").stat().st_mode)) == oct(mode)
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize("case", ["out-is-a-file", "no-pack", "broken-template", "no-out"])
def test_usage_and_input_errors_exit_2_with_a_clear_message(cli, make_pack, tmp_path, case):
    out = tmp_path / "site"
    if case == "out-is-a-file":
        out.write_text("x", encoding="utf-8")
        args, expect = ["--pack", "builtin", "--out", str(out)], str(out)
    elif case == "no-pack":
        args, expect = ["--pack", str(tmp_path / "nowhere"), "--out", str(out)], "no pack.yaml"
    elif case == "broken-template":
        root = make_pack(
            {"seeking-work-invite.md": SEEKING_WORK.replace("channel: linkedin-invite\n", "")}
        )
        args, expect = ["--pack", str(root), "--out", str(out)], "seeking-work-invite.md"
    else:
        args, expect = ["--pack", "builtin"], "--out"
    result = cli("catalogue", *args)
    assert result.returncode == 2 and expect in result.stderr and "Traceback" not in result.stderr
    assert case == "out-is-a-file" or not out.exists()


def test_a_failing_plugin_writes_nothing(cli, make_pack, tmp_path):
    root = make_pack(manifest=MANIFEST + "plugins: [plugins/team.py]\n")
    (root / "plugins").mkdir()
    (root / "plugins" / "team.py").write_text(
        "from invitepack import hookimpl\n\n@hookimpl\n"
        "def invitepack_check_message(message):\n    raise RuntimeError('boom')\n",
        encoding="utf-8",
    )
    result = cli(
        "catalogue", "--pack", str(root), "--out", str(tmp_path / "site"), "--trust-local-plugins"
    )
    assert result.returncode == 2 and "boom" in result.stderr and "not written" in result.stderr
    assert not (tmp_path / "site").exists()
