"""Accuracy of the bundled data set: its facts export scored against the dev gold set.

Usage: python benchmarks/bundled_quality.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from factiongraph.bundled import open_bundled
from factiongraph.export.facts import write_facts

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    args = ap.parse_args()
    score = args.shared / "eval" / "score.py"
    if not score.exists():
        print(f"skipped: no evaluation kit under {args.shared}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        kb = open_bundled(Path(tmp) / "bundled.db")
        facts = Path(tmp) / "facts.jsonl"
        with facts.open("w", encoding="utf-8") as f:
            n = write_facts(kb, f)
        kb.close()
        print(f"bundled data set: {n} facts (rejected ones left out)")
        out = subprocess.run(
            [sys.executable, str(score), "--gold", str(args.shared / "eval" / "dev"), "--pred",
             str(facts)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        print(out.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
