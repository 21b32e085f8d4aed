"""Each export read back: facts scored by the evaluation kit, graphs by networkx, CSV by pandas."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from factiongraph.export.facts import read_facts, write_facts
from factiongraph.export.gexf import read_gexf, write_gexf
from factiongraph.export.graphml import read_graphml, write_graphml
from factiongraph.export.stix import write_stix
from factiongraph.export.tables import write_csv
from factiongraph.kb import KnowledgeBase
from factiongraph.models import AssertionIn, EntityIn, EntityKind, EvidenceIn

DOC = "Alpha Front and the Beta Movement fought near Gamma town in 2016; Alpha later made peace."


@pytest.fixture
def small(kb: KnowledgeBase) -> KnowledgeBase:
    kb.add_entity(EntityIn(name="Alpha Front", aliases=["AF", "Alpha"]))
    kb.add_entity(EntityIn(name="Beta Movement", aliases=["BM"]))
    kb.add_entity(EntityIn(name="Gamma", kind=EntityKind.PLACE))
    kb.add_document(DOC, key="doc1.txt", title="One")
    kb.add_assertion(
        AssertionIn(
            subject="AF",
            predicate="fights",
            object="BM",
            valid_time="2016",
            place="Gamma",
            subject_mention="Alpha Front",
            evidence=EvidenceIn(start=0, end=52),
        ),
        document="doc1.txt",
    )
    kb.add_assertion(
        AssertionIn(
            subject="Alpha", predicate="ceasefire_with", object="BM", valid_time="2017-03/2017-09"
        ),
        document="doc1.txt",
    )
    kb.add_assertion(
        AssertionIn(subject="AF", predicate="operates_in", object="Gamma", valid_time="2015/.."),
        document="doc1.txt",
    )
    kb.add_assertion(
        AssertionIn(subject="BM", predicate="supports", object="AF", modality="denied"),
        document="doc1.txt",
    )
    return kb


def test_facts_jsonl_has_the_prediction_format(small: KnowledgeBase) -> None:
    buf = io.StringIO()
    assert write_facts(small, buf) == 4
    rows = read_facts(io.StringIO(buf.getvalue()))
    fight = next(r for r in rows if r["predicate"] == "fights")
    assert fight["doc"] == "doc1.txt" and fight["subject"] == "Alpha Front"
    assert fight["object"] == "Beta Movement" and fight["start"] == "2016" and fight["end"] is None
    assert fight["evidence"] == DOC[:52] and fight["subject_mention"] == "Alpha Front"
    assert set(fight["subject_aliases"]) == {"AF", "Alpha"}
    cease = next(r for r in rows if r["predicate"] == "ceasefire_with")
    assert (cease["start"], cease["end"]) == ("2017-03", "2017-09")


def test_facts_are_scored_by_the_evaluation_kit(
    small: KnowledgeBase, tmp_path: Path, shared
) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    ents = [
        {
            "id": "af",
            "name": "Alpha Front",
            "kind": "organization",
            "aliases": ["AF"],
            "parent": None,
        },
        {
            "id": "bm",
            "name": "Beta Movement",
            "kind": "organization",
            "aliases": ["BM"],
            "parent": None,
        },
        {"id": "g", "name": "Gamma", "kind": "place", "aliases": [], "parent": None},
    ]
    facts = [
        {
            "doc": "doc1.txt",
            "subject": "bm",
            "predicate": "fights",
            "object": "af",
            "start": "2016",
            "end": None,
            "modality": "asserted",
            "evidence": "x",
        },
        {
            "doc": "doc1.txt",
            "subject": "af",
            "predicate": "operates_in",
            "object": "g",
            "start": None,
            "end": None,
            "modality": "asserted",
            "evidence": "x",
        },
        {
            "doc": "doc1.txt",
            "subject": "af",
            "predicate": "negotiates_with",
            "object": "bm",
            "start": None,
            "end": None,
            "modality": "asserted",
            "evidence": "x",
        },
    ]
    (gold / "entities.jsonl").write_text("\n".join(json.dumps(e) for e in ents), encoding="utf-8")
    (gold / "facts.jsonl").write_text("\n".join(json.dumps(f) for f in facts), encoding="utf-8")
    pred = tmp_path / "facts.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        write_facts(small, f)
    out = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score.py"),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(out.stdout)
    # predicted (denied left out): fights, ceasefire_with, operates_in -> 2 of 3 right;
    # gold: fights, operates_in, negotiates_with -> 2 of 3 found.
    assert scores["strict"]["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert scores["strict"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    # lenient: ceasefire and negotiation are one family, so all three match
    assert scores["lenient"]["f1"] == pytest.approx(1.0)
    assert scores["unresolved_predictions"] == 0


def test_graphml_round_trip(small: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    written = write_graphml(small, path)
    g = read_graphml(path)
    assert g.number_of_edges() == written.number_of_edges() == 4
    names = nx.get_node_attributes(g, "name")
    edges = {(names[u], d["predicate"], names[v]): d for u, v, d in g.edges(data=True)}
    fight = edges[("Alpha Front", "fights", "Beta Movement")]
    assert (fight["start"], fight["end"], fight["place"]) == ("2016-01-01", "2016-12-31", "Gamma")
    assert "end" not in edges[("Alpha Front", "operates_in", "Gamma")]


def test_gexf_is_dynamic_with_edge_intervals(small: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "g.gexf"
    write_gexf(small, path)
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    g = read_gexf(path)
    labels = nx.get_node_attributes(g, "label")
    spans = {
        (labels[u], d["label"], labels[v]): (d.get("start"), d.get("end"))
        for u, v, d in g.edges(data=True)
    }
    assert spans[("Alpha Front", "ceasefire_with", "Beta Movement")] == ("2017-03-01", "2017-09-30")
    assert spans[("Alpha Front", "operates_in", "Gamma")] == ("2015-01-01", None)


def test_csv_tables_load_in_pandas(small: KnowledgeBase, tmp_path: Path) -> None:
    paths = write_csv(small, tmp_path / "csv")
    ents = pd.read_csv(paths["entities"])
    facts = pd.read_csv(paths["assertions"])
    docs = pd.read_csv(paths["documents"])
    assert set(ents["name"]) == {"Alpha Front", "Beta Movement", "Gamma"}
    assert len(facts) == 4 and set(facts["modality"]) == {"asserted", "denied"}
    assert docs.loc[0, "key"] == "doc1.txt"
    row = facts[facts.predicate == "fights"].iloc[0]
    assert (row["subject"], row["object"], row["valid_from"]) == (
        "Alpha Front",
        "Beta Movement",
        "2016-01-01",
    )


def test_stix_bundle_parses(small: KnowledgeBase) -> None:
    import stix2

    buf = io.StringIO()
    assert write_stix(small, buf) == 4
    bundle = stix2.parse(buf.getvalue(), allow_custom=True)
    rels = [o for o in bundle.objects if o.type == "relationship"]
    assert {r.relationship_type for r in rels} == {
        "fights",
        "ceasefire-with",
        "operates-in",
        "supports",
    }
    actors = {o.name for o in bundle.objects if o.type == "threat-actor"}
    assert actors == {"Alpha Front", "Beta Movement"}
