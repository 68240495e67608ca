"""`bin/dev` starts the web server, a worker and beat; TERM to its process group (what Ctrl-C
sends as INT) stops every one of them within seconds and leaves no process behind."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group_members(pgid: int) -> list[tuple[int, str]]:
    """Processes whose process group is `pgid`, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append((int(entry.name), cmdline.strip()))
    return members


def _using(var_dir: Path) -> list[tuple[int, str]]:
    """Processes started with this VAR_DIR in their environment (even in a session of their own,
    as the worker is)."""
    found = []
    needle = f"VAR_DIR={var_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if status != "Z":
                    found.append((int(entry.name), (entry / "cmdline").read_bytes().decode()))
        except OSError:
            continue
    return found


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_bin_dev_stops_everything_within_ten_seconds(tmp_path, sig):
    port, var_dir = _free_port(), tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORT=str(port), VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"bin-dev-{sig.name}.log"
    with open(log_path, "wb") as log:
        dev = subprocess.Popen(
            [str(ROOT / "bin" / "dev")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
        try:
            assert _wait(lambda: _answers(f"http://127.0.0.1:{port}/accounts/login/"), 240), (
                log_path.read_text()[-3000:]
            )
            # The worker and beat are up too, before the stop.
            assert _wait(lambda: " ready." in log_path.read_text(), 120), log_path.read_text()[
                -3000:
            ]
            assert _wait(lambda: "beat: Starting" in log_path.read_text(), 60)
            running = [cmd for _, cmd in _using(var_dir)]
            assert any("worker" in cmd for cmd in running) and any("beat" in cmd for cmd in running)

            started = time.monotonic()
            os.killpg(dev.pid, sig)
            gone = _wait(lambda: not _group_members(dev.pid) and not _using(var_dir), 10)
            elapsed = time.monotonic() - started
            assert gone, (
                f"still running {elapsed:.1f} s after {sig.name}: "
                f"{_group_members(dev.pid) or _using(var_dir)}"
            )
            print(f"bin/dev stopped in {elapsed:.1f} s after {sig.name}")
            dev.wait(timeout=1)
        finally:
            if dev.poll() is None:
                os.killpg(dev.pid, signal.SIGKILL)
                dev.wait()
            for pid, _cmd in _using(var_dir):
                os.kill(pid, signal.SIGKILL)
