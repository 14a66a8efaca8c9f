"""Loading errors: each names the file, the line (and column) and what to do; exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEKING_WORK

from invitepack.errors import LoadError
from invitepack.pack.limits import Limits
from invitepack.pack.loader import load_pack
from invitepack.pack.manifest import locate_pack


def _error(root: Path) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_pack(root, Limits())
    return caught.value


def test_invalid_yaml_points_at_the_line_in_the_file(make_pack):
    broken = SEEKING_WORK.replace("title: Seeking work", "title: [unclosed")
    root = make_pack({"seeking-work-invite.md": broken})
    error = _error(root)
    assert error.location.path.name == "seeking-work-invite.md"
    # 'title:' is on line 6 of the file (the front matter starts on line 2); the parser
    # notices the unclosed flow sequence on the next line.
    assert error.location.line in (6, 7)
    assert "invalid YAML" in error.message


def test_missing_front_matter_is_line_1(make_pack):
    root = make_pack({"seeking-work-invite.md": "Hi {{ name }}\n"})
    error = _error(root)
    assert (error.location.path.name, error.location.line) == ("seeking-work-invite.md", 1)
    assert "missing front matter" in error.message
    assert error.hint and "---" in error.hint


def test_unterminated_front_matter(make_pack):
    root = make_pack({"seeking-work-invite.md": "---\nid: x\nversion: '1.0.0'\n"})
    error = _error(root)
    assert error.location.line == 1 and "unterminated front matter" in error.message


def test_schema_violation_maps_json_path_to_yaml_line(make_pack):
    # An unquoted 1.10 is the number 1.1 to YAML: the message says to quote it.
    root = make_pack(
        {"seeking-work-invite.md": SEEKING_WORK.replace('version: "1.0.0"', "version: 1.10")}
    )
    error = _error(root)
    assert (error.location.path.name, error.location.line) == ("seeking-work-invite.md", 3)
    assert "version" in error.message
    assert "quote" in (error.hint or "")


def test_schema_violation_in_a_nested_variable(make_pack):
    text = SEEKING_WORK.replace("field: {type: string,", "field: {type: strng,")
    error = _error(make_pack({"seeking-work-invite.md": text}))
    assert (error.location.line, error.location.column) == (13, 19)
    assert "variables.properties.field.type" in error.message


def test_missing_required_key_names_it(make_pack):
    text = SEEKING_WORK.replace("guidance: Use it when you are looking for work.\n", "")
    error = _error(make_pack({"seeking-work-invite.md": text}))
    assert error.location.line == 2 and "'guidance' is a required property" in error.message


def test_duplicate_ids_name_both_files(make_pack):
    root = make_pack(
        {"a/seeking-work-invite.md": SEEKING_WORK, "b/seeking-work-invite.md": SEEKING_WORK}
    )
    error = _error(root)
    assert "duplicate template id 'seeking-work-invite'" in error.message
    assert error.location.path.parent.name == "b" and error.location.line == 2
    assert "/a/seeking-work-invite.md" in error.message


def test_id_must_match_file_name(make_pack):
    error = _error(make_pack({"other-name.md": SEEKING_WORK}))
    assert error.location.path.name == "other-name.md" and error.location.line == 2
    assert "does not match the file name" in error.message


def test_duplicate_yaml_key_is_refused(make_pack):
    text = SEEKING_WORK.replace("title: Seeking work\n", "title: Seeking work\ntitle: Again\n")
    error = _error(make_pack({"seeking-work-invite.md": text}))
    assert error.location.line == 7 and "duplicate key 'title'" in error.message


def test_yaml_anchors_and_aliases_are_refused(make_pack):
    text = SEEKING_WORK.replace("title: Seeking work", "title: &t Seeking work").replace(
        "description: Ask who to talk to about work.", "description: *t"
    )
    error = _error(make_pack({"seeking-work-invite.md": text}))
    assert error.location.line == 6 and "anchors" in error.message


def test_invalid_manifest_names_pack_yaml(make_pack):
    root = make_pack(
        manifest='name: Bad Name\nversion: "1.0"\ndescription: x\ninvitepack: ">=0.1"\n'
    )
    error = _error(root)
    assert error.location.path.name == "pack.yaml" and error.location.line in (1, 2)


def test_non_utf8_template_is_refused_with_position(make_pack):
    root = make_pack()
    path = root / "templates" / "seeking-work-invite.md"
    path.write_bytes(SEEKING_WORK.replace("Seeking work", "Caf\xe9 work").encode("latin-1"))
    error = _error(root)
    assert error.location.line == 6 and "not valid UTF-8" in error.message


def test_bom_and_crlf_are_accepted(make_pack):
    root = make_pack()
    path = root / "templates" / "seeking-work-invite.md"
    path.write_bytes(b"\xef\xbb\xbf" + SEEKING_WORK.replace("\n", "\r\n").encode())
    pack = load_pack(root, Limits())
    assert pack.templates["seeking-work-invite"].body.startswith("Hi, I'm")


def test_locate_pack_walks_up_then_falls_back_to_builtin(make_pack, tmp_path):
    root = make_pack()
    nested = root / "templates" / "deep"
    nested.mkdir()
    assert locate_pack(None, nested) == root
    assert locate_pack(None, tmp_path / "..").name == "templates"  # the built-in pack
    with pytest.raises(LoadError, match=r"no pack\.yaml here"):
        locate_pack(str(tmp_path / "nowhere"))


def test_cli_loading_error_is_one_clean_message(cli, make_pack):
    root = make_pack(
        {
            "seeking-work-invite.md": SEEKING_WORK.replace(
                "channel: linkedin-invite", "channel: linkedin: invite"
            )
        }
    )
    result = cli("list", "--pack", str(root))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "seeking-work-invite.md:5" in result.stderr and "invalid YAML" in result.stderr


def test_unknown_channel_is_an_input_error_for_render(cli, make_pack):
    root = make_pack(
        {
            "seeking-work-invite.md": SEEKING_WORK.replace(
                "channel: linkedin-invite", "channel: linkedin-pigeon"
            )
        }
    )
    result = cli("render", "seeking-work-invite", "--pack", str(root), "--example", "1")
    assert result.returncode == 2
    assert (
        "seeking-work-invite.md:5" in result.stderr
        and "unknown channel 'linkedin-pigeon'" in result.stderr
    )


def test_pack_for_another_invitepack_version(make_pack):
    root = make_pack(manifest='name: test\nversion: "1.0.0"\ndescription: x\ninvitepack: ">=99"\n')
    error = _error(root)
    assert error.location.line == 4 and "this pack needs invitepack >=99" in error.message


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_both_yaml_parsers_refuse_the_same_things(monkeypatch, libyaml):
    from invitepack.pack import yamlfile

    if libyaml and not yamlfile._HAS_LIBYAML:
        pytest.skip("PyYAML was built without libyaml here")
    monkeypatch.setattr(yamlfile, "_HAS_LIBYAML", libyaml)
    doc = yamlfile.parse_yaml("id: x\nversion: 1.10\nwhen: 2024-01-01\n", Path("t.md"), 2)
    assert doc.data == {"id": "x", "version": 1.1, "when": "2024-01-01"}
    assert doc.plain_scalars[("version",)] == "1.10" and doc.location(["when"]).line == 4
    for text, message in [
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: !!python/name:os.system x\n", "tag"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "nested more than 50"),
        ("a: " + "[" * 49 + "]" * 49 + "\n", "nested more than 50"),  # 50 with the mapping
    ]:
        with pytest.raises(LoadError, match=message):
            yamlfile.parse_yaml(text, Path("t.md"))
    assert yamlfile.parse_yaml("a: " + "[" * 48 + "]" * 48 + "\n", None).data is not None


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("a: " + "[" * 49 + "]" * 49 + "\n", "nested more than 50 levels deep", 52),
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 50 levels deep", 1003),
        ("a: " + "- " * 3000 + "x\n", "block sequence entries are not allowed", 4),
    ],
)
def test_text_without_anchors_composed_at_once_is_refused_where_it_was(text, message, column):
    """Text without '&' or '*' is composed by libyaml before any event check; what it refuses
    is still reported by the checked parse, at the same place."""
    from invitepack.pack import yamlfile

    with pytest.raises(LoadError, match=message) as caught:
        yamlfile.parse_yaml(text, Path("t.md"))
    assert (caught.value.location.line, caught.value.location.column) == (1, column)
