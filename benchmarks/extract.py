"""End-to-end speed: words/s for ingest with extraction, with 1 and 2 workers.

Usage: python benchmarks/extract.py [--corpus ../shared/corpus] [--words 300000]

The corpus is replicated (each copy made unique) until it holds at least ``--words`` words,
then ingested into a fresh store once per worker count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from factiongraph.ingest import ingest
from factiongraph.kb import KnowledgeBase

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def replicate(corpus: Path, target: Path, words: int) -> tuple[int, int]:
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    total = count = 0
    while total < words:
        for p in files:
            text = p.read_text(encoding="utf-8")
            (target / f"{count:04d}_{p.name}").write_text(
                f"Copy {count}.\n\n{text}", encoding="utf-8"
            )
            total += len(text.split())
            count += 1
    return count, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        n, words = replicate(args.corpus, folder, args.words)
        print(f"corpus: {n} documents, {words} words")
        from factiongraph.extract.pipeline import Extractor

        for workers in args.workers:
            kb = KnowledgeBase.open(str(Path(tmp) / f"w{workers}.db"))
            extractor = Extractor(workers=workers)
            t0 = time.perf_counter()
            report = ingest(kb, [folder], workers=workers, extractor=extractor)
            elapsed = time.perf_counter() - t0
            stored = sum(o.assertions for o in report.outcomes)
            kb.close()
            print(
                f"workers={workers}: {words / elapsed:8.0f} words/s  ({elapsed:.1f} s, "
                f"{report.stored} documents, {stored} assertions, {len(report.failed)} failed)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
