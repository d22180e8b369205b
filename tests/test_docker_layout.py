"""The image's start-up without Docker (issue 12, item 15): no Docker daemon runs here, so the
layout is rebuilt with the same pieces: a root-owned app folder the app user can only read, a
root-owned DATA_DIR as a bind mount leaves it, docker-entrypoint.sh, and the Dockerfile's own
CMD, run as an unprivileged user (nobody) with setpriv as the entrypoint does in the image."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT, TOKEN, make_faq_dir
from tests.test_server import free_port

ENTRYPOINT = ROOT / "docker-entrypoint.sh"
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
APP_USER = "nobody"  # stands in for the image's `bot` (uid 10001)

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                                reason="needs root and setpriv (util-linux), as in CI")


def _instruction(name: str) -> list[str]:
    """A JSON-form instruction of the Dockerfile (lines joined at backslashes)."""
    text = DOCKERFILE.replace("\\\n", " ")
    return json.loads(re.search(rf"^{name} (\[.*\])$", text, re.M).group(1))


@pytest.fixture
def layout():
    """A folder every user can enter (pytest's own tmp is root-only), with a root-owned DATA_DIR."""
    base = Path(tempfile.mkdtemp(prefix="image-layout-"))
    base.chmod(0o755)
    data = base / "data"
    data.mkdir()
    (data / "left-by-root.txt").write_text("x")
    yield base, data
    shutil.rmtree(base)


def _env(data: Path, **extra) -> dict:
    return {"PATH": os.environ["PATH"], "DATA_DIR": str(data), "APP_USER": APP_USER, "PYTHONDONTWRITEBYTECODE": "1",
            **extra}


def test_the_image_starts_through_the_entrypoint_without_a_control_socket():
    assert _instruction("ENTRYPOINT") == ["/app/docker-entrypoint.sh"]
    assert "--no-control-socket" in _instruction("CMD")
    assert re.search(r"^COPY .*docker-entrypoint\.sh", DOCKERFILE, re.M)
    assert os.access(ENTRYPOINT, os.X_OK)
    # the last USER before ENTRYPOINT is root: the entrypoint drops to bot itself
    assert re.findall(r"^USER (\S+)", DOCKERFILE.split("ENTRYPOINT")[0], re.M)[-1] == "root"


def test_a_root_owned_bind_mount_is_handed_to_the_app_user(layout):
    _, data = layout
    result = subprocess.run([str(ENTRYPOINT), "sh", "-c", 'id -u; touch "$DATA_DIR/written"'],
                            env=_env(data), capture_output=True, text=True, timeout=30)
    nobody = int(subprocess.check_output(["id", "-u", APP_USER]))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) == nobody  # the command ran unprivileged
    assert {p.stat().st_uid for p in [data, *data.iterdir()]} == {nobody}


def test_started_as_another_user_an_unwritable_data_dir_is_explained(layout):
    _, data = layout
    result = subprocess.run(["setpriv", f"--reuid={APP_USER}", "--regid=nogroup", "--clear-groups",
                             str(ENTRYPOINT), "true"], env=_env(data), capture_output=True, text=True, timeout=30)
    assert result.returncode == 78
    assert "数据目录" in result.stderr and "不可写" in result.stderr and "chown -R 10001:10001" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_image_command_serves_as_the_app_user_on_a_root_owned_data_dir(layout):
    base, data = layout
    faq = make_faq_dir(base / "faq")
    port = free_port()
    command = [sys.executable, "-m", *(_instruction("CMD"))]
    command[command.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    log_path = base / "gunicorn.log"
    tmp = base / "tmp"  # the image's /tmp, where PROMETHEUS_MULTIPROC_DIR is
    tmp.mkdir(mode=0o1777)
    tmp.chmod(0o1777)
    env = _env(data, FAQ_DIR=str(faq), WECHAT_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(tmp / "prometheus"),
               TMPDIR=str(tmp))  # jieba keeps its cache in the temp dir; this host's /tmp one is root's
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(ENTRYPOINT), *command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.3)
        nobody = subprocess.check_output(["id", "-u", APP_USER]).decode().strip()
        uids = Path(f"/proc/{proc.pid}/status").read_text().split("Uid:")[1].split()[:2]
        assert uids == [nobody, nobody]  # the entrypoint exec'd gunicorn as the app user
        assert {str(p.stat().st_uid) for p in data.rglob("*")} == {nobody}
        assert (data / "bot.sqlite").exists() and (data / "user_hash.key").exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            proc.wait(20)
    output = log_path.read_text()
    assert "Control server error" not in output and "Traceback" not in output, output
