"""Batch rendering from a spreadsheet: checked rows, safe output, no personal data in reports."""

from __future__ import annotations

import csv
import email
import email.policy
import json
import stat
from pathlib import Path

import pytest
from conftest import REPO, umask

HEADER = ["id", "recipient", "name", "field", "detail", "email"]
# seeking-work asks why this person would know of openings; an option applies to every row.
WHY_YOU = ["--why-you", "you run the Leeds data meetup"]


def _people(path: Path, rows: int, extra: list[list[str]] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"p{i}",
                    "Priya",
                    "Ada",
                    "data engineering",
                    f"your post on dbt tests, part {i}",
                    f"p{i}@example.com",
                ]
            )
        for row in extra or []:
            writer.writerow(row)
    return path


def _render(cli, tmp_path, *args):
    return cli("render", "seeking-work", "--pack", "builtin", *WHY_YOU, *args, cwd=tmp_path)


def test_a_thousand_rows_then_a_second_run_changes_nothing(cli, tmp_path):
    # Scale (10,000 rows and more) is bench/bench_render.py's and bench_memory.py's job.
    data = _people(tmp_path / "people.csv", 1_000)
    out = tmp_path / "notes"
    first = _render(cli, tmp_path, "--data", str(data), "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    files = sorted(out.iterdir())
    assert len(files) == 1_000 and files[0].name == "row-0001.txt"
    assert (
        files[0]
        .read_text(encoding="utf-8")
        .startswith("Hi Priya, I'm Ada, looking for work in data engineering.")
    )
    before = {p.name: p.stat().st_mtime_ns for p in files}
    second = _render(cli, tmp_path, "--data", str(data), "--out", str(out))
    assert second.returncode == 2 and "would overwrite" in second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_hostile_ids_stay_inside_out(cli, tmp_path):
    evil = [
        ["../../x", "Sam", "Ada", "data", "your talk on Rust", "s@example.com"],
        ["/etc/passwd", "Sam", "Ada", "data", "your talk on Go", "s@example.com"],
        ["..", "Sam", "Ada", "data", "your talk on C", "s@example.com"],
    ]
    data = _people(tmp_path / "people.csv", 0, evil)
    out = tmp_path / "deep" / "out"
    result = _render(cli, tmp_path, "--data", str(data), "--out", str(out), "--id-column", "id")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["etc-passwd.txt", "row-3.txt", "x.txt"]
    assert not (tmp_path / "x.txt").exists() and not (tmp_path / "deep" / "x.txt").exists()


def test_failing_row_is_reported_by_number_without_values(cli, tmp_path):
    secret = "your demo of our platform"  # a pitch, and this row's private data
    data = _people(
        tmp_path / "people.csv",
        3,
        [["p-secret", "Zebedee", "Ada", "data", secret, "z@example.com"]],
    )
    result = _render(
        cli, tmp_path, "--data", str(data), "--out", str(tmp_path / "out"), "--id-column", "id"
    )
    assert result.returncode == 1
    assert "row 4 (id p-secret): IP301 sales-pitch" in result.stderr
    assert "Zebedee" not in result.stderr and "platform" not in result.stderr
    assert "1 of 4 rows failed: nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()  # not even the folder the run would have made
    # Flags may come before the scenario name.
    skipped = cli(
        "render",
        "--skip-invalid",
        "seeking-work",
        "--pack",
        "builtin",
        *WHY_YOU,
        "--data",
        str(data),
        "--out",
        str(tmp_path / "out"),
        "--id-column",
        "id",
        cwd=tmp_path,
    )
    assert skipped.returncode == 1 and "3 of 4 rows written" in skipped.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p0.txt", "p1.txt", "p2.txt"]


def test_invalid_values_are_reported_without_echoing_them(cli, tmp_path):
    data = _people(
        tmp_path / "people.csv",
        1,
        [["p9", "Bartholomew\u202eMaximilian", "Ada", "data", "your post", "b@example.com"]],
    )
    result = _render(
        cli,
        tmp_path,
        "--data",
        str(data),
        "--jsonl",
        str(tmp_path / "out.jsonl"),
        "--id-column",
        "id",
    )
    assert result.returncode == 1
    # A long value is fine while the note fits; a character that reorders text never is.
    assert "row 2 (id p9): invalid values: --recipient: invisible character" in result.stderr
    assert "Bartholomew" not in result.stderr and not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "id,recipient,name,field,detail\np1,Priya,Ada,data,your post\np2,Sam,Ada\n",
            "people.csv:3: invalid data: row 2 has 3 fields but the header has 5",
        ),
        (
            'id,recipient,name,field,detail\np1,"Priya,Ada,data,your post\n',
            "people.csv:2: invalid data: invalid CSV: a quoted field is never closed",
        ),
        (
            "id,recipient,recipient,name,field,detail\n",
            "people.csv:1: invalid data: duplicate column 'recipient'",
        ),
        (
            "id,recipient,field,detail\np1,Priya,data,your post\n",
            "people.csv:1: invalid data: no column for required variable(s): name",
        ),
    ],
)
def test_structural_problems_are_found_before_any_output(cli, tmp_path, content, expected):
    data = tmp_path / "people.csv"
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = _render(cli, tmp_path, "--data", str(data), "--out", str(out))
    assert result.returncode == 2
    assert expected.replace("invalid data: ", "") in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_encoding_bom_and_latin1(cli, tmp_path):
    data = tmp_path / "people.csv"
    data.write_bytes(
        "\ufeffid,recipient,name,field,detail\np1,Zoë,Ada,data,your post on tests\n".encode("utf-8")
    )
    ok = _render(cli, tmp_path, "--data", str(data), "--jsonl", str(tmp_path / "a.jsonl"))
    assert ok.returncode == 0, ok.stderr
    assert json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))["body"].startswith(
        "Hi Zoë,"
    )
    data.write_bytes(
        "id,recipient,name,field,detail\np1,Zoë,Ada,data,your post on tests\n".encode("latin-1")
    )
    bad = _render(cli, tmp_path, "--data", str(data), "--jsonl", str(tmp_path / "b.jsonl"))
    assert bad.returncode == 2 and "people.csv:2:" in bad.stderr and "--encoding" in bad.stderr
    good = _render(
        cli,
        tmp_path,
        "--data",
        str(data),
        "--jsonl",
        str(tmp_path / "c.jsonl"),
        "--encoding",
        "latin-1",
    )
    assert good.returncode == 0


def test_a_jsonl_file_gets_the_umasks_mode_and_force_keeps_the_replaced_files(cli, tmp_path):
    """The JSON Lines file is staged privately but published as any new file of the user's
    would be; replacing one with --force keeps the mode its owner gave it."""
    data = _people(tmp_path / "people.csv", 2)
    target = tmp_path / "notes.jsonl"
    with umask(0o022):
        first = _render(cli, tmp_path, "--data", str(data), "--jsonl", str(target))
    assert first.returncode == 0, first.stderr
    assert oct(stat.S_IMODE(target.stat().st_mode)) == oct(0o644)
    target.chmod(0o640)
    with umask(0o022):
        again = _render(cli, tmp_path, "--data", str(data), "--jsonl", str(target), "--force")
    assert again.returncode == 0, again.stderr
    assert oct(stat.S_IMODE(target.stat().st_mode)) == oct(0o640)
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2


def test_map_columns_and_defaults_from_options(cli, tmp_path):
    data = tmp_path / "people.jsonl"
    data.write_text(
        json.dumps({"first": "Priya", "field": "data", "detail": "your post on tests"}) + "\n",
        encoding="utf-8",
    )
    result = _render(
        cli,
        tmp_path,
        "--data",
        str(data),
        "--jsonl",
        str(tmp_path / "o.jsonl"),
        "--map",
        "first=recipient",
        "--name",
        "Ada",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))["body"].startswith(
        "Hi Priya, I'm Ada,"
    )


def test_eml_output_parses_back_with_both_parts(cli, tmp_path):
    data = tmp_path / "people.yaml"
    data.write_text(
        "- {id: p1, recipient: Priya, name: Ada, company: Finch, skills: '<b>Python</b> "
        "& *Airflow*', benefit: 'your nightly pipeline jobs', detail: 'your post on dbt "
        "tests', email: priya@example.com}\n",
        encoding="utf-8",
    )
    out = tmp_path / "mail"
    result = cli(
        "render",
        "offering-skills",
        "--channel",
        "email",
        "--pack",
        "builtin",
        "--data",
        str(data),
        "--out",
        str(out),
        "--format",
        "eml",
        "--to-column",
        "email",
        "--from",
        "ada@example.com",
        "--id-column",
        "id",
        cwd=tmp_path,
    )
    if result.returncode != 0:
        pytest.fail(result.stderr)
    (path,) = out.iterdir()
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (
        message["To"] == "priya@example.com"
        and message["From"] == "ada@example.com"
        and message["Subject"]
    )
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Priya" in plain and "<p>" in html
    assert (
        "<b>Python</b>" not in html and "&lt;b&gt;Python&lt;/b&gt;" in html and "<em>" not in html
    )


def test_usage_errors(cli, tmp_path):
    data = _people(tmp_path / "people.csv", 1)
    assert _render(cli, tmp_path, "--data", str(data)).returncode == 2
    assert _render(cli, tmp_path, "--data", str(data), "--out", "o", "--jsonl", "j").returncode == 2
    assert _render(cli, tmp_path, "--format", "eml", "--example", "1").returncode == 2
    assert (
        "unknown data file type"
        in _render(cli, tmp_path, "--data", str(REPO / "README.md"), "--out", "o").stderr
    )


def _email_people(tmp_path: Path, email_value: str = "priya@example.com") -> Path:
    data = tmp_path / "people.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "recipient", "company", "role", "detail", "email"])
        for i in range(3):
            writer.writerow(
                [f"c{i}", "Priya", "Monzo", "Data Lead", "your Kafka talk at Current", email_value]
            )
    return data


def _email_batch(cli, tmp_path, data, sender, out="mail"):
    return cli(
        "render",
        "candidate-approach",
        "--channel",
        "email",
        "--pack",
        "builtin",
        "--data",
        str(data),
        "--name",
        "Sam",
        "--out",
        out,
        "--format",
        "eml",
        "--to-column",
        "email",
        "--from",
        sender,
        "--id-column",
        "id",
        cwd=tmp_path,
    )


def test_eml_has_date_message_id_display_name_and_html_line_breaks(cli, tmp_path):
    data = _email_people(tmp_path, "Priya Patel <priya@example.com>")
    result = _email_batch(cli, tmp_path, data, "Ada Lovelace <ada@acme.com>")
    assert result.returncode == 0, result.stderr
    paths = sorted((tmp_path / "mail").iterdir())
    assert len(paths) == 3
    ids = set()
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["From"].addresses[0].display_name == "Ada Lovelace"
        assert message["From"].addresses[0].addr_spec == "ada@acme.com"
        assert message["To"].addresses[0].display_name == "Priya Patel"
        assert message["Date"].datetime is not None
        assert message["Message-ID"].endswith("@acme.com>")
        ids.add(message["Message-ID"])
        html = message.get_body(("html",)).get_content()
        # The sign-off "Best,\nSam" stays two lines.
        assert "Best,<br />" in html and "<p>Best,<br />\r\nSam</p>" in html
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("sender", "words"),
    [
        ("Adä <adä@acme.com>", "plain ASCII before the @"),
        ("not an address", "needs a name before the @"),
        ("a@x.com, b@x.com", "one email address"),
    ],
)
def test_a_bad_sender_is_refused_once_before_any_row_in_plain_words(cli, tmp_path, sender, words):
    data = _email_people(tmp_path)
    result = _email_batch(cli, tmp_path, data, sender)
    assert result.returncode == 2
    assert words in result.stderr
    assert result.stderr.count("--from") == 1 and "row " not in result.stderr
    assert "Defect" not in result.stderr and "ValueError" not in result.stderr
    assert not (tmp_path / "mail").exists()


def test_a_bad_recipient_is_reported_per_row_in_plain_words(cli, tmp_path):
    data = _email_people(tmp_path, "prïya@example.com")
    result = _email_batch(cli, tmp_path, data, "ada@acme.com")
    assert result.returncode == 1
    assert "row 1 (id c0): the recipient address has letters outside plain ASCII" in result.stderr
    assert "Defect" not in result.stderr and "Error" not in result.stderr
