"""What `render` asks for on a terminal, and whether an answer fits, without a terminal."""

from __future__ import annotations

from invitepack.pack.workspace import Workspace
from invitepack.render.asking import Asker, command_line, questions
from invitepack.render.renderer import Renderer


def _setup():
    workspace = Workspace(pack_spec="builtin", isolated=True)
    template = workspace.pack.find("seeking-work")
    channel = workspace.channels[template.channel]
    return template, Asker(Renderer.for_workspace(workspace), template, channel, "free")


def test_questions_are_the_missing_required_variables_in_order():
    template, _ = _setup()
    asked = questions(template, {"name": "Ada", "field": ""})
    assert [q.name for q in asked] == ["recipient", "field", "detail", "why_you"]
    first = asked[0]
    assert first.example == "Priya" and first.max_length == 12
    assert first.lines()[0].startswith("recipient - Their first name")
    assert asked[-1].label == "why-you"


def test_an_answer_that_fits_gives_the_budget_so_far():
    _, asker = _setup()
    answer = asker.check({"name": "Ada"}, "recipient", "Priya")
    assert answer.reason is None and answer.budget == "83/200"


def test_an_answer_too_long_for_the_note_is_refused_with_by_how_much():
    _, asker = _setup()
    answer = asker.check({"name": "Ada"}, "detail", "x" * 300)
    assert answer.reason is not None and "over" in answer.reason and "/200" in answer.reason


def test_an_answer_breaking_its_own_rules_is_refused_with_why():
    _, asker = _setup()
    answer = asker.check({}, "recipient", "Pri\u202eya")
    assert answer.reason is not None and "--recipient" not in answer.reason


def test_command_line_reproduces_the_note():
    template, _ = _setup()
    line = command_line(
        template, {"name": "Ada", "why_you": "you're kind"}, account="premium", pack=None
    )
    assert line == (
        "invitepack render seeking-work-invite --account premium --name Ada "
        "--why-you 'you'\"'\"'re kind'"
    )
