"""Reading and storing speed: documents/s and MB/s on the corpus replicated to 50 MB or more.

Usage: python benchmarks/ingest.py [--corpus ../shared/corpus] [--mb 50]

Each copy of a document is made unique (a counter line) so that every one is stored.
Extraction is left out here: benchmarks/extract.py measures it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from factiongraph.ingest import ingest
from factiongraph.kb import KnowledgeBase
from factiongraph.readers import iter_documents, read_document

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def replicate(corpus: Path, target: Path, megabytes: float) -> tuple[int, int]:
    files = [p for p in sorted(corpus.iterdir()) if p.suffix in {".txt", ".md", ".html"}]
    if not files:
        raise SystemExit(f"no documents in {corpus}")
    total = count = 0
    while total < megabytes * 1024 * 1024:
        for p in files:
            data = p.read_bytes()
            out = target / f"{count:05d}_{p.name}"
            out.write_bytes(f"copy {count}\n\n".encode() + data)
            total += len(data)
            count += 1
    return count, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--mb", type=float, default=50.0)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        shutil.copy(args.corpus / "catalog.json", folder) if (
            args.corpus / "catalog.json"
        ).exists() else None
        n, size = replicate(args.corpus, folder, args.mb)
        mb = size / 1024 / 1024

        t0 = time.perf_counter()
        for path in iter_documents([folder]):
            read_document(path)
        read_s = time.perf_counter() - t0

        kb = KnowledgeBase.open(str(Path(tmp) / "bench.db"))
        t0 = time.perf_counter()
        report = ingest(kb, [folder], extract=False)
        store_s = time.perf_counter() - t0
        assert report.stored == n, report.failed[:3]
        t0 = time.perf_counter()
        again = ingest(kb, [folder], extract=False)
        skip_s = time.perf_counter() - t0
        kb.close()

    print(f"corpus: {n} documents, {mb:.1f} MB")
    print(f"read only:        {n / read_s:8.1f} documents/s  {mb / read_s:7.2f} MB/s")
    print(f"read + store:     {n / store_s:8.1f} documents/s  {mb / store_s:7.2f} MB/s")
    print(
        f"re-ingest (skip): {n / skip_s:8.1f} documents/s  {mb / skip_s:7.2f} MB/s"
        f"  ({again.count('unchanged')} unchanged)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
