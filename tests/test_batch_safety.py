"""Batch output against concurrent runs, signals, dead runs and a hostile file system: nothing
clobbered, nothing left behind, every failure an input error that names the path."""

from __future__ import annotations

import csv
import errno
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEKING_WORK, assert_no_crash, console_script

from invitepack.output import publish

HEADER = ["id", "name", "field", "detail"]
TRIALS = 40


def _people(path: Path, rows: int, name: str = "Ada") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            detail = f"your post on dbt tests, part {i}"
            writer.writerow([f"p{i}", name, "data engineering", detail])
    return path


@pytest.fixture
def pack(make_pack) -> Path:
    """A small pack of our own: what a batch writes is the point, not the built-in pack."""
    return make_pack({"seeking-work-invite.md": SEEKING_WORK})


def _args(pack: Path, data: Path, *out: str) -> list[str]:
    return ["render", "seeking-work", "--pack", str(pack), "--isolated", "--data", str(data), *out]


def _env() -> dict[str, str]:
    return {**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"}


def _fork_cli(args: list[str], log: Path) -> int:
    """Run invitepack's own main() in a forked child (the real CLI, without the interpreter's
    start-up for each of 80 runs); its output goes to log. Returns the child's pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            stream = log.open("w", encoding="utf-8")
            sys.stdout = sys.stderr = stream
            from invitepack.cli import main

            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 3
        finally:
            sys.stderr.flush()
            os._exit(code)
    return pid


def _staging(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(publish.STAGING_PREFIX)]


@pytest.mark.slow  # 80 batches of 300 rows: about 1.5 minutes of CPU
def test_two_batches_into_one_folder_one_wins_the_other_changes_nothing(tmp_path, pack):
    import invitepack.cli  # noqa: F401 - imported before forking, so each child starts warm

    ada = _people(tmp_path / "ada.csv", 300, "Ada")
    bea = _people(tmp_path / "bea.csv", 300, "Bea")
    for trial in range(TRIALS):
        out = tmp_path / f"out-{trial}"
        logs = {who: tmp_path / f"{who}-{trial}.log" for who in ("Ada", "Bea")}
        pids = {
            who: _fork_cli(
                _args(pack, data, "--out", str(out), "--id-column", "id"),
                logs[who],
            )
            for who, data in (("Ada", ada), ("Bea", bea))
        }
        codes = {who: os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for who, pid in pids.items()}
        shown = {who: log.read_text(encoding="utf-8") for who, log in logs.items()}
        assert sorted(codes.values()) == [0, 2], (trial, codes, shown)
        winner = next(who for who, code in codes.items() if code == 0)
        loser = next(who for who, code in codes.items() if code == 2)
        assert "would overwrite" in logs[loser].read_text(encoding="utf-8")
        files = sorted(out.iterdir())
        assert len(files) == 300 and not _staging(out), (trial, [p.name for p in files][:5])
        assert all(f"I'm {winner}," in p.read_text(encoding="utf-8") for p in files), trial
        assert not logs[loser].read_text(encoding="utf-8").count("written to"), trial


def _start_batch(
    tmp_path: Path, pack: Path, rows: int, *out: str, group: bool = False
) -> subprocess.Popen[str]:
    """The batch in the background; `group`: in a process group of its own, as a shell
    starts a command, so that a Ctrl-C can be sent to it and its workers alike."""
    data = _people(tmp_path / f"people-{rows}.csv", rows)
    return subprocess.Popen(
        [*console_script(), *_args(pack, data, *out)],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0 if group else None,
    )


def _wait_for(condition, process: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the batch ended before it could be interrupted"
        assert time.monotonic() < deadline, "the batch never started staging"
        time.sleep(0.02)


def _staged_some(out: Path) -> bool:
    return out.is_dir() and any(any(p.iterdir()) for p in _staging(out))


def _workers(pid: int) -> list[int]:
    """The processes a batch forked (render --jobs): its children, as Linux lists them."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_ends_a_batch_like_ctrl_c_and_leaves_nothing(tmp_path, pack, jobs):
    out = tmp_path / "notes"
    batch = _start_batch(tmp_path, pack, 20_000, "--out", str(out), "--jobs", jobs)
    _wait_for(lambda: _staged_some(out), batch)
    workers = _workers(batch.pid)
    batch.send_signal(signal.SIGTERM)
    _, stderr = batch.communicate(timeout=60)
    assert_no_crash(batch.returncode, stderr)
    assert batch.returncode == 2 and "Aborted." in stderr, stderr
    assert not out.exists(), "the run made --out and wrote nothing: it removes it"
    assert _gone(workers), "the workers end with the run"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_ctrl_c_reaches_the_workers_too_and_only_the_run_answers_it(tmp_path, pack):
    """A terminal's Ctrl-C goes to every process of the command: the workers leave it to
    the run, which stops them and cleans up as it does with one (no traceback from any)."""
    out = tmp_path / "notes"
    batch = _start_batch(tmp_path, pack, 20_000, "--out", str(out), "--jobs", "2", group=True)
    _wait_for(lambda: _staged_some(out) and len(_workers(batch.pid)) == 2, batch)
    workers = _workers(batch.pid)
    os.killpg(batch.pid, signal.SIGINT)
    _, stderr = batch.communicate(timeout=60)
    assert_no_crash(batch.returncode, stderr)
    assert batch.returncode == 2 and "Aborted." in stderr and "Traceback" not in stderr, stderr
    assert not out.exists()
    assert _gone(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_a_worker_that_dies_ends_the_batch_with_exit_2_and_leaves_nothing(tmp_path, pack):
    out = tmp_path / "notes"
    batch = _start_batch(tmp_path, pack, 20_000, "--out", str(out), "--jobs", "2")
    _wait_for(lambda: _staged_some(out) and len(_workers(batch.pid)) == 2, batch)
    workers = _workers(batch.pid)
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = batch.communicate(timeout=60)
    assert_no_crash(batch.returncode, stderr)
    assert batch.returncode == 2 and "a worker process ended before answering" in stderr, stderr
    assert "Traceback" not in stderr
    assert not out.exists(), "nothing was published, and the staging folder is gone"
    assert _gone(workers)


def test_a_killed_runs_staging_is_cleared_by_the_next_run_which_says_so(tmp_path, pack):
    out = tmp_path / "notes"
    out.mkdir()
    batch = _start_batch(tmp_path, pack, 20_000, "--out", str(out))
    _wait_for(lambda: _staged_some(out), batch)
    batch.kill()
    batch.communicate(timeout=60)
    (left,) = _staging(out)
    assert any(left.iterdir())
    again = subprocess.run(
        [*console_script(), *_args(pack, _people(tmp_path / "few.csv", 3), "--out", str(out))],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert f"removed {left.name} (" in again.stderr and "interrupted" in again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["row-1.txt", "row-2.txt", "row-3.txt"]


def test_a_killed_runs_jsonl_temporary_is_cleared_by_the_next_run(tmp_path, pack):
    target = tmp_path / "notes.jsonl"
    batch = _start_batch(tmp_path, pack, 20_000, "--jsonl", str(target))
    temporary = f".{target.name}.invitepack-"
    _wait_for(lambda: any(p.name.startswith(temporary) for p in tmp_path.iterdir()), batch)
    batch.kill()
    batch.communicate(timeout=60)
    again = subprocess.run(
        [*console_script(), *_args(pack, _people(tmp_path / "few.csv", 3), "--jsonl", str(target))],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0 and "interrupted" in again.stderr, again.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(temporary)]
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def _no_bigger_than(size: int):
    def limit() -> None:  # pragma: no cover - runs in the child before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize("output", ["--out", "--jsonl"])
def test_a_write_that_fails_like_a_full_disk_is_an_input_error_naming_the_path(
    tmp_path, output, pack
):
    data = _people(tmp_path / "people.csv", 5)
    target = tmp_path / ("notes" if output == "--out" else "notes.jsonl")
    result = subprocess.run(
        [*console_script(), *_args(pack, data, output, str(target))],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_no_bigger_than(16),
    )
    assert_no_crash(result.returncode, result.stderr)
    assert result.returncode == 2, result.stderr
    assert "cannot write the output: File too large" in result.stderr
    assert str(tmp_path) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "people.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_out_is_an_input_error_naming_the_path(cli, tmp_path, pack):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = cli(*_args(pack, _people(tmp_path / "people.csv", 3), "--out", str(out)))
    finally:
        out.chmod(0o755)
    assert result.returncode == 2 and "Permission denied" in result.stderr
    assert str(out) in result.stderr


def test_a_read_only_out_in_process(tmp_path, monkeypatch, capsys, pack):
    """The same as root can see it: the staging folder cannot be made (EROFS)."""
    from invitepack.cli import main

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "notes"))

    monkeypatch.setattr(publish.tempfile, "mkdtemp", read_only)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(_args(pack, _people(tmp_path / "people.csv", 3), "--out", str(tmp_path / "notes")))
    stderr = capsys.readouterr().err
    assert exited.value.code == 2, stderr
    assert f"{tmp_path / 'notes'}: cannot write the output: Read-only file system" in stderr
    assert "internal error" not in stderr


def test_a_file_that_appears_while_publishing_undoes_this_runs_files(tmp_path, monkeypatch):
    """Another writer (not invitepack, so not taking the folder's lock) creates a file just
    before this run links the same name: the run removes the files it linked, exit 2."""
    out = tmp_path / "notes"
    staging = publish.Staging(out, lambda line: None)
    for name in ("a.txt", "b.txt", "c.txt"):
        (staging.path / name).write_text(name, encoding="utf-8")
    real = publish.publish_new

    def racing(source: str, target: str) -> None:
        if Path(target).name == "c.txt":
            Path(target).write_text("someone else's", encoding="utf-8")
        real(source, target)

    monkeypatch.setattr(publish, "publish_new", racing)
    with pytest.raises(publish.InvitepackError, match=r"would overwrite c\.txt"):
        staging.publish(force=False)
    staging.close(published=False)
    assert sorted(p.name for p in out.iterdir()) == ["c.txt"]
    assert (out / "c.txt").read_text(encoding="utf-8") == "someone else's"


def test_jsonl_naming_the_data_file_leaves_it_untouched(cli, tmp_path, pack):
    data = _people(tmp_path / "people.csv", 3)
    before = data.read_bytes()
    result = cli(*_args(pack, data, "--jsonl", str(tmp_path / "." / "people.csv"), "--force"))
    assert result.returncode == 2 and "names the data file itself" in result.stderr
    assert data.read_bytes() == before


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux shows the umask there")
def test_reading_the_umask_never_sets_it_so_no_other_threads_file_gets_a_wrong_mode(monkeypatch):
    from invitepack.pack import files

    def set_umask(mask: int) -> int:
        raise AssertionError(f"the umask was set to {mask:o} to read it")

    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", set_umask)
        assert files.umask_mode(0o666) == 0o640
        assert files.umask_mode(0o777) == 0o750
    finally:
        monkeypatch.undo()
        os.umask(old)
