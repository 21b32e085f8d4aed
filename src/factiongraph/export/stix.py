"""STIX 2.1: organizations as threat actors or identities, relations as relationships.

STIX has no relation types of its own for most of our predicates, so each relationship
carries the predicate as its ``relationship_type`` and the evidence as an external reference.
"""

from __future__ import annotations

import json
import uuid
from typing import IO, Any

from factiongraph.kb import KnowledgeBase
from factiongraph.models import Entity, EntityKind

_NAMESPACE = uuid.UUID("7f0c1e7a-4c59-4a8e-9a57-1b3c1f5a9d21")
_STATE_LIKE = {"state", "state_agency", "international_body", "party"}


def _sdo_id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(_NAMESPACE, kind + ':' + name)}"


def _object_for(e: Entity) -> Any:
    import stix2

    if e.kind == EntityKind.PLACE:
        iso = e.external_ids.get("iso")
        where = {"country": iso[:2]} if iso else {"region": "unknown"}  # STIX needs one of them
        return stix2.Location(
            id=_sdo_id("location", e.name), name=e.name, description=e.note, **where
        )
    if e.kind == EntityKind.PERSON:
        return stix2.Identity(
            id=_sdo_id("identity", e.name), name=e.name, identity_class="individual",
            description=e.note,
        )  # fmt: skip
    if e.category in _STATE_LIKE:
        return stix2.Identity(
            id=_sdo_id("identity", e.name), name=e.name, identity_class="organization",
            description=e.note,
        )  # fmt: skip
    return stix2.ThreatActor(
        id=_sdo_id("threat-actor", e.name), name=e.name, aliases=e.aliases or None,
        threat_actor_types=["terrorist"], description=e.note,
    )  # fmt: skip


def stix_bundle(kb: KnowledgeBase, **query: Any) -> Any:
    """A STIX 2.1 bundle of the queried assertions and the entities they involve."""
    import stix2

    entities = {e.id: e for e in kb.entities()}
    assertions = kb.assertions(**query)
    objects: dict[int, Any] = {}
    rels = []
    for a in assertions:
        for eid in (a.subject_id, a.object_id):
            if eid not in objects:
                objects[eid] = _object_for(entities[eid])
        refs = []
        if a.document_key:
            refs.append({"source_name": a.document_key, "description": a.quote or ""})
        rels.append(
            stix2.Relationship(
                source_ref=objects[a.subject_id].id,
                target_ref=objects[a.object_id].id,
                relationship_type=a.predicate.value.replace("_", "-"),
                start_time=(a.valid_from + "T00:00:00Z") if a.valid_from else None,
                stop_time=(a.valid_to + "T23:59:59Z")
                if a.valid_to and a.valid_from and a.valid_to > a.valid_from
                else None,
                description=f"{a.modality.value}"
                + (f", according to {a.claimant}" if a.claimant else ""),
                external_references=refs or None,
                confidence=int(round(a.confidence * 100)),
                allow_custom=True,
            )
        )
    return stix2.Bundle(objects=[*objects.values(), *rels], allow_custom=True)


def write_stix(kb: KnowledgeBase, out: IO[str], **query: Any) -> int:
    bundle = stix_bundle(kb, **query)
    out.write(bundle.serialize(pretty=True) + "\n")
    return sum(1 for o in json.loads(bundle.serialize())["objects"] if o["type"] == "relationship")
