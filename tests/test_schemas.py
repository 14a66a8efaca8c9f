"""The shipped schemas on their own: offline, with standard tools, in step with the data."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

SCHEMAS = REPO / "schemas"
# Any attempt to fetch over HTTP(S) fails at once: the proxy is a closed local port.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def check_jsonschema(
    *args: str, cwd: Path, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run check-jsonschema (the `test` extra installs it) offline, with an empty cache."""
    script = Path(sys.executable).with_name("check-jsonschema")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "check_jsonschema"]
    env = {**os.environ, **OFFLINE, "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in _refs(v)
        ]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


@pytest.mark.parametrize("name", ["pack", "template"])
def test_each_schema_is_self_contained(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert "$id" not in schema  # no identifier on a host that does not serve it
    assert _refs(schema) and all(ref.startswith("#/") for ref in _refs(schema))


def test_the_semver_definition_is_the_same_in_both():
    pack, template = (
        json.loads((SCHEMAS / f"{n}.schema.json").read_text(encoding="utf-8"))
        for n in ("pack", "template")
    )
    assert pack["$defs"]["semver"] == template["$defs"]["semver"]


def test_channel_enum_follows_the_channel_data(tmp_path):
    with (REPO / "invitepack" / "data" / "channels.toml").open("rb") as handle:
        channels = sorted(tomllib.load(handle))
    schema = json.loads((SCHEMAS / "template.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["channel"]["enum"] == channels
    script = REPO / "scripts" / "sync_schemas.py"
    check = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # The script rewrites a stale list (here, as if a channel had been added to the data).
    synced = runpy.run_path(str(script))["synced"]
    text = (SCHEMAS / "template.schema.json").read_text(encoding="utf-8")
    stale = text.replace(json.dumps(channels), json.dumps(channels[:-1]))
    assert stale != text and synced(stale) == text


def test_channels_are_read_from_json_that_matches_the_toml():
    """invitepack reads data/channels.json (no TOML parser on a cold start): it must hold
    exactly channels.toml's data, in its order, or `sync_schemas.py --check` says so."""
    data = REPO / "invitepack" / "data"
    with (data / "channels.toml").open("rb") as handle:
        from_toml = tomllib.load(handle)
    from_json = json.loads((data / "channels.json").read_text(encoding="utf-8"))["channels"]
    assert from_json == from_toml
    assert list(from_json) == list(from_toml)
    script = runpy.run_path(str(REPO / "scripts" / "sync_schemas.py"))
    assert script["channels_json"]() == (data / "channels.json").read_text(encoding="utf-8")


def test_tags_are_documented():
    tags = json.loads((SCHEMAS / "template.schema.json").read_text(encoding="utf-8"))["properties"][
        "tags"
    ]
    assert "description" in tags and tags["items"]["type"] == "string"


def test_check_jsonschema_validates_pack_and_front_matter_offline(cli, tmp_path):
    team = tmp_path / "team"
    assert cli("init", str(team)).returncode == 0
    pack_schema, template_schema = (str(SCHEMAS / f"{n}.schema.json") for n in ("pack", "template"))

    good = check_jsonschema("--schemafile", pack_schema, "pack.yaml", cwd=team)
    assert good.returncode == 0, good.stdout + good.stderr
    manifest = team / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('version: "0.1.0"', "version: 0.1"),
        encoding="utf-8",
    )
    bad = check_jsonschema("--schemafile", pack_schema, "pack.yaml", cwd=team)
    assert bad.returncode == 1 and "$.version" in bad.stdout

    # Front matter: exported as JSON by invitepack, checked by check-jsonschema.
    template = team / "templates" / "seeking-work-invite.md"
    exported = cli("schema", "template", "--front-matter", str(template))
    assert exported.returncode == 0
    piped = check_jsonschema("--schemafile", template_schema, "-", cwd=team, input=exported.stdout)
    assert piped.returncode == 0, piped.stdout + piped.stderr
    every = cli(
        "schema",
        "template",
        "--front-matter",
        *map(str, sorted((team / "templates").glob("*.md"))),
        "--out",
        str(tmp_path / "fm"),
    )
    assert every.returncode == 0
    written = sorted(str(p) for p in (tmp_path / "fm").glob("*.json"))
    assert len(written) == 4
    assert check_jsonschema("--schemafile", template_schema, *written, cwd=team).returncode == 0

    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "channel: linkedin-invite", "channel: linkedin-dm"
        ),
        encoding="utf-8",
    )
    typo = check_jsonschema(
        "--schemafile",
        template_schema,
        "-",
        cwd=team,
        input=cli("schema", "template", "--front-matter", str(template)).stdout,
    )
    assert typo.returncode == 1 and "'linkedin-dm' is not one of" in typo.stdout


def test_builtin_templates_front_matter_passes_the_standalone_schema(cli, tmp_path):
    files = sorted((REPO / "templates").glob("*.md"))
    exported = cli(
        "schema", "template", "--front-matter", *map(str, files), "--out", str(tmp_path / "fm")
    )
    assert exported.returncode == 0
    written = sorted(str(p) for p in (tmp_path / "fm").glob("*.json"))
    assert written
    result = check_jsonschema(
        "--schemafile", str(SCHEMAS / "template.schema.json"), *written, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout


def test_front_matter_export(cli, make_pack):
    root = make_pack()
    template = root / "templates" / "seeking-work-invite.md"
    data = json.loads(cli("schema", "template", "--front-matter", str(template)).stdout)
    assert data["id"] == "seeking-work-invite" and data["version"] == "1.0.0"
    assert data["examples"][0] == {
        "name": "Ada",
        "field": "data engineering",
        "detail": "your post on testing dbt models",
    }
    (root / "templates" / "README.md").write_text("# Our templates\n", encoding="utf-8")
    readme = cli("schema", "template", "--front-matter", str(root / "templates" / "README.md"))
    assert readme.returncode == 0 and readme.stdout == "" and "documentation" in readme.stderr
    two = cli("schema", "template", "--front-matter", str(template), str(template))
    assert two.returncode == 2 and "--out" in two.stderr
    wrong = cli("schema", "pack", "--front-matter", str(template))
    assert wrong.returncode == 2 and "templates only" in wrong.stderr
    broken = root / "templates" / "broken.md"
    broken.write_text("no front matter\n", encoding="utf-8")
    failed = cli("schema", "template", "--front-matter", str(broken))
    assert failed.returncode == 2 and "broken.md:1:1: missing front matter" in failed.stderr
    path = cli("schema", "pack", "--path")
    assert path.returncode == 0 and Path(path.stdout.strip()) == SCHEMAS / "pack.schema.json"


def test_invitepack_accepts_a_channel_its_config_defines(cli, make_pack):
    root = make_pack()
    (root / "invitepack.toml").write_text(
        '[channels.signal]\ntitle = "Signal message"\nbody_limit = {free = 2000, premium = 2000}\n',
        encoding="utf-8",
    )
    template = root / "templates" / "seeking-work-invite.md"
    template.write_text(
        template.read_text(encoding="utf-8").replace("channel: linkedin-invite", "channel: signal"),
        encoding="utf-8",
    )
    ok = cli("validate", cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    unknown = cli("validate", "--isolated", cwd=root)
    assert unknown.returncode == 1 and "IP710" in unknown.stdout  # unknown-channel, with the list
