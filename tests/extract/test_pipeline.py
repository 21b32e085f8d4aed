"""The extractor as a whole: the output contract, batching and workers."""

from __future__ import annotations

from factiongraph.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION, split_chunks
from factiongraph.extract.records import Extraction

from ._fixtures import extractor

TEXT = (
    "In March 2016 the Golden League clashed with the Northern Guard in Velka.\n\n"
    "The Northern Guard is based in Tarnow. Freedonia funded the Golden League."
)


def test_contract_offsets_and_quotes() -> None:
    ex = extractor().extract(TEXT, published="2017-01-01", title="A test")
    assert isinstance(ex, Extraction)
    assert ex.extractor == EXTRACTOR_NAME and ex.version == EXTRACTOR_VERSION
    assert ex.assertions
    names = {e.name for e in ex.entities}
    for a in ex.assertions:
        assert TEXT[a.start : a.end] == a.quote
        assert a.subject in names and a.object in names


def test_time_is_attached() -> None:
    ex = extractor().extract(TEXT, published="2017-01-01")
    fights = [a for a in ex.assertions if a.predicate.value == "fights"]
    assert fights and fights[0].valid_time and fights[0].valid_time.startswith("2016")


def test_pipe_gives_the_same_as_extract_in_order() -> None:
    items = [(TEXT, {"published": "2017"}), ("The RMF fought the Golden League.", {})]
    one = [extractor().extract(t, published=m.get("published")) for t, m in items]
    many = list(extractor().pipe(items))
    assert [e.model_dump() for e in one] == [e.model_dump() for e in many]


def test_two_workers_give_the_same_results() -> None:
    items = [(TEXT, {"published": "2017"})] * 3
    assert [e.model_dump() for e in extractor().pipe(items, workers=2)] == [
        e.model_dump() for e in extractor().pipe(items, workers=1)
    ]


def test_chunks_join_back_to_the_text() -> None:
    text = "a.\n\n" * 50 + "end"
    chunks = split_chunks(text, size=20)
    assert "".join(c for _, c in chunks) == text
    assert all(text[o : o + len(c)] == c for o, c in chunks)


def test_model_multiplies_through_numpy_on_one_thread() -> None:
    from threadpoolctl import threadpool_info

    from factiongraph.extract.nlp import one_blas_thread

    nlp = extractor().nlp
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if hasattr(model, "walk"):
            assert all(not layer.ops.use_blis for layer in model.walk())
    with one_blas_thread():
        assert all(
            pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas"
        )
