"""``factiongraph serve``: options, the default command, loopback and the start-up token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from factiongraph.cli import serve_command
from factiongraph.cli.app import app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_loopback_addresses() -> None:
    assert serve_command.is_loopback("127.0.0.1")
    assert serve_command.is_loopback("127.0.0.2")
    assert serve_command.is_loopback("localhost")
    assert serve_command.is_loopback("::1")
    assert not serve_command.is_loopback("0.0.0.0")
    assert not serve_command.is_loopback("192.168.1.20")
    assert not serve_command.is_loopback("example.org")


def test_plain_factiongraph_serves() -> None:
    import importlib

    app_module = importlib.import_module("factiongraph.cli.app")
    assert app_module._default_command is serve_command._serve_default


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--open", "--no-open"):
        assert option in result.output


def test_store_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTIONGRAPH_DB", raising=False)
    kb, label = serve_command.open_store(str(tmp_path / "given.db"))
    kb.close()
    assert label.endswith("given.db")
    monkeypatch.setenv("FACTIONGRAPH_DB", str(tmp_path / "env.db"))
    kb, label = serve_command.open_store(None)
    kb.close()
    assert label.endswith("env.db")


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from factiongraph.cli import main; main()", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    out = ""
    deadline = time.monotonic() + 30
    while "Ctrl+C" not in out:
        line = proc.stdout.readline()
        if not line:
            proc.wait(5)
            raise AssertionError(f"serve stopped: {out}")
        out += line
        if time.monotonic() > deadline:
            break
    return proc, out


def _wait(url: str, **kwargs: Any) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url, timeout=5, **kwargs)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FACTIONGRAPH_DB", None)
    env["COLUMNS"] = "200"
    return env


def test_serve_on_loopback_needs_no_token(sample: tuple[Any, Any]) -> None:
    _, s = sample
    port = _free_port()
    proc, out = _start(["--db", str(s.path), "--port", str(port), "--no-open"], _env())
    try:
        assert f"http://127.0.0.1:{port}/" in out and "token" not in out
        assert _wait(f"http://127.0.0.1:{port}/api/facets").status_code == 200
        r = httpx.post(
            f"http://127.0.0.1:{port}/api/review/1", json={"decision": "accept"}, timeout=5
        )
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_beyond_loopback_prints_a_token(sample: tuple[Any, Any]) -> None:
    _, s = sample
    port = _free_port()
    proc, out = _start(
        ["--db", str(s.path), "--host", "0.0.0.0", "--port", str(port), "--no-open"], _env()
    )
    try:
        token = re.search(r"token ([\w-]{20,})", out)
        assert token, out
        base = f"http://127.0.0.1:{port}"
        assert _wait(base + "/api/facets").status_code == 200
        url = base + "/api/review/1"
        assert httpx.post(url, json={"decision": "accept"}, timeout=5).status_code == 403
        r = httpx.post(
            url,
            json={"decision": "accept"},
            headers={"X-Factiongraph-Token": token.group(1)},
            timeout=5,
        )
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
