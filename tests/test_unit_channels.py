"""Unit tests, in-process: channel facts live in data/channels.toml, and what names the
channels (help, the template schema) agrees with it."""

from __future__ import annotations

from invitepack.pack.channels import RECRUITER_SCENARIO, channel_ids, load_channels


def test_which_messages_are_held_to_the_reply_drop_length_is_channel_data():
    channels = load_channels()
    assert channels["linkedin-inmail"].held_to_reply_drop(None)
    assert not channels["linkedin-message"].held_to_reply_drop("seeking-work")
    assert channels["linkedin-message"].held_to_reply_drop(RECRUITER_SCENARIO)
    overridden = load_channels({"linkedin-message": {"reply_drop_every_message": True}})
    assert overridden["linkedin-message"].held_to_reply_drop("seeking-work")


def test_help_lists_the_bundled_channels():
    from click.testing import CliRunner

    from invitepack.cli import cli

    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    assert "Where it will be sent: " + ", ".join(channel_ids()) in " ".join(result.output.split())
