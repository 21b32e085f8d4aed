"""Extraction quality on the development gold sets, and extraction speed.

Runs the extractor on each corpus next to the repository (``../shared``), writes the facts
in the evaluation format, and scores them with the shared scorer:

    python benchmarks/extract_quality.py [--out DIR] [--workers 2] [--sets dev,dev-mmp]
                                         [--show-errors N] [--speed]

Skips (exit 0) when the shared folder is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# gold set -> (corpus folder, predicates to score or None for all)
SETS: dict[str, tuple[str, str | None]] = {
    "dev": ("corpus", None),
    "dev-extra": ("corpus-extra", None),
    "dev-mmp": (
        "corpus-mmp",
        "cooperates_with,ceasefire_with,negotiates_with,fights,rival_of,"
        "criticizes,defected_to,pledged_allegiance_to,part_of,split_from,supports,"
        "mediates",
    ),
    "dev-acled": ("corpus-acled", "fights"),
}
ORG_PREDICATES = (
    "cooperates_with,ceasefire_with,negotiates_with,fights,rival_of,criticizes,defected_to,"
    "pledged_allegiance_to,part_of,split_from,supports,mediates"
)


def corpus_items(folder: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(file name, text, metadata) for every document of a corpus folder."""
    meta: dict[str, dict[str, Any]] = {}
    catalog = folder / "catalog.json"
    if catalog.exists():
        for row in json.loads(catalog.read_text(encoding="utf-8")):
            meta[row["file"]] = {"published": row.get("published"), "title": row.get("title")}
    items = []
    for path in sorted(folder.glob("*.txt")):
        items.append((path.name, path.read_text(encoding="utf-8"), meta.get(path.name, {})))
    return items


def facts_of(doc: str, extraction: Any) -> list[dict[str, Any]]:
    from factiongraph.timeutil import edtf_to_start_end

    aliases = {e.name: e.aliases for e in extraction.entities}
    rows = []
    for a in extraction.assertions:
        start, end = edtf_to_start_end(a.valid_time)
        rows.append(
            {
                "doc": doc,
                "subject": a.subject,
                "predicate": a.predicate.value,
                "object": a.object,
                "start": start,
                "end": end,
                "time_text": a.time_text,
                "place": a.place,
                "modality": a.modality.value,
                "claimant": a.claimant,
                "evidence": a.quote,
                "confidence": a.confidence,
                "subject_mention": a.subject_mention,
                "object_mention": a.object_mention,
                "subject_aliases": aliases.get(a.subject, []),
                "object_aliases": aliases.get(a.object, []),
                **{k: v for k, v in a.attributes.items() if k in ("role", "count", "kind")},
            }
        )
    return rows


def run_set(name: str, extractor: Any, out: Path, workers: int, show_errors: int) -> dict[str, Any]:
    corpus, predicates = SETS[name]
    items = corpus_items(SHARED / corpus)
    t0 = time.perf_counter()
    extractions = list(extractor.pipe(((t, m) for _, t, m in items), workers=workers))
    elapsed = time.perf_counter() - t0
    words = sum(len(t.split()) for _, t, _ in items)
    rows = []
    for (doc, _t, _m), ex in zip(items, extractions, strict=True):
        rows.extend(facts_of(doc, ex))
    path = out / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    scorer = SHARED / "eval" / "score.py"
    gold = SHARED / "eval" / name
    results: dict[str, Any] = {"words": words, "seconds": elapsed}
    for label, preds in (
        ("all", predicates),
        ("org-org", ORG_PREDICATES if name == "dev" else None),
    ):
        if label == "org-org" and preds is None:
            continue
        cmd = [sys.executable, str(scorer), "--gold", str(gold), "--pred", str(path)]
        if preds:
            cmd += ["--predicates", preds]
        js = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True)
        results[label] = json.loads(js.stdout)
        if show_errors:
            cmd += ["--show-errors", str(show_errors)]
        table = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(f"\n=== {name} ({label}{': ' + preds if preds and label == 'all' else ''}) ===")
        print(table)
    return results


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "factiongraph-extract-quality"
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--speed", action="store_true", help="also time 1 and 2 workers on dev")
    ap.add_argument("--no-ner", action="store_true", help="skip the model's entity recogniser")
    args = ap.parse_args(argv)
    if not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: {SHARED} not found")
        return 0
    from factiongraph.extract.pipeline import Extractor

    args.out.mkdir(parents=True, exist_ok=True)
    extractor = Extractor(batch_size=4, ner=not args.no_ner)
    summary = {}
    for name in args.sets.split(","):
        summary[name] = run_set(name, extractor, args.out, args.workers, args.show_errors)
    print("\nsummary (F1)            strict  lenient  timed")
    for name, r in summary.items():
        for label in ("all", "org-org"):
            if label in r:
                s = r[label]
                print(
                    f"  {name + ' ' + label:22} {s['strict']['f1']:7.3f} {s['lenient']['f1']:8.3f} "
                    f"{s['timed']['f1']:6.3f}"
                )
    if args.speed:
        items = [
            (t, m)
            for name in ("dev", "dev-extra")
            for _, t, m in corpus_items(SHARED / SETS[name][0])
        ]
        words = sum(len(t.split()) for t, _ in items)
        for workers in (1, 2):
            t0 = time.perf_counter()
            c0 = _cpu_seconds()
            for _ in extractor.pipe(items, workers=workers):
                pass
            dt = time.perf_counter() - t0
            cpu = _cpu_seconds() - c0
            print(
                f"speed: {workers} worker(s): {words / dt:,.0f} words/s wall-clock, "
                f"{words / max(cpu, 1e-9):,.0f} words per CPU-second ({words} words; "
                f"load average {os.getloadavg()[0]:.1f})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
