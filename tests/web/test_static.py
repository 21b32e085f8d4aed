"""The explorer's own files: scripts parse, nothing is fetched from elsewhere at run time,
no inline code (the Content-Security-Policy forbids it), vendored libraries keep licences."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "factiongraph" / "web"
STATIC = WEB / "static"
OWN_SCRIPTS = sorted(STATIC.glob("*.js"))
TEMPLATES = sorted((WEB / "templates").glob("*.html"))


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script: Path) -> None:
    subprocess.run(["node", "--check", str(script)], check=True, capture_output=True)


def test_no_remote_resources() -> None:
    remote = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
    for path in [*TEMPLATES, *OWN_SCRIPTS, STATIC / "explorer.css"]:
        assert not remote.search(path.read_text(encoding="utf-8")), path.name
        assert "cdn" not in path.read_text(encoding="utf-8").lower(), path.name


def test_no_inline_code_in_templates() -> None:
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name


def test_scripts_never_write_html() -> None:
    for path in OWN_SCRIPTS:
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{path.name} uses {sink}"


def test_vendored_libraries_and_licences() -> None:
    vendor = STATIC / "vendor"
    for name in ("cytoscape", "layout-base", "cose-base", "cytoscape-fcose"):
        assert (vendor / f"{name}.LICENSE").is_file()
    assert (vendor / "cytoscape.min.js").stat().st_size > 100_000
    versions = (vendor / "VERSIONS.txt").read_text(encoding="utf-8")
    assert "cytoscape 3." in versions


def test_vendored_versions_match_the_lock_file() -> None:
    import json

    lock = json.loads((WEB.parents[2] / "package-lock.json").read_text(encoding="utf-8"))
    locked = {
        key.removeprefix("node_modules/"): value["version"]
        for key, value in lock["packages"].items()
        if key
    }
    listed = dict(
        line.split()
        for line in (STATIC / "vendor" / "VERSIONS.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert listed == locked
