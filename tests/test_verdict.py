"""One explained verdict per note: what users see in `check`, `render`, `validate` and `rules`,
and the promise that the shipped weights come from the labelled data, reproducibly."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import yaml
from conftest import REPO

from invitepack.checks.verdict import CLOSE, shipped_model

GOOD = (
    "Hi Sam, your talk at PyData Leeds on feature stores changed how my team tests. "
    "I'm Ada, a data engineer at Loop. Would love to keep in touch."
)
# No detail, no ask, nobody: every weighted rule a careless note earns, no hard one.
VAGUE = "Hi Sam, I came across your profile and would love to connect."
# A message (not an invite, where the detail would be purpose enough) that is specific and
# introduced but says nothing of what the sender wants: one weighted finding, not enough on
# its own to send it back.
NO_ASK_BUT_SPECIFIC = "Hi Sam, I'm Ada from Loop. Your post on flaky Airflow DAGs was spot on."


def test_a_good_note_is_sent_with_exit_0(cli):
    result = cli("check", "-", input=GOOD)
    # Silence means fit to send, as in any linter.
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "All clear" in result.stderr


def test_a_vague_note_is_revised_with_weighted_reasons(cli):
    result = cli("check", "-", input=VAGUE)
    assert result.returncode == 1, result.stderr
    line = next(ln for ln in result.stdout.splitlines() if "verdict" in ln)
    assert "verdict revise:" in line
    # Each reason shows what it added to the score.
    assert "weak detail (+" in line and "missing purpose (+" in line
    assert "1 of 1 to revise" in result.stderr


def test_warnings_alone_need_not_fail_the_note(cli):
    result = cli(
        "check",
        "-",
        "--channel",
        "linkedin-message",
        "--output-format",
        "json",
        input=NO_ASK_BUT_SPECIFIC,
    )
    data = json.loads(result.stdout)
    assert data["verdict"]["decision"] == "send", data["verdict"]
    assert result.returncode == 0
    # The finding is still reported, as advice.
    assert {f["name"] for f in data["findings"]} == {"missing-purpose"}


def test_fail_level_warning_restores_strict_mode(cli):
    result = cli(
        "check",
        "-",
        "--channel",
        "linkedin-message",
        "--fail-level",
        "warning",
        input=NO_ASK_BUT_SPECIFIC,
    )
    assert result.returncode == 1
    assert "verdict send, though: missing purpose (+" in result.stdout


def test_json_has_a_top_level_verdict_with_decision_and_reasons(cli):
    result = cli("check", "-", "--output-format", "json", input=VAGUE)
    assert result.returncode == 1
    verdict = json.loads(result.stdout)["verdict"]
    assert verdict["decision"] == "revise"
    names = [r["name"] for r in verdict["reasons"]]
    assert "weak-detail" in names and "missing-purpose" in names
    assert all(r["contribution"] > 0 for r in verdict["reasons"])
    (note,) = verdict["notes"]
    assert note["decision"] == "revise"
    assert note["score"] >= shipped_model().threshold


def test_a_hard_rule_decides_alone(cli):
    note = "Hi {first_name}, your talk at PyData Leeds on feature stores was great. I'm Ada."
    result = cli("check", "-", "--output-format", "json", input=note)
    assert result.returncode == 1
    reasons = json.loads(result.stdout)["verdict"]["reasons"]
    assert {"code": "IP501", "hard": True}.items() <= reasons[0].items()


# Notes from clearly bad to clearly good, with a leftover placeholder (a hard rule) among them.
LADDER = (
    VAGUE,
    "Hi Sam, could you take a look at the failover docs when you have a moment?",
    "Hi Sam, I enjoyed your talk on Rust at RustConf. Would you be open to a chat?",
    NO_ASK_BUT_SPECIFIC,
    GOOD,
    "Hi {first_name}, could you take a look at the failover docs when you have a moment?",
)


def test_a_verdict_near_the_threshold_says_it_is_a_close_call(cli):
    """A close call is a verdict within CLOSE of the threshold with no hard rule behind it:
    the verdicts the checker gets right about half the time (README, Judgement quality). It
    is said in the verdict line, in JSON and in the summary; the exit code is unchanged."""
    threshold = shipped_model().threshold
    seen = set()
    for note in LADDER:
        result = cli("check", "-", "--output-format", "json", input=note)
        (verdict,) = json.loads(result.stdout)["verdict"]["notes"]
        hard = any(r["hard"] for r in verdict["reasons"])
        close = not hard and abs(verdict["score"] - threshold) < CLOSE
        assert verdict["close"] is close, (note, verdict)
        assert result.returncode == (1 if verdict["decision"] == "revise" else 0), note
        text = cli("check", "-", input=note)
        assert text.returncode == result.returncode
        line = next((ln for ln in text.stdout.splitlines() if " verdict " in ln), "")
        assert ("(close call)" in line) is close, (note, line)
        assert ("(1 close call)" in text.stderr) is close, (note, text.stderr)
        seen.add((close, hard))
    # The ladder holds close calls and clear verdicts, and a hard rule is never a close call.
    assert {(True, False), (False, False), (False, True)} <= seen, seen


def test_ignoring_a_rule_removes_its_weight(cli):
    bare = "Hi Sam, I'm Ada, a data engineer in Leeds."
    message = ("check", "-", "--channel", "linkedin-message")
    assert cli(*message, input=bare).returncode == 1
    result = cli(*message, "--ignore", "no-personal-detail", "--output-format", "json", input=bare)
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["verdict"]["decision"] == "send"


def test_sarif_and_github_carry_the_verdict(cli):
    sarif = json.loads(cli("check", "-", "--output-format", "sarif", input=VAGUE).stdout)
    assert sarif["runs"][0]["properties"]["verdict"]["decision"] == "revise"
    github = cli("check", "-", "--output-format", "github", input=VAGUE)
    assert github.returncode == 1
    assert "::error file=<stdin>,line=1,title=invitepack verdict::revise:" in github.stdout


def test_rules_show_each_weight(cli):
    listing = cli("rules")
    assert listing.returncode == 0
    header, *rows = listing.stdout.splitlines()
    assert "WEIGHT" in header
    by_code = {row.split()[0]: row.split()[3] for row in rows}
    assert by_code["IP501"] == "hard"
    assert float(by_code["IP204"]) > 0
    assert by_code["IP700"] == "-"  # a template rule judges templates, not notes
    explained = cli("rules", "IP204")
    assert "Weight in the verdict: +" in explained.stdout
    as_json = json.loads(cli("rules", "--format", "json").stdout)["rules"]
    assert {r["code"]: r["weight"] for r in as_json}["IP101"] == "hard"


def test_a_rule_about_how_a_note_travels_is_never_weighed(cli):
    """`long-line` says a mail client will encode the line and the note needs no change: a
    verdict that counted it against the note would contradict the rule's own advice, however
    the few labelled notes it fires on happen to fall."""
    listing = cli("rules")
    assert listing.returncode == 0, listing.stderr
    by_code = {row.split()[0]: row.split()[3] for row in listing.stdout.splitlines()[1:]}
    assert by_code["IP106"] == "advice"  # in `rules`, and so in every verdict:
    note = "Hi Sam, I'm Ada. " + "I read your post on failover drills and " * 30 + "thank you."
    result = cli("check", "--channel", "email", "--format", "json", "-", input=note)
    assert result.returncode in (0, 1), result.stderr  # judged, not refused
    report = json.loads(result.stdout)
    assert "long-line" in {f["name"] for f in report["findings"]}, result.stdout
    (verdict,) = report["verdict"]["notes"]
    assert "long-line" not in {reason["name"] for reason in verdict["reasons"]}, verdict


def test_render_prints_the_verdict_and_json_carries_it(cli):
    args = ["render", "genuine-networking", "--example", "1"]
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert data["verdict"]["decision"] == "send"
    assert isinstance(data["findings"], list)
    # A detail any mail merge could write is weighed, and the verdict line says so.
    vague = cli(*args, "--detail", "your profile")
    assert vague.returncode in (0, 1), vague.stderr
    assert "verdict " in vague.stderr and "weak detail (+" in vague.stderr
    weighed = json.loads(cli(*args, "--detail", "your profile", "--format", "json").stdout)
    assert "weak-detail" in [r["name"] for r in weighed["verdict"]["reasons"]]


def test_validate_fails_an_example_to_revise(cli, make_pack):
    pack = make_pack(
        {
            "vague-invite.md": textwrap.dedent(
                """\
                ---
                id: vague-invite
                version: "1.0.0"
                scenario: genuine-networking
                channel: linkedin-invite
                title: Vague
                description: A note that says nothing.
                guidance: Do not use.
                variables:
                  type: object
                  properties:
                    recipient: {type: string, maxLength: 20, description: First name}
                  required: [recipient]
                examples:
                  - {recipient: Sam}
                ---
                Hi {{ recipient }}, I came across your profile and would love to connect.
                """
            )
        }
    )
    result = cli("validate", "--pack", str(pack))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "(example 1): verdict revise:" in result.stdout


def test_shipped_weights_are_a_reproducible_fit_of_the_dev_half():
    """The weights file is what scripts/fit_verdict.py makes from the development notes."""
    result = fit_verdict("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_fit_holds_up_on_dev_notes_it_was_not_fitted_on():
    """Cross-validation on the dev half (`fit_verdict.py --cv`) is how a new feature is judged
    without spending a look at the test half: the procedure must still generalise."""
    # Fifty fits (10 folds, 5 shuffles) of the 1,778-note dev half: 5-7 minutes on two cores,
    # past the default guard on a slow day.
    result = fit_verdict("--cv", timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    scores = dict(part.split() for part in result.stdout.strip().split(", "))
    # 0.792, 0.838 and 0.749 on the 1,778-note dev half (0.2.21: c82-c87's press, investor and
    # notice emails dealt in, and a demo a pitch only when offered); 0.793, 0.839 and 0.754 on
    # 0.2.20's 1,660 (c76-c81 dealt in, names masked from the wording); 0.791, 0.837
    # and 0.756 on 0.2.19's 1,540 (c73-c75 dealt in, hard ground);
    # 0.796, 0.844 and 0.760 on 0.2.18's 1,478 (c70-c72); 0.797, 0.843 and
    # 0.760 on 0.2.17's 1,415 (c64-c69); 0.802, 0.847 and 0.769 on 0.2.16's 1,294 (c61-c63); 0.801,
    # 0.851 and 0.765 on 0.2.15's 1,231 (c58-c60); 0.794, 0.850 and 0.744 on 0.2.14's 1,180
    # (c55-c57); 0.798, 0.850 and 0.753 on 0.2.13's 1,119 (c52-c54); 0.797, 0.847 and 0.756 on
    # 0.2.12's 1,052 (c49-c51); 0.800, 0.845 and 0.762 on 0.2.11's 985 (c46-c48, from new ground);
    # 0.801, 0.848 and 0.762 on 0.2.10's 921, with the wording weighed; the rules alone, fitted as
    # 0.2.9 fitted them, 0.806, 0.807 and 0.834: cross-validation on the notes the rules were read
    # from favours the rules, and notes from new ground favour the wording
    # (docs/judgement-history.md has every figure and the change that moved it).
    assert float(scores["accuracy"]) >= 0.79, result.stdout
    assert float(scores["precision"]) >= 0.83, result.stdout
    assert float(scores["recall"]) >= 0.74, result.stdout


def fit_verdict(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """The fitting script as a developer runs it; the timeout only guards against a hang."""
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fit_verdict.py"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )


# A consultant's cold pitch, as a message (no invitation's hard rule on selling decides it).
PITCHY = (
    "Hi Sam, I'm Ada, a freelance consultant. My clients hire me for marketplace payments "
    "consulting, and I'd like to partner with you."
)


def test_the_wording_is_weighed_and_named_among_the_reasons(cli):
    args = ("check", "-", "--channel", "linkedin-message", "--output-format", "json")
    (verdict,) = json.loads(cli(*args, input=PITCHY).stdout)["verdict"]["notes"]
    (wording,) = [r for r in verdict["reasons"] if r["code"] == "IP209"]
    assert wording["name"] == "wording" and wording["contribution"] > 0.05, wording
    # The words it names are the note's own, the ones that moved it.
    named = wording["summary"].removeprefix("wording like ").replace("'", "").split(", ")
    assert named and all(word in PITCHY.lower() for word in named), wording
    text = cli("check", "-", "--channel", "linkedin-message", input=PITCHY)
    assert text.returncode == 1 and "wording like '" in text.stdout, text.stdout


@pytest.mark.parametrize(
    "note",
    [
        "Hi, I stumbled on the YouTube talk you gave with the team and would like to connect.",
        "Hi Sam, I'm Ada, a data engineer. Would you be open to a chat?",
        "Hello, I read your paper and would like to ask whether you could share the code with me.",
    ],
)
def test_the_wording_names_content_words_not_grammar(cli, note):
    # 'the', 'you' and 'whether' weigh as much as other words here (they are among the words
    # that moved these notes most), but a reason naming them gives the writer nothing to change.
    args = ("check", "-", "--channel", "email", "--output-format", "json")
    result = cli(*args, input=note)
    assert result.returncode in (0, 1), result.stderr
    (verdict,) = json.loads(result.stdout)["verdict"]["notes"]
    (wording,) = [r for r in verdict["reasons"] if r["code"] == "IP209"]
    named = wording["summary"].removeprefix("wording like ").replace("'", "").split(", ")
    assert named and all(word in note.lower() for word in named), wording
    assert not set(named) & {"the", "you", "your", "with", "whether", "would", "like"}, wording


def test_ignoring_the_wording_leaves_the_verdict_to_the_rules(cli):
    args = ("check", "-", "--channel", "linkedin-message", "--output-format", "json")
    (weighed,) = json.loads(cli(*args, input=PITCHY).stdout)["verdict"]["notes"]
    ignored = cli(*args, "--ignore", "wording", input=PITCHY)
    assert ignored.returncode in (0, 1), ignored.stderr
    (rules_alone,) = json.loads(ignored.stdout)["verdict"]["notes"]
    (wording,) = [r for r in weighed["reasons"] if r["code"] == "IP209"]
    assert "IP209" not in [r["code"] for r in rules_alone["reasons"]]
    assert abs(weighed["score"] - wording["contribution"] - rules_alone["score"]) < 0.002
    listing = cli("rules", "wording")
    assert listing.returncode == 0 and "Weight in the verdict: per-word" in listing.stdout


@pytest.mark.parametrize(
    "template",
    [
        "Hi {name}, I'm Ada from {company}. Your post on flaky Airflow DAGs was spot on.",
        "Dear Dr. {name},\n\nYour post on flaky Airflow DAGs was spot on.\n\nThanks,\n{sender}",
        "Hello {name} - your post on flaky Airflow DAGs was spot on. - {sender}",
    ],
)
def test_a_note_is_no_better_or_worse_for_who_writes_it_or_whom_it_greets(cli, template):
    """Names carry no weight: the name a greeting addresses and the name that signs are masked
    from the wording, as a name after at/from is, even a name that is also a word the labelled
    notes use ("Mark", "Will", "Max", "Grace", "Hope")."""
    scores = set()
    for name, company, sender in (
        ("Sally", "Acme", "Ada"),
        ("Mark", "Globex", "Grace"),
        ("Max", "Initech", "Hope"),
        ("Will", "Umbrella", "Rose"),
    ):
        note = template.format(name=name, company=company, sender=sender)
        result = cli("check", "-", "--channel", "email", "--output-format", "json", input=note)
        assert result.returncode in (0, 1), result.stderr
        scores.add(json.loads(result.stdout)["verdict"]["notes"][0]["score"])
    assert len(scores) == 1, scores


@pytest.mark.parametrize(
    ("text", "signer", "masked"),
    [
        ("Hi Priya, loved it.\nThanks,\nAda", "Ada", "Hi Zzzzz, loved it.\nThanks,\nZzz"),
        (
            "Subject: Hi\nDear Prof. Grace Hopper,\nA question.",
            None,
            "Subject: Hi\nDear Prof. Zzzzzzzzzzzz,\nA question.",
        ),
        # An addressee that is a role says the note went to anyone: it is weighed.
        ("Dear Hiring Manager, a question.", None, "Dear Hiring Manager, a question."),
        ("Hi Team, Hi everyone! A question.", None, "Hi Team, Hi everyone! A question."),
        # A blank left in capitals is a placeholder, which the wording may weigh.
        ("Hi NAME, a question.", None, "Hi NAME, a question."),
    ],
)
def test_the_wording_masks_the_greeted_and_the_signing_name_but_not_a_role(text, signer, masked):
    from invitepack.checks.evidence import without_names

    assert without_names(text, signer) == masked


def test_a_short_note_s_few_words_weigh_less_than_a_long_note_s_many():
    from invitepack.checks.wording import Wording

    weights = {"synergy": 2.0, "the": -1.0, "rota": -1.5, "!": 1.0}
    wording = Wording(centre=0.0, prior=10.0, weights=weights)
    short, _ = wording.weigh("Synergy!")
    long, _ = wording.weigh("Synérgy " * 30)  # accents are dropped, as in the fitted notes
    assert 0 < short < long < 2.0
    added, known = wording.weigh("The synergy!")
    assert known == [("the", -1.0), ("synergy", 2.0), ("!", 1.0)]
    assert wording.moved_by(known, added) == ("synergy",)  # words, not marks
    # 'the' weighs, but a reason names content words only: nothing here, 'rota' there.
    assert added > 0 and wording.moved_by(known, -0.5) == ()
    added, known = wording.weigh("The rota!")
    assert added < 0 and wording.moved_by(known, added) == ("rota",)
    assert wording.weigh("Nothing it knows") == (0.0, [])


def test_a_wording_weighs_what_the_fit_weighs_on_every_labelled_note():
    """The run-time reading (runs of non-space split once and remembered) gives each labelled
    note the words and the weight the fit gives it (`words`, then the mean beside the prior)."""
    from verdict_quality import all_notes

    from invitepack.checks.wording import words

    wording = shipped_model().wording
    assert wording is not None
    for note in all_notes():
        added, known = wording.weigh(note["text"])
        spelt = [(w, wording.weights[w]) for w in words(note["text"]) if w in wording.weights]
        assert known == spelt, note["id"]
        expected = (
            (sum(x for _, x in spelt) - len(spelt) * wording.centre) / (len(spelt) + wording.prior)
            if spelt
            else 0.0
        )
        assert abs(added - expected) < 1e-9, note["id"]  # summed a run at a time


def test_a_deal_is_tried_on_the_fit_before_any_note_moves(tmp_path, monkeypatch):
    """`fit_verdict.py --deal FILE` says what dealing a collected file into the halves would do
    to the fit, the figures the rule for shipping a refit reads (README, Judgement quality):
    cross-validated on the dev notes already in and on those the deal adds, beside the
    shipped weights on the added ones. It writes nothing: the split and the weights stay."""
    from verdict_quality import evaluate, load

    dev = load("dev")
    collected = [dict(note, id=f"new-{number:02}") for number, note in enumerate(dev[:12], 1)]
    path = tmp_path / "raw-new.yaml"
    path.write_text(yaml.safe_dump(collected, allow_unicode=True), encoding="utf-8")
    split = REPO / "tests" / "data" / "real" / "split.yaml"
    before = split.read_bytes(), (REPO / "invitepack" / "data" / "verdict.json").read_bytes()

    result = fit_verdict("--deal", str(path), "--folds", "2", "--shuffles", "1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        split.read_bytes(),
        (REPO / "invitepack" / "data" / "verdict.json").read_bytes(),
    ) == before
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    from split_real_notes import current_split, deal

    added_ids = set(deal(dev + collected, current_split())["dev"]) - {n["id"] for n in dev}
    added = tmp_path / "raw-added.yaml"
    added.write_text(
        yaml.safe_dump([n for n in collected if n["id"] in added_ids], allow_unicode=True),
        encoding="utf-8",
    )
    shipped = evaluate(str(added)).accuracy
    old, new = result.stdout.splitlines()
    assert old.startswith("dev notes already in: cross-validated accuracy 0.")
    assert old.endswith(f"({len(dev)} notes)")
    assert new.startswith("dev notes the deal adds: cross-validated accuracy ")
    figure = f"{shipped.rate:.3f} ({shipped.right}/{len(added_ids)})"
    assert new.endswith(f"({len(added_ids)} notes); the shipped weights {figure}")


def test_a_deal_refuses_notes_the_halves_already_hold(tmp_path):
    """Dealing a note in twice would count it in both halves: --deal names the ids and exits 2."""
    from verdict_quality import load

    path = tmp_path / "raw-again.yaml"
    path.write_text(yaml.safe_dump(load("test")[:2], allow_unicode=True), encoding="utf-8")
    result = fit_verdict("--deal", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "already in the halves" in result.stderr
    assert load("test")[0]["id"] in result.stderr


def test_cross_validation_by_set_holds_each_collected_set_out_whole(monkeypatch):
    """`--by-set` deals whole collected sets into the folds: a note is judged by a fit that saw
    nothing of its source, as a never-seen set is. Without it the folds are the ones `--cv`
    has always used (by note), so earlier figures stay comparable."""
    import random

    from verdict_quality import load

    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    from fit_verdict import collected_sets, folds_of

    dev = load("dev")
    sets = collected_sets(dev)
    assert sets[:1] == [dev[0]["id"].split("-")[0]] and len(set(sets)) > 10
    folds = folds_of(sets, 10, 0)
    assert sorted(i for held in folds for i in held) == list(range(len(dev)))
    for held in folds:
        inside = {sets[i] for i in held}
        assert not any(sets[i] in inside for i in range(len(dev)) if i not in held)
    assert len(folds_of(sets, 1000, 0)) == len(set(sets))  # a set a fold

    order = list(range(len(dev)))
    random.Random(3).shuffle(order)
    assert folds_of(list(range(len(dev))), 10, 3) == [set(order[k::10]) for k in range(10)]


def test_cross_validation_by_set_runs_from_the_command_line():
    """The flag reaches the folds: by set, the same two folds give other figures than by note."""
    result = fit_verdict("--cv", "--by-set", "--folds", "2", "--shuffles", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    scores = dict(part.split() for part in result.stdout.strip().split(", "))
    assert set(scores) == {"accuracy", "precision", "recall"}
    assert 0.6 < float(scores["accuracy"]) < 0.95, result.stdout
    by_note = fit_verdict("--cv", "--folds", "2", "--shuffles", "1")
    assert by_note.returncode == 0 and by_note.stdout != result.stdout, by_note.stdout


def test_a_cross_validation_needs_two_folds_and_one_shuffle():
    """One fold leaves nothing to fit on: the script says so and exits 2, no traceback."""
    result = fit_verdict("--cv", "--folds", "1")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--folds: '1' is not a whole number of 2 or more" in result.stderr
    assert "Traceback" not in result.stderr
