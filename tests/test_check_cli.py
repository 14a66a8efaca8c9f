"""`invitepack check` on hand-written notes, through the real console script."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import DATA

GOOD = (
    "Hi Priya, I enjoyed your PyData talk on testing pipelines. I'm a data engineer looking for "
    "my next role: who would be the right person at your company to ask?"
)


def test_linkedin_default_text_fails_with_a_code(cli):
    result = cli("check", "-", input="I'd like to add you to my professional network on LinkedIn.")
    assert result.returncode == 1
    assert "IP207" in result.stdout and "default-text" in result.stdout


def test_specific_explained_pitch_free_note_passes(cli):
    result = cli("check", "-", input=GOOD)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and "All clear: 1 note checked." in result.stderr


def test_pitch_with_calendar_link_fails(cli):
    note = (
        "Hi Sam, loved your post on onboarding. Our platform cuts onboarding time in half. "
        "Book a time: https://calendly.com/acme/15min"
    )
    result = cli("check", "-", input=note)
    assert result.returncode == 1
    assert "IP301" in result.stdout and "IP302" in result.stdout


def test_an_article_offered_for_a_link_back_is_a_pitch(cli):
    note = (
        "Hi, I'm Alia, a writer. I loved your post on hiring juniors. I'd write an original "
        "article for your blog; in return I'd appreciate a link back to my sites. Interested?"
    )
    result = cli("check", "--channel", "email", "-", input=note)
    assert result.returncode == 1, result.stdout
    assert "IP301 [error] sales-pitch" in result.stdout and "'link back to my sites'" in (
        result.stdout
    )


def test_candidate_approach_presuming_interest_fails(cli):
    result = cli(
        "check",
        "-",
        "--scenario",
        "candidate-approach",
        input="I have an exciting opportunity that's perfect for you!",
    )
    assert result.returncode == 1
    assert "assumes-job-interest" in result.stdout and "no-easy-out" in result.stdout


def test_recruiter_note_with_an_easy_out_is_clean(cli):
    note = (
        "Hi Anna, I'm Ada, a recruiter at Finch. Your PyData talk on Kafka consumers was great. "
        "We're hiring a staff data engineer; "
        "if you're happy where you are, no worries, glad to just connect."
    )
    result = cli("check", "-", "--scenario", "candidate-approach", input=note)
    assert result.returncode == 0, result.stdout


def test_a_big_ask_without_a_particular_detail_is_flagged_and_weighed(cli):
    """The talk's recruiter who offers a role on the strength of a title, and the stranger who
    asks for a referral, are told what is missing; a strong detail answers it."""
    weak_role = (
        "Hi Anna, I came across your profile and think you'd be great for our staff data "
        "engineer role at Finch. If you're happy where you are, no worries."
    )
    result = cli("check", "-", "--scenario", "candidate-approach", input=weak_role)
    assert result.returncode == 1, result.stdout
    assert "IP208" in result.stdout and "to consider a role" in result.stdout
    assert "ask without detail (+" in result.stdout

    strong_role = weak_role.replace(
        "I came across your profile", "your PyData talk on Kafka consumers was great"
    )
    # The rules' reading of the ask, without the wording (which holds the missing
    # introduction against recruiting words: test_verdict has the wording's own tests).
    result = cli(
        "check", "-", "--scenario", "candidate-approach", "--ignore", "wording", input=strong_role
    )
    assert result.returncode == 0, result.stdout
    assert "IP208" not in result.stdout

    referral = "Hi Sam, I'm Ada, a data engineer. Could you refer me for the analyst role at Acme?"
    result = cli("check", "-", input=referral)  # no scenario: the ask itself says it
    assert "IP208" in result.stdout and "to vouch for you" in result.stdout, result.stdout
    assert result.returncode in (0, 1)


def test_a_hard_wrapped_email_is_read_as_the_sentences_it_holds(cli, tmp_path):
    """Emails quoted from mail clients break lines mid-sentence; the detail across the break
    ("your\nMiniGo project") still counts."""
    note = tmp_path / "wrapped.txt"
    note.write_text(
        "Subject: Go engines\n\nHi Sam,\n\nI have been digging into your\nMiniGo project and "
        "how it reads ladders. Would you be open to a short call next\nweek?\n\nAda\n",
        encoding="utf-8",
    )
    result = cli("check", "--channel", "email", str(note))
    assert result.returncode == 0, result.stdout
    assert "no-personal-detail" not in result.stdout and "All clear" in result.stderr


def test_a_rebuke_is_told_apart_from_a_plain_no(cli):
    rebuke = (
        "Not interested. If you think this kind of crap works as a first message, I question "
        "your competence. Don't message me ever again."
    )
    result = cli("check", "-", "--scenario", "polite-decline", input=rebuke)
    assert "IP606" in result.stdout and "reads as a rebuke" in result.stdout, result.stdout
    assert "discourteous (+" in result.stdout and result.returncode in (0, 1)

    plain_no = "Thanks for thinking of me, Sam, but I'm not looking right now. Best of luck!"
    result = cli("check", "-", "--scenario", "polite-decline", input=plain_no)
    assert result.returncode == 0, result.stdout
    assert "IP606" not in result.stdout


def test_an_ellipsis_where_the_words_should_go_is_a_leftover_placeholder(cli):
    result = cli("check", "-", input="Good morning, my name is ….\nI admire the work you do with…")
    assert result.returncode == 1
    assert "IP501" in result.stdout
    result = cli("check", "-", input="Hi Sam, the talk on teams was.... (wait for it)... fun. Ada")
    assert "IP501" not in result.stdout and result.returncode in (0, 1), result.stdout


def test_a_merge_tag_between_pipes_is_a_placeholder_but_a_row_of_links_is_not(cli):
    result = cli("check", "-", input="Hi *|FNAME|*, I loved your talk on dbt at Coalesce. Ada")
    assert result.returncode == 1 and "unfilled placeholder '|FNAME|'" in result.stdout
    signed = (
        "Hi Calley, I loved your talk on dbt tests at Coalesce last week. Could I ask you "
        "one question about it?\n\nAll best - Will\n\nLinkedIn | Github | Resume"
    )
    result = cli("check", "-", input=signed)
    assert result.returncode == 0 and "IP501" not in result.stdout, result.stdout


def test_reading_their_profile_is_weak_whatever_the_verb(cli):
    """'After reading your profile', 'I read about your company', 'I enjoyed reading your
    posts' are what anyone could write; the same verbs before a piece of theirs with a topic
    are a detail."""
    for generic in (
        "Hi Sam, after reading your profile I wanted to connect.",
        "Hi Sam, I read about your company and would like to connect.",
        "Hi Sam, I enjoyed reading your posts. Let's connect.",
    ):
        result = cli("check", "--channel", "linkedin-invite", "-", input=generic)
        assert result.returncode == 1, result.stdout
        assert "weak-detail: only a detail anyone could write" in result.stdout, result.stdout
    specific = "Hi Sam, after reading your post on feature stores I wanted to connect. Ada"
    # The rules' verdict (the wording, weighed apart, holds the missing introduction against it).
    args = ("check", "--channel", "linkedin-invite", "--ignore", "wording", "-")
    result = cli(*args, input=specific)
    assert result.returncode == 0 and "weak-detail" not in result.stdout, result.stdout


def test_a_school_in_common_and_a_move_their_team_made_are_details(cli):
    """The labelling guide's shared history ('same class') and 'a specific thing their team
    did' are strong details, so these invites need no more to be sent."""
    for specific in (
        "Hi Sam, we went to the same high school, Lincoln High. Let's connect! Ada",
        "Hi Sam, your team's move to Postgres was a great read. I'm Ada, doing the same at Lumen.",
    ):
        result = cli("check", "--channel", "linkedin-invite", "-", input=specific)
        assert result.returncode == 0, result.stdout
        assert "detail" not in result.stdout and "missing-purpose" not in result.stdout


def test_a_cover_letters_i_have_found_is_not_a_reply(cli):
    """'We have found another candidate' closes a thread; 'I have found that I enjoy ...'
    is a stranger's cold note, which owes the reader a detail and an introduction."""
    cold = (
        "I have come across your company web site. I have found that I enjoy server side "
        "code. I am looking for any entry level position that might be available."
    )
    result = cli("check", "-", input=cold)
    # Its weak detail and missing introduction, with the words of a form letter, send it back.
    assert result.returncode == 1 and "verdict revise" in result.stdout, result.stdout
    assert "weak-detail: only a detail anyone could write: 'come across your company'" in (
        result.stdout
    )
    closing = "Sadly we have found another candidate for the role."
    result = cli("check", "-", "--fail-level", "warning", input=closing)
    assert result.returncode == 0 and "IP204" not in result.stdout, result.stdout


def test_a_detail_left_blank_is_weak_but_a_blank_greeting_spoils_no_detail(cli):
    """A template's detail with its blank still in is not a detail; a blank name in the
    greeting leaves the real detail after it standing."""
    blank = "Hi Sam, I caught your session at [Event] on [topic]. Would love to connect."
    result = cli("check", "--channel", "linkedin-invite", "-", input=blank)
    assert result.returncode == 1 and "IP501" in result.stdout
    assert "weak-detail: the detail is still a blank: 'I caught your session at [Event] on " in (
        result.stdout
    )

    greeting = (
        "Hi [name] \u2014 I read your post on hotel retention rates and it matched what I see "
        "in my own teams. Wanted to connect."
    )
    result = cli("check", "--channel", "linkedin-invite", "-", input=greeting)
    assert result.returncode == 1 and "IP501" in result.stdout
    assert "weak-detail" not in result.stdout and "no-personal-detail" not in result.stdout


def test_a_sign_off_word_alone_is_not_a_signature(cli):
    ask = "Hi Sam, could we talk about your MiniGo project's ladder reading next week?\n"
    result = cli("check", "-", input=ask + "Thanks.")
    assert result.returncode == 0 and "IP206 [info] no-introduction" in result.stdout
    result = cli("check", "-", input=ask + "Thanks,\nAda")
    assert result.returncode == 0 and "All clear" in result.stderr, result.stdout


def test_a_thing_of_theirs_called_by_its_own_name_is_a_detail(cli):
    note = (
        "Dan, just to say thanks: what an excellent tool your Path Length Checker is. We "
        "finally sorted our photo archive with it.\nMike"
    )
    result = cli("check", "--channel", "email", "-", input=note)
    assert result.returncode == 0 and "All clear" in result.stderr, result.stdout
    # A platform or a profile trait is not a named thing of theirs.
    for weak in ("your LinkedIn profile", "your Accounting background"):
        result = cli("check", "--channel", "email", "-", input=f"Dan, I like {weak}.\nMike")
        assert "weak-detail" in result.stdout or "no-personal-detail" in result.stdout, weak
        assert result.returncode in (0, 1)


def test_a_paragraph_on_one_long_line_is_told_not_failed(cli, tmp_path):
    """Mail clients and the .eml output encode long lines; a one-line paragraph is not a reason
    to revise the note."""
    sentence = "I enjoyed your talk on Polars at PyData and tried the lazy API on our logs. "
    note = tmp_path / "long.txt"
    note.write_text(f"Hi Sam,\n\n{sentence * 14}Could we compare notes?\n\nAda\n", "utf-8")
    result = cli("check", "--channel", "email", str(note))
    assert result.returncode == 0, result.stdout
    assert "IP106 [info] long-line: a line of 1087 characters (at most 998)" in result.stdout


def test_placeholders_are_caught_with_positions(cli):
    result = cli(
        "check",
        "-",
        input="Hi {first_name}, I saw your post about [Company]'s launch. Would you be open to "
        "a chat?",
    )
    assert result.returncode == 1
    assert "<stdin>:1:4: IP501" in result.stdout and "'{first_name}'" in result.stdout
    assert "'[Company]'" in result.stdout


def test_note_files_report_file_line_and_column(cli, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text(
        "Hi Sam,\n\nLoved your post on hiring. Book a demo with us?\n", encoding="utf-8"
    )
    result = cli("check", str(note))
    assert result.returncode == 1
    # 'Book a demo' starts at column 28 of line 3 (the blank line 2 is kept in the count).
    assert "note.txt:3:28: IP301" in result.stdout


def test_over_the_free_limit_but_not_premium(cli):
    note = GOOD + " " + "I would really appreciate any pointers at all." * 2
    assert "IP101" in cli("check", "-", input=note).stdout
    premium = cli("check", "-", "--account", "premium", input=note)
    assert premium.returncode == 0 and "IP101" not in premium.stdout
    assert "All clear: 1 note checked." in premium.stderr


def test_emoji_count_double_towards_the_limit(cli):
    note = GOOD + " " + "x" * (200 - len(GOOD) - 4) + "🙂" * 3  # 200 code points, 203 UTF-16 units
    assert len(note) == 200
    result = cli("check", "-", "--output-format", "json", input=note)
    over = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "IP101"]
    assert over and over[0]["message"].startswith("203 characters")


def test_inmail_subject_line_is_read(cli):
    note = "Subject: " + "A role at Finch " * 14 + "\n\n" + GOOD
    result = cli("check", "-", "--channel", "linkedin-inmail", input=note)
    assert "IP103" in result.stdout


def test_select_and_ignore_by_code_prefix_and_name(cli):
    note = "Hi Sam, quick call? Book a time at https://calendly.com/x"
    assert "IP302" in cli("check", "-", input=note).stdout
    ignored = cli("check", "-", "--ignore", "link-in-invite", input=note)
    assert ignored.returncode == 1 and "IP302" not in ignored.stdout and "IP301" in ignored.stdout
    only = cli("check", "-", "--select", "IP3", input=note)
    assert only.returncode == 1 and "IP301" in only.stdout and "IP204" not in only.stdout
    bad = cli("check", "-", "--select", "no-such-rule", input=note)
    assert bad.returncode == 2 and "unknown rule selector" in bad.stderr


def test_fail_level_and_exit_zero(cli):
    note = (
        "Hi Sam, I'm Ada, a data engineer at Loop. I loved your post on hiring juniors and would "
        "like to connect with you and learn more."
    )
    result = cli("check", "-", input=note)
    assert result.returncode == 0 and "All clear" in result.stderr, result.stdout
    assert cli("check", "-", "--exit-zero", input="Let's connect").returncode == 0
    # Warnings alone fail the note only when its verdict says so, unless --fail-level asks.
    warn_only = "Hi Sam, I'm Ada from Loop. Your post on flaky Airflow DAGs was spot on."
    args = ("check", "-", "--channel", "linkedin-message")
    assert cli(*args, input=warn_only).returncode == 0
    assert cli(*args, "--fail-level", "warning", input=warn_only).returncode == 1
    assert cli(*args, "--fail-level", "warning", "--exit-zero", input=warn_only).returncode == 0


def test_json_output_parses_and_has_schema_version(cli):
    result = cli(
        "check",
        "-",
        "--output-format",
        "json",
        input="I'd like to add you to my professional network on LinkedIn.",
    )
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["checked"] == 1
    codes = {f["code"] for f in data["findings"]}
    assert "IP207" in codes
    first = data["findings"][0]
    assert set(first) >= {"code", "name", "severity", "message", "location", "hint"}


def test_sarif_output_is_valid_sarif_2_1_0(cli):
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    result = cli(
        "check",
        "-",
        "--output-format",
        "sarif",
        input="Hi {first_name}, book a demo: https://calendly.com/x",
    )
    sarif = json.loads(result.stdout)
    jsonschema.Draft7Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
    assert {"IP501", "IP301"} <= {r["ruleId"] for r in run["results"]}


def test_github_annotations(cli):
    result = cli("check", "-", "--output-format", "github", input="Hi {first_name}, can we talk?")
    assert "::error file=<stdin>,line=1,col=4,title=IP501 leftover-placeholder::" in result.stdout


def test_rules_lists_at_least_12_and_explains_one(cli):
    listing = cli("rules", "--format", "json")
    rules = json.loads(listing.stdout)["rules"]
    assert len([r for r in rules if r["scope"] == "message"]) >= 12
    explained = cli("rules", "sales-pitch")
    assert (
        explained.returncode == 0
        and "IP301 sales-pitch" in explained.stdout
        and "contact details" in explained.stdout
    )
    assert cli("rules", "IP999").returncode == 2


def test_binary_and_oversized_notes_are_refused_quickly(cli, tmp_path):
    binary = tmp_path / "note.bin"
    binary.write_bytes(b"Hi\x00there")
    result = cli("check", str(binary))
    assert (
        result.returncode == 2 and "NUL byte" in result.stderr and "note.bin:1:3" in result.stderr
    )
    big = cli("check", "-", input="x" * 5_000_000)
    assert big.returncode == 2 and "larger than" in big.stderr and "Traceback" not in big.stderr


def test_missing_file_is_an_input_error(cli):
    result = cli("check", "nope.txt")
    assert result.returncode == 2 and "nope.txt: no such note" in result.stderr


def test_config_file_is_found_and_unknown_keys_refused(cli, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "invitepack.toml").write_text(
        'ignore = ["IP204", "wording"]\naccount = "premium"\n', encoding="utf-8"
    )
    result = cli(
        "check",
        "-",
        input="Hi Sam, I'm a data engineer looking for work. Who should I talk to?",
        cwd=work,
    )
    assert result.returncode == 0, result.stdout
    (work / "invitepack.toml").write_text('ignroe = ["IP204"]\n', encoding="utf-8")
    bad = cli("check", "-", input="x", cwd=work)
    assert bad.returncode == 2 and "unknown config key(s): ignroe" in bad.stderr
    assert cli("check", "-", "--isolated", input=GOOD, cwd=work).returncode == 0


def test_pyproject_tool_table_is_read(cli, tmp_path):
    work = tmp_path / "proj"
    (work / "sub").mkdir(parents=True)
    (work / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.invitepack]\nselect = ["IP5"]\n', encoding="utf-8"
    )
    result = cli("check", "-", input="Let's connect", cwd=work / "sub")
    assert result.returncode == 0  # only placeholder rules selected


def test_phrase_lists_extend_from_config(cli, tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    (work / "invitepack.toml").write_text("[phrases]\npitch = ['our widget']\n", encoding="utf-8")
    result = cli("check", "-", input=GOOD + " Ask me about our widget.", cwd=work)
    assert result.returncode == 1 and "'our widget'" in result.stdout


def test_channels_lists_limits_and_config_overrides(cli, tmp_path):
    listing = cli("channels", "--format", "json")
    invite = next(c for c in json.loads(listing.stdout)["channels"] if c["id"] == "linkedin-invite")
    assert invite["body_limit"] == {"free": 200, "premium": 300}
    work = tmp_path / "w"
    work.mkdir()
    (work / "invitepack.toml").write_text(
        "[channels.linkedin-invite]\nbody_limit = {free = 120}\n", encoding="utf-8"
    )
    changed = json.loads(cli("channels", "--format", "json", cwd=work).stdout)["channels"]
    assert next(c for c in changed if c["id"] == "linkedin-invite")["body_limit"] == {
        "free": 120,
        "premium": 300,
    }
    assert "IP101" in cli("check", "-", input=GOOD, cwd=work).stdout
    (work / "invitepack.toml").write_text(
        "[channels.linkedin-invite]\nbody_limt = 1\n", encoding="utf-8"
    )
    bad = cli("channels", cwd=work)
    assert (
        bad.returncode == 2
        and "unknown setting(s) for channel 'linkedin-invite': body_limt" in bad.stderr
    )


def test_hidden_characters_in_a_note(cli):
    result = cli("check", "-", input=GOOD.replace("PyData", "Py\u200bData"))
    assert result.returncode == 1 and "IP604" in result.stdout and "\\u200b" in result.stdout
    family = GOOD + " 👩\u200d💻"
    clean = cli("check", "-", input=family)
    assert clean.returncode == 0 and "IP604" not in clean.stdout


def test_a_publicists_guest_pitch_is_a_pitch_but_offering_oneself_is_not(cli):
    """Pitching a client to a show sells before any conversation; a listener who offers to
    be a guest themselves is asking."""
    pitch = (
        "Hi Cathy, I'm Rob, a publicist. I'd like to introduce you to Sally Sunshine, a "
        "branding expert. Sally would be the perfect guest for your show."
    )
    result = cli("check", "-", input=pitch)
    assert result.returncode == 1 and "IP301" in result.stdout, result.stdout
    offer = (
        "Hi Cathy, I'm Rob. Loved your episode on pricing with Ana Ruiz last week. I think I "
        "would be a great guest for a follow-up on solo consulting. Would you consider it?"
    )
    result = cli("check", "-", input=offer)
    assert result.returncode == 0 and "IP301" not in result.stdout, result.stdout


def test_not_having_seen_them_since_college_is_shared_history(cli):
    """'I haven't seen you since college' says the two know each other: a reconnect that
    needs no other detail."""
    note = "Hey! Are you living in Dallas, too? I haven't seen you since college. We should meet!"
    result = cli("check", "--scenario", "reconnect", "-", input=note)
    assert result.returncode == 0, result.stdout
    assert "no-personal-detail" not in result.stdout and "weak-detail" not in result.stdout


def test_asking_a_stranger_for_their_time_needs_a_detail_about_them(cli):
    """'Could we chat for 15 minutes?' asks what nobody owes a stranger: with nothing about
    the reader it is to revise, and says why; the same ask after a real detail is sent."""
    bare = "Hi Sam, I'm Ada. I'd love to pick your brain about breaking into UX. Could we chat?"
    result = cli("check", "-", input=bare)
    assert result.returncode == 1, result.stdout
    assert "ask-without-detail: asks the reader for their time" in result.stdout
    specific = (
        "Hi Sam, I'm Ada. Your talk on UX research at Leeds JS last week hit home. Could we "
        "chat for 15 minutes?"
    )
    result = cli("check", "-", input=specific)
    assert result.returncode == 0 and "IP208" not in result.stdout, result.stdout


def test_an_invitation_or_an_offer_says_what_the_sender_wants(cli):
    """'We'd love to have you on the show' and 'I write only to thank you' are the whole
    purpose of their notes: neither is told it doesn't say what it wants."""
    invitation = (
        "Hi Lena, I'm Sam from the Small Parsers podcast. Your write-up on error recovery in "
        "tree-sitter grammars stuck with me, and we'd love to have you on the show next month."
    )
    result = cli("check", "--channel", "email", "-", input=invitation)
    assert result.returncode == 0 and "missing-purpose" not in result.stdout, result.stdout
    thanks = "Hi Ana, your tide tables saved my thesis last spring. I write this only to thank you."
    result = cli("check", "--channel", "email", "-", input=thanks)
    assert result.returncode == 0 and "missing-purpose" not in result.stdout, result.stdout


def test_praise_before_a_noun_is_not_a_named_piece_of_work(cli):
    """'Your outstanding research' says no more about the reader than 'your great research':
    a word of praise is not the name of a thing of theirs, as 'your Kafka talk' is."""
    note = (
        "Dear Dr. Lee, I'm Sam, a first-year PhD student at Leeds. Your outstanding research "
        "inspires me, and I would value your advice on choosing a lab."
    )
    result = cli("check", "--channel", "email", "--ignore", "wording", "-", input=note)
    assert result.returncode == 0, result.stdout  # the rules' verdict: a weak detail is advice
    assert "weak-detail: only a detail anyone could write: 'Your outstanding research'" in (
        result.stdout
    )


def test_thanks_for_a_thing_they_made_is_a_detail_about_them(cli):
    """'Thanks a lot for developing this tool' thanks the reader for their own work, as
    'thanks for your talk' does: the note is about them, and says why it was written."""
    note = (
        "Hi Daniel, thanks a lot for developing this tool. We plan to use it for our invoices "
        "and would pay for two small features."
    )
    result = cli("check", "--channel", "email", "-", input=note)
    assert result.returncode == 0, result.stdout
    assert "no-personal-detail" not in result.stdout and "missing-purpose" not in result.stdout


def test_what_they_talk_about_is_a_detail_about_them(cli):
    """'The pandemic of kindness you talk about' names the reader's own topic, as 'your post
    on feature stores' does; without it the same note knows nothing of them."""
    note = (
        "Hi Rachel, I'm Sam and I host a small podcast on careers in tech. {detail} Would you "
        "be up for a one-hour interview some time next month?"
    )
    about = "I loved the remote-work lessons you talk about on your blog."
    result = cli("check", "--channel", "email", "-", input=note.format(detail=about))
    assert result.returncode == 0, result.stdout
    assert "no-personal-detail" not in result.stdout and "weak-detail" not in result.stdout
    result = cli("check", "--channel", "email", "-", input=note.format(detail="I'm a big fan."))
    assert result.returncode == 0 and "no-personal-detail" in result.stdout, result.stdout


def test_a_note_to_the_writer_in_parentheses_is_a_leftover_placeholder(cli):
    """A published sample letter opening 'Dear Dr. (Fill in)' is sent as it stands by someone
    in a hurry; the slot must be caught like '[Name]'."""
    note = "Dear Dr. (Fill in), I read your paper on planarian regeneration. Could we talk?"
    result = cli("check", "--channel", "email", "-", input=note)
    assert result.returncode == 1, result.stdout
    assert "unfilled placeholder '(Fill in)'" in result.stdout


def test_the_same_school_said_of_oneself_is_shared_history(cli):
    """'I'm also a Barnard '16 alum' tells the reader what the two have in common, as 'we went
    to the same school' does; 'I'm a Barnard alum' alone is only about the sender."""
    note = (
        "Hi Priya, I'm Ada, finishing the Grace Hopper Program, and I'm {tie} Barnard '16 alum. "
        "Could I buy you a coffee and hear how you moved into engineering?"
    )
    result = cli("check", "--channel", "email", "-", input=note.format(tie="also a"))
    assert result.returncode == 0, result.stdout
    assert "no-personal-detail" not in result.stdout and "ask-without-detail" not in result.stdout
    result = cli("check", "--channel", "email", "-", input=note.format(tie="a"))
    assert result.returncode == 1 and "ask-without-detail" in result.stdout, result.stdout


def test_a_recruiters_polite_close_is_not_a_sales_pitch_but_a_booking_is(cli):
    """'We can schedule a time at your convenience' closes a candidate approach politely; a
    note that books the reader into the sender's calendar is selling a meeting."""
    note = (
        "Hi Sam, I lead hiring for the NYC infrastructure team at Lumen and saw your talk on "
        "Postgres failover at PGConf. Would you be open to a chat? {close}"
    )
    polite = "Let me know what works and we can schedule a time at your convenience."
    result = cli("check", "--channel", "email", "-", input=note.format(close=polite))
    assert result.returncode == 0, result.stdout
    assert "sales-pitch" not in result.stdout
    booking = "Book a call with me here and pick a slot."
    result = cli("check", "--channel", "email", "-", input=note.format(close=booking))
    assert result.returncode == 1, result.stdout
    assert "sales-pitch: reads as a sales pitch: 'Book a call with me'" in result.stdout


def test_a_slot_in_angle_brackets_wrapped_over_two_lines_is_a_leftover_placeholder(cli):
    """A guide's template hard-wrapped inside its slot ('<that project you' / 'worked on
    together>') is still a blank the sender must fill; an HTML tag is not one."""
    note = (
        "Hey Bob, long time no see! I was just thinking about <that project you\n"
        "worked on together> and would love your advice. Ada"
    )
    result = cli("check", "--channel", "email", "-", input=note)
    assert result.returncode == 1, result.stdout
    assert "unfilled placeholder '<that project you\\nworked on together>'" in result.stdout
    result = cli("check", "--channel", "email", "-", input="I'm Ada; your <b>bold</b> post on X.")
    assert result.returncode == 0 and "leftover-placeholder" not in result.stdout, result.stdout


# A note whose only findings are the weaker warnings (no detail and no introduction, say) sits at
# the fitted threshold, so a refit may move its exit code (0.2.12, 0.2.14, 0.2.15, 0.2.17 and
# 0.2.18 to 0.2.21 send such a note, 0.2.13 and 0.2.16 send it back): its findings, which say
# what a reader would miss, are what holds, and the exit code only says it was judged (0 or 1,
# not a crash).
WEIGHED = (0, 1)


def test_their_work_on_a_named_project_is_strong_but_on_a_platform_weak(cli):
    """'Your work on psycopg2' names a thing of theirs; 'your work on GitHub' names only where
    it lives. 'Please reach out' is the ask."""
    note = (
        "Hi Daniel, I'm Denis, a product manager at a database company. I'm a fan of your work "
        "on {where}, and we would fund a release that supports Postgres 11. Please reach out if "
        "that interests you."
    )
    result = cli("check", "--channel", "email", "-", input=note.format(where="psycopg2"))
    assert result.returncode == 0, result.stdout
    assert "weak-detail" not in result.stdout and "missing-purpose" not in result.stdout
    result = cli("check", "--channel", "email", "-", input=note.format(where="GitHub"))
    # A weak detail alone sits near the threshold: the fitted weights decide (test_verdict).
    assert result.returncode in WEIGHED, result.stdout
    assert "weak-detail: only a detail anyone could write: 'your work'" in result.stdout
    assert "missing-purpose" not in result.stdout


# How a note is read, one case a row: the note, the extra `check` arguments (always an email at
# default limits), the exit code (or WEIGHED), and what must and must not be in the report.
# Each pair holds a note and its near twin that reads the other way, so a row fails when its
# reading breaks.
READINGS = [
    # An ellipsis the sentence goes on after in lower case is the writer's pause; one that
    # ends where the words should be is a template's blank.
    (
        "Hi Sam, I'm Ada. Your talk on Postgres made failover feel less like... well, magic.",
        [],
        0,
        [],
        ["IP501"],
    ),
    (
        "Hi Sam, I'm Ada. I loved your talk about... Could we talk about failover?",
        [],
        1,
        ["unfilled placeholder 'about...'"],
        [],
    ),
    # On GitHub a person is called by their handle: '@mkuhn (who spoke for us last year)
    # recommended you' names who sent the writer, as 'Sam recommended you' does.
    (
        "Hi Priya, @mkuhn (who spoke for us last year) recommended you as someone doing careful "
        "work on accessibility. I'm Ada, organising PyData Bristol: would you like to give a talk "
        "there in March?",
        [],
        0,
        [],
        ["no-personal-detail"],
    ),
    (
        "Hi Priya, someone recommended you as someone doing careful work on accessibility. I'm "
        "Ada, organising PyData Bristol: would you like to give a talk there in March?",
        [],
        1,
        ["no-personal-detail"],
        [],
    ),
    # A title capitalises every word: 'Your Work' is praise anyone could write, unlike 'your
    # Path Length Checker', a thing of theirs called by its own name.
    (
        "Subject: Your Work Deserves A Bigger Stage\n\nHi Sam, I'm Ada. I admire your "
        "open-source contributions. Have you thought of starting a YouTube channel?",
        [],
        0,
        ["weak-detail: only a detail anyone could write: 'Your Work'"],
        [],
    ),
    (
        "Hi Sam, I'm Ada. I use your Path Length Checker every week. Have you thought of "
        "starting a YouTube channel?",
        [],
        0,
        [],
        ["detail"],
    ),
    # One person's own platform is their work, shown to an employer; their services are sold.
    (
        "Hi Will, I'm Ada, a data engineer. My platform runs 120 modules. Would you be open to a "
        "chat?",
        [],
        1,
        [],
        ["sales-pitch"],
    ),
    (
        "Hi Will, I'm Ada, a data engineer. My services cut cloud bills. Would you be open to a "
        "chat?",
        [],
        1,
        ["sales-pitch: reads as a sales pitch: 'My services'"],
        [],
    ),
    # News of their company by name could only be written to someone there, after reading it.
    (
        "Hi Will, I'm Ada, a data engineer. I noticed Tempus just announced its partnership with "
        "Protagonist. Would you be open to a chat about the data team?",
        [],
        0,
        [],
        ["no-personal-detail"],
    ),
    (
        "Hi Will, I'm Ada, a data engineer. Would you be open to a chat about the data team?",
        [],
        1,
        ["no-personal-detail"],
        [],
    ),
    # 'I would like to inquire whether...' is a question put politely.
    (
        "Dear Dr. Lee, I'm Ada. I wrote last week asking for the dataset and would like to "
        "inquire whether my email reached you.",
        ["--scenario", "follow-up"],
        0,
        [],
        ["missing-purpose"],
    ),
    # With no ask and no detail it sits at the threshold (0.2.19 to 0.2.21 send it on as a close
    # call; 0.2.20 before names left the wording sent it back, on the weight of "lee"):
    # what holds is that the reader is told it asks nothing.
    (
        "Dear Dr. Lee, I'm Ada, a student working with the dataset.",
        ["--scenario", "follow-up"],
        WEIGHED,
        ["missing-purpose"],
        [],
    ),
    # A name signed with a smiley is signed; a role without its article ('I'm graphic
    # designer') says who writes; a smiley alone, or words after a sign-off that are not a
    # name ('Thanks in advance.'), do not.
    (
        "Hi Sam, could your company host one of our next meetups? Thanks in advance, Jan :)",
        [],
        0,
        [],
        ["no-introduction"],
    ),
    (
        "Hi Sam, I'm graphic designer. Could your company host one of our next meetups?",
        [],
        0,
        [],
        ["no-introduction"],
    ),
    (
        "Hi Sam, could your company host one of our next meetups? Thanks :)",
        [],
        1,
        ["no-introduction"],
        [],
    ),
    (
        "Hi, could we talk about a collaboration on my project? Thanks in advance.",
        [],
        1,
        ["no-introduction"],
        [],
    ),
    (
        "Hi, could we talk about a collaboration on my project? Thanks, Ada Lovelace",
        [],
        1,
        [],
        ["no-introduction"],
    ),
    # 'I really liked what you've built' and 'may I add your project to ToolShelf' could go to
    # any maintainer; 'what you wrote about cache eviction' could not.
    (
        "Hi Sam, I'm Ada. I found your project and really liked what you've built. Could I list "
        "it?",
        [],
        0,
        ["weak-detail"],
        [],
    ),
    (
        "Hi Sam, I'm Ada. I found your project and really liked what you wrote about cache "
        "eviction. Could I list it?",
        [],
        0,
        [],
        ["detail"],
    ),
    (
        "Hi Sam, I'm Ada, founder of ToolShelf. May I add your project to ToolShelf?",
        [],
        0,
        ["weak-detail"],
        [],
    ),
    # Their demo is praised, a demo offered is a pitch; two brackets side by side are a
    # Markdown reference link, '[topic]' alone a blank; 'PyCon' names an event.
    (
        "Hi Sam, I'm Ada. Your demo at the Brooklyn meetup was great. Could we talk?",
        [],
        0,
        [],
        ["sales-pitch"],
    ),
    (
        "Hi Sam, I'm Ada. Your talk at the Brooklyn meetup was great. Can I show you a demo?",
        [],
        1,
        ["sales-pitch: reads as a sales pitch: 'show you a demo'"],
        [],
    ),
    # A demo is a pitch when it is offered, the sender's own even to see; asked of the reader's
    # work, or its code, it is not.
    (
        "Hi Sam, I'm Ada. Your live demo at the Brooklyn meetup was great: is the demo code out?",
        [],
        0,
        [],
        ["sales-pitch"],
    ),
    (
        "Hi Sam, I'm Ada. Your talk at the Brooklyn meetup was great. Want to see our live demo?",
        [],
        1,
        ["sales-pitch: reads as a sales pitch: 'our live demo'"],
        [],
    ),
    (
        "Hi Sam, I'm Ada. Your talk at PyCon was great: my notes are [here][notes]. Shall we talk?",
        [],
        0,
        [],
        ["placeholder"],
    ),
    (
        "Hi Sam, I'm Ada. Your talk at PyCon was great: my notes are on [topic]. Shall we talk?",
        [],
        1,
        ["unfilled placeholder '[topic]'"],
        [],
    ),
    # An address written out against scrapers is no blank; a bracketed word beside it is.
    (
        "Hi Sam, I'm Ada. Your talk at PyCon was great. Shall we talk? ada [at] example [dot] org",
        [],
        0,
        [],
        ["placeholder"],
    ),
    (
        "Hi Sam, I'm Ada. Your talk at PyCon was great. Shall we talk? ada [at] [domain]",
        [],
        1,
        ["unfilled placeholder '[domain]'"],
        [],
    ),
    # A nudge on the writer's own earlier message continues that thread: the first message said
    # who is writing and why this reader, so the nudge needs neither again. Without the earlier
    # message the same ask is a stranger's.
    (
        "Hi Sam,\n\nI sent you an email about the failover docs two weeks ago but haven't heard "
        "back. Could you take a look when you have a moment?",
        [],
        0,
        [],
        ["no-personal-detail", "no-introduction"],
    ),
    (
        "Hi Sam,\n\nCould you take a look at the failover docs when you have a moment?",
        [],
        WEIGHED,
        ["no-personal-detail", "no-introduction"],
        [],
    ),
    # A flaw found in their thing, named, is about that reader's work; a flaw in nothing named
    # could be written to anyone.
    (
        "Hi, I found a crash in libFoo when it parses an empty header. How should I report it "
        "privately?",
        [],
        0,
        [],
        ["no-personal-detail"],
    ),
    (
        "Hi, I found a crash when parsing an empty header. How should I report it privately?",
        [],
        WEIGHED,
        ["no-personal-detail"],
        [],
    ),
    # Asking a stranger for their code is a big ask: weighed by whether the note shows it read
    # their work ('your paper on sparse attention'), not praise anyone could paste ('your work').
    (
        "Hi, I am very interested in your work. Could you share your code with me? Thanks, Ada",
        [],
        1,
        ["ask-without-detail: asks the reader for work or their own work"],
        [],
    ),
    (
        "Hi, I am Ada. I am reproducing your paper on sparse attention for my thesis. Could you "
        "share your code with me? Thanks, Ada",
        [],
        0,
        [],
        ["ask-without-detail"],
    ),
    # Saying what the sender means to do with their thing, and asking leave, is a purpose.
    (
        "Hey, this tool is really neat. I'm going to feature it in my newsletter on Friday if "
        "you're okay with that. Ada",
        [],
        WEIGHED,
        ["no-personal-detail"],
        ["missing-purpose"],
    ),
    (
        "Hey, this tool is really neat. Ada",
        [],
        1,
        ["missing-purpose"],
        [],
    ),
]


@pytest.mark.parametrize(("note", "extra", "exit_code", "present", "absent"), READINGS)
def test_a_note_is_read_as_its_reader_reads_it(cli, note, extra, exit_code, present, absent):
    # The rules' reading and their verdict: the wording, which weighs every word apart from
    # them, is ignored here (test_verdict tests it).
    args = ("check", "--channel", "email", "--ignore", "wording", *extra, "-")
    result = cli(*args, input=note)
    expected = exit_code if isinstance(exit_code, tuple) else (exit_code,)
    assert result.returncode in expected, result.stdout
    for text in present:
        assert text in result.stdout, result.stdout
    for text in absent:
        assert text not in result.stdout, result.stdout
