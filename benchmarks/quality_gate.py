"""Extraction quality gate: ingest each development corpus, export facts, score them.

Usage: python benchmarks/quality_gate.py [--shared ../shared] [--enforce]

For each gold set of the evaluation kit, the corpus is ingested into a fresh store through the
same path a user takes (``ingest`` then the facts export), scored with ``score.py``, and the
per-predicate table printed. With ``--enforce`` the exit status is 1 when a score is below its
floor. Skips cleanly when the shared folder is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from factiongraph.export.facts import write_facts
from factiongraph.ingest import ingest
from factiongraph.kb import KnowledgeBase

HERE = Path(__file__).resolve().parent
ORG_PREDICATES = (
    "cooperates_with,ceasefire_with,negotiates_with,fights,rival_of,criticizes,defected_to,"
    "pledged_allegiance_to,part_of,split_from,supports,mediates"
)
MMP_PREDICATES = (
    "cooperates_with,part_of,fights,split_from,supports,rival_of,ceasefire_with,"
    "pledged_allegiance_to,criticizes,negotiates_with"
)

# (gold set, corpus folder, --predicates, [(metric, floor), ...])
GATES = [
    ("dev", "corpus", None, [("strict", 0.50), ("lenient", 0.65), ("timed", 0.40)]),
    ("dev", "corpus", ORG_PREDICATES, [("strict", 0.40), ("lenient", 0.55)]),
    ("dev-extra", "corpus-extra", None, [("strict", 0.45)]),
    ("dev-mmp", "corpus-mmp", MMP_PREDICATES, [("lenient", 0.70)]),
    ("dev-acled", "corpus-acled", "fights", [("strict", 0.90)]),
]


def score(shared: Path, gold: str, pred: Path, predicates: str | None, table: bool) -> dict:
    cmd = [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(shared / "eval" / gold),
           "--pred", str(pred)]  # fmt: skip
    if predicates:
        cmd += ["--predicates", predicates]
    if table:
        print(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    out = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--enforce", action="store_true", help="exit 1 when below a floor")
    args = ap.parse_args()
    if not (args.shared / "eval" / "score.py").exists():
        print(f"skipped: no evaluation kit under {args.shared}")
        return 0
    failures = []
    facts: dict[str, Path] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold, corpus, predicates, floors in GATES:
            if corpus not in facts:
                kb = KnowledgeBase.open(str(Path(tmp) / f"{corpus}.db"))
                report = ingest(kb, [args.shared / corpus], workers=args.workers)
                for o in report.failed:
                    print(f"failed: {o.path}: {o.reason}")
                facts[corpus] = Path(tmp) / f"{corpus}.jsonl"
                with facts[corpus].open("w", encoding="utf-8") as f:
                    write_facts(kb, f)
                kb.close()
            label = f"{gold}" + (f" --predicates {predicates}" if predicates else "")
            print(f"== {label}")
            result = score(args.shared, gold, facts[corpus], predicates, table=True)
            for metric, floor in floors:
                got = result[metric]["f1"]
                ok = got >= floor
                print(f"   {metric} F1 {got:.3f} (floor {floor:.2f}) {'ok' if ok else 'BELOW'}")
                if not ok:
                    failures.append(f"{label}: {metric} F1 {got:.3f} < {floor:.2f}")
    if failures:
        print("below the floors:\n  " + "\n  ".join(failures))
        return 1 if args.enforce else 0
    print("all quality floors met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
