"""Writing results: files, links, devices, standard output, and the operating system saying no.

Every refusal is one line naming the path and the reason, with exit status 2, no
traceback, and no half-written or replaced file. All of it is done once, in
``techdiversity.io.atomic_write`` and the command line's output handling, so the cases
are tried through ``export -o`` and ``new`` alike.

Root ignores permissions: to test a folder without write permission for real, the
command runs in a child process whose capability bounding set has lost
CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (``prctl``), so that the permission bits
apply to it as to any user. A full disk is ``/dev/full`` (the device, or standard
output redirected to it); for a regular file on a full disk, ``os.fsync`` is made to
fail with ENOSPC, the one case that cannot be had for real here.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity.cli import main
from techdiversity.exporters import export
from techdiversity.io import atomic_write
from techdiversity.starter import starter_plan

runner = CliRunner()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(starter_plan(city="Testville"), encoding="utf-8")
    return path


_DEVICES = {"/dev/null": (stat.S_IFCHR, 1, 3), "/dev/full": (stat.S_IFCHR, 1, 7)}


@pytest.fixture(autouse=True)
def _machine_files_stay() -> Iterator[None]:
    """A regression must not cost the machine its /dev/null, /dev/full or /dev/stdout: put them back, then fail."""
    yield
    broken = []
    for path, (kind, major, minor) in _DEVICES.items():
        info = os.lstat(path)
        if stat.S_IFMT(info.st_mode) != kind:
            broken.append(path)
            if os.geteuid() == 0:
                os.unlink(path)
                os.mknod(path, kind | 0o666, os.makedev(major, minor))
                os.chmod(path, 0o666)
    if not os.path.islink("/dev/stdout"):
        broken.append("/dev/stdout")
        if os.geteuid() == 0:
            os.unlink("/dev/stdout")
            os.symlink("/proc/self/fd/1", "/dev/stdout")
    assert not broken, f"replaced (and put back): {broken}"


def _a_device(tmp_path: Path, name: str) -> Path:
    """A character device like /dev/null or /dev/full: made in tmp_path as root, so that a regression
    cannot replace the machine's; else the machine's own (which an ordinary user cannot replace)."""
    path = f"/dev/{name}"
    if os.geteuid() == 0:
        kind, major, minor = _DEVICES[path]
        device = tmp_path / name
        os.mknod(device, kind | 0o666, os.makedev(major, minor))
        return device
    return Path(path)


def cli(*args: str | Path) -> Any:
    return runner.invoke(main, [str(a) for a in args])


def one_line_refusal(result: Any, *parts: str) -> str:
    """The result is exit status 2 with a single line on stderr holding every part."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return str(lines[0])


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in a folder (atomic_write's start with a dot and end with .tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    return subprocess.run([sys.executable, "-m", "techdiversity", *args], timeout=120, **kwargs)


# ---------------------------------------------------------------------------
# Folders that are not there, or not folders


def test_export_into_a_missing_folder(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "report.html"
    line = one_line_refusal(cli("export", plan_file, "-o", target), str(target), "cannot write")
    assert line == f"{target}: cannot write: No such file or directory (the folder {target.parent} does not exist)"
    assert not (tmp_path / "nope").exists()


def test_new_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "city.yaml"
    one_line_refusal(cli("new", target), f"{target}: cannot write", "does not exist")


def test_parent_is_a_file(plan_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("I am a file\n", encoding="utf-8")
    for args in (("export", plan_file, "-o", blocker / "report.html"), ("new", blocker / "x.yaml")):
        line = one_line_refusal(cli(*args), f"{blocker / args[-1].name}: cannot write")
        assert line.endswith(f"({blocker} is not a folder)")
    assert blocker.read_text("utf-8") == "I am a file\n"


def test_target_is_a_folder(plan_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.html"
    folder.mkdir()
    one_line_refusal(cli("export", plan_file, "-o", folder), f"{folder}: cannot write: Is a directory")
    assert folder.is_dir() and not list(folder.iterdir())


def test_api_errors_name_the_path_given_not_a_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "x.json"
    with pytest.raises(FileNotFoundError) as info:
        atomic_write(target, "{}")
    assert info.value.filename == str(target)
    with pytest.raises(FileNotFoundError) as info:
        td.dump(td.loads(starter_plan()), target)
    assert info.value.filename == str(target)


# ---------------------------------------------------------------------------
# No write permission, for real even as root


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _drop_root_overrides() -> None:  # runs in the child, before exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_bound_by_permissions(args: list[str]) -> subprocess.CompletedProcess[str]:
    """The command in a child process to which file permissions apply (root loses its overrides)."""
    pre = _drop_root_overrides if os.geteuid() == 0 else None
    return run(args, capture_output=True, text=True, preexec_fn=pre)


def test_folder_without_write_permission(plan_file: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "report.html").write_text("the old report\n", encoding="utf-8")
    locked.chmod(0o555)
    try:
        probe = subprocess.run(
            [sys.executable, "-c", f"open({str(locked / 'probe')!r}, 'w')"],
            capture_output=True,
            preexec_fn=_drop_root_overrides if os.geteuid() == 0 else None,
            timeout=60,
        )
        assert probe.returncode != 0, "the locked folder is writable: this test would prove nothing"
        for target in (locked / "new.html", locked / "report.html"):
            proc = run_bound_by_permissions(["export", str(plan_file), "-o", str(target)])
            assert proc.returncode == 2, proc.stderr
            assert "Traceback" not in proc.stderr
            assert proc.stderr.splitlines() == [
                f"{target}: cannot write: Permission denied (in the folder {locked})"
            ] or proc.stderr.splitlines() == [f"{target}: cannot write: Permission denied"]
        proc = run_bound_by_permissions(["new", str(locked / "city.yaml")])
        assert proc.returncode == 2 and proc.stderr.startswith(f"{locked / 'city.yaml'}: cannot write: Permission")
        assert sorted(p.name for p in locked.iterdir()) == ["report.html"]
        assert (locked / "report.html").read_text("utf-8") == "the old report\n"
    finally:
        locked.chmod(0o755)


def test_a_file_without_write_permission_is_not_replaced(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(0o444)
    proc = run_bound_by_permissions(["export", str(plan_file), "-o", str(target)])
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"{target}: cannot write: Permission denied (in the folder {tmp_path})"]
    assert target.read_text("utf-8") == "keep me\n" and leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# A full disk


def test_export_to_dev_full(plan_file: Path, tmp_path: Path) -> None:
    full = _a_device(tmp_path, "full")
    one_line_refusal(cli("export", plan_file, "--to", "html", "-o", full), f"{full}: cannot write: No space left")
    assert stat.S_ISCHR(os.stat(full).st_mode)


@pytest.mark.parametrize(
    "args",
    [["checks"], ["export", "PLAN", "--to", "html"], ["new"], ["schema"], ["exporters"]],
    ids=["checks", "export", "new", "schema", "exporters"],
)
def test_standard_output_on_a_full_disk(args: list[str], plan_file: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = run([str(plan_file) if a == "PLAN" else a for a in args], stdout=full, stderr=subprocess.PIPE)
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, stderr
    assert stderr.splitlines() == ["standard output: cannot write: No space left on device"]


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report\n", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    one_line_refusal(cli("export", plan_file, "-o", target), f"{target}: cannot write: No space left on device")
    assert target.read_text("utf-8") == "the old report\n"
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# Standard output, links, devices, FIFOs


def test_dash_writes_to_standard_output(plan_file: Path) -> None:
    plan = td.load(plan_file)
    result = cli("export", plan_file, "--to", "markdown", "-o", "-")
    assert result.exit_code == 0 and result.stdout == export(plan, "markdown")
    proc = run(["export", str(plan_file), "--to", "xlsx", "-o", "-"], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout[:2] == b"PK" and td.load(_write(plan_file.parent / "x.xlsx", proc.stdout)) == plan
    result = cli("new", "-")
    assert result.exit_code == 0 and result.stdout == starter_plan()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_binary_needs_a_file_or_an_explicit_dash(plan_file: Path) -> None:
    result = cli("export", plan_file, "--to", "xlsx")
    assert result.exit_code == 2 and "xlsx is a binary format: name a file with -o" in result.stderr


def test_a_symbolic_link_is_written_through(plan_file: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.html"
    link.symlink_to(real.name)
    result = cli("export", plan_file, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text("utf-8") == export(td.load(plan_file), "html")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its permissions
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to("created.yaml")
    assert cli("new", dangling, "--force").exit_code == 0
    assert dangling.is_symlink() and td.load(tmp_path / "created.yaml").plan.city == "My City"
    assert leftovers(tmp_path) == []


def test_a_device_is_written_to_and_never_replaced(plan_file: Path, tmp_path: Path) -> None:
    device = _a_device(tmp_path, "null")
    before = os.stat(device)
    for args in (
        ("export", plan_file, "-o", device, "--to", "html"),
        ("new", device),
        ("new", device, "--format=json"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        after = os.stat(device)
        assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert leftovers(device.parent) == [] if device.parent == tmp_path else True
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_to_and_stays_a_fifo(plan_file: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("export", plan_file, "--to", "csv", "-o", fifo)
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert not reader.is_alive(), "nothing was written into the FIFO"
    assert received == [export(td.load(plan_file), "csv").encode("utf-8")]  # type: ignore[union-attr]
    assert leftovers(tmp_path) == []


def test_dev_stdout_is_the_descriptor_not_a_file_to_replace(plan_file: Path, tmp_path: Path) -> None:
    expected = export(td.load(plan_file), "markdown")
    proc = run(["export", str(plan_file), "--to", "markdown", "-o", "/dev/stdout"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == expected
    log = tmp_path / "log.md"
    log.write_text("earlier lines\n", encoding="utf-8")
    inode = log.stat().st_ino
    with open(log, "a", encoding="utf-8") as out:  # `>> log.md`: appended, not truncated nor replaced
        proc = run(["export", str(plan_file), "--to", "markdown", "-o", "/dev/stdout"], stdout=out)
    assert proc.returncode == 0
    assert log.read_text("utf-8") == "earlier lines\n" + expected and log.stat().st_ino == inode


# ---------------------------------------------------------------------------
# Broken pipes and signals


@pytest.mark.parametrize(
    "args",
    [["checks"], ["checks", "--format", "json"], ["export", "PLAN", "--to", "html"], ["new"], ["exporters"]],
    ids=["checks", "checks-json", "export", "new", "exporters"],
)
def test_a_broken_pipe_ends_quietly(args: list[str], plan_file: Path) -> None:
    # a pipe whose reader has already gone: the first write meets EPIPE, every time
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = run([str(plan_file) if a == "PLAN" else a for a in args], stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert proc.stderr.decode("utf-8") == ""
    assert proc.returncode == 1


def test_checks_piped_to_head(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m techdiversity checks TD100 TD101 TD102 | head -1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.count("\n") == 1 and proc.stderr == ""


SLOW_WRITE = """
import os, sys, time
from techdiversity.cli import main
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
    real_fsync(fd)
os.fsync = slow_fsync
main(sys.argv[1:])
"""


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_while_writing_removes_the_temporary_file(
    signum: signal.Signals, plan_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("the old report\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "export", str(plan_file), "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as a terminal's foreground job: a shell's background job starts with SIGINT
        # ignored, and Python then never turns Ctrl-C into KeyboardInterrupt
        preexec_fn=_default_signals,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline() == "writing\n"  # inside the write, the temporary file exists
        assert len(leftovers(target.parent)) == 1
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in stderr
    if signum == signal.SIGTERM:
        assert code == -signal.SIGTERM  # ended by the signal, as without the clean-up
    else:
        assert code == 130 and stderr.strip().endswith("techdiversity: interrupted")  # 128 + SIGINT
    assert leftovers(target.parent) == []
    assert target.read_text("utf-8") == "the old report\n"


def test_signal_handlers_are_restored_after_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    atomic_write(tmp_path / "x.txt", "x")
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_program_that_handles_sigterm_keeps_its_handler(tmp_path: Path) -> None:
    code = f"""
import os, signal, sys, time
from techdiversity import io
seen = []
signal.signal(signal.SIGTERM, lambda s, f: seen.append(s))
real_fsync = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.2)
    real_fsync(fd)
os.fsync = fsync
io.atomic_write({str(tmp_path / "x.txt")!r}, "done")
print(seen == [signal.SIGTERM], open({str(tmp_path / "x.txt")!r}).read())
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "done"]
