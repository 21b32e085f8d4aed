"""Facts JSONL: one assertion a line, in the prediction format of the evaluation kit.

Subjects and objects are named by canonical name, with the words the document used and the
entity's aliases, so that a scorer can resolve them whatever names its gold set uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from factiongraph.kb import KnowledgeBase
from factiongraph.models import Assertion, Entity
from factiongraph.timeutil import edtf_to_start_end


def fact_rows(kb: KnowledgeBase, **query: Any) -> Iterator[dict[str, Any]]:
    """Rows of the facts format for the assertions a query returns (rejected ones left out)."""
    entities = {e.id: e for e in kb.entities()}
    for a in kb.assertions(**query):
        yield fact_row(a, entities)


def fact_row(a: Assertion, entities: dict[int, Entity]) -> dict[str, Any]:
    start, end = edtf_to_start_end(a.valid_time)
    subj, obj = entities.get(a.subject_id), entities.get(a.object_id)
    return {
        "doc": a.document_key,
        "subject": a.subject,
        "predicate": a.predicate.value,
        "object": a.object,
        "start": start,
        "end": end,
        "valid_time": a.valid_time,
        "time_text": a.time_text,
        "place": a.place,
        "modality": a.modality.value,
        "claimant": a.claimant,
        "evidence": a.quote,
        "subject_mention": a.subject_mention,
        "object_mention": a.object_mention,
        "subject_aliases": subj.aliases if subj else [],
        "object_aliases": obj.aliases if obj else [],
        "attributes": a.attributes,
        "confidence": a.confidence,
        "origin": a.origin,
        "review_status": a.review_status.value,
        "id": a.id,
    }


def write_facts(kb: KnowledgeBase, out: IO[str], **query: Any) -> int:
    n = 0
    for row in fact_rows(kb, **query):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def read_facts(src: IO[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in src if line.strip()]
