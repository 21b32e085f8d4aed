"""The extractor: a document's text in, an :class:`Extraction` out.

Steps, for each document:

1. names on the raw text (gazetteer forms, name shapes, abbreviations defined in the text),
   so that documents can be cut at paragraph breaks and the pieces parsed in batches;
2. the spaCy components of :mod:`factiongraph.extract.nlp` (names merged into single
   tokens, tagging, parsing, cached lemmas), then the pieces joined back into one document;
3. the entity recogniser, only on sentences with a proper noun no name covers;
4. short references, relation candidates and places on the whole document;
5. per candidate: evidence span (its sentence), attribution, time and place; people's roles,
   memberships and killings come from :mod:`factiongraph.extract.roles`.

>>> from factiongraph.extract.pipeline import EXTRACTOR_NAME
>>> EXTRACTOR_NAME
'factiongraph.extract'
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import multiprocessing
import re
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy

from factiongraph.extract.chunks import CITATION as _CITATION
from factiongraph.extract.chunks import Chunk, flat_parse, plan_chunks, split_chunks
from factiongraph.extract.entities import EntityTable, Mention
from factiongraph.extract.evidence import modality_of, time_of, trim
from factiongraph.extract.lexicon import Lexicon, default_lexicon
from factiongraph.extract.records import AssertionRecord, EntityRecord, Extraction
from factiongraph.models import EntityKind, Predicate

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from factiongraph.extract.gazetteer import Gazetteer
    from factiongraph.extract.nlp import DocState

__all__ = ["Extractor", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "split_chunks"]

EXTRACTOR_NAME = "factiongraph.extract"
EXTRACTOR_VERSION = "0.4.2"  # bump when the rules or word lists change

_ORG_KINDS = {
    Predicate.LEADS: ("person", "organization"),
    Predicate.MEMBER_OF: ("person", "organization"),
    Predicate.KILLED_BY: ("person", "organization"),
    Predicate.OPERATES_IN: ("organization", "place"),
}
# predicates whose subject may also be a person ("X swore allegiance to Y")
_PERSON_OR_ORG = frozenset({Predicate.PLEDGED_ALLEGIANCE_TO})
_COUNT_RE = re.compile(
    r"\b(\d[\d,]*(?:\s*(?:-|–|to)\s*\d[\d,]*)?)\s+(?:\w+\s)?(fighters|members|militants|men|"
    r"troops|soldiers|recruits|commanders)\b"
)

_NOT_OPERATORS = frozenset({"state", "state_agency", "international_body"})
# Who finds leads/member_of/killed_by: "roles" (extract.roles), "relations", or "both"
ROLE_SOURCE = "roles"
_ROLE_PREDICATES = frozenset({Predicate.LEADS, Predicate.MEMBER_OF, Predicate.KILLED_BY})

_PIPELINES: dict[int, Language] = {}
_LOCK = threading.Lock()


def _default_gazetteer() -> Gazetteer | None:
    try:
        from factiongraph.extract.gazetteer import default_gazetteer
    except ImportError:
        return None
    return default_gazetteer()


class Extractor:
    """Find entities and relations in documents.

    ``gazetteer`` defaults to the shipped one; ``workers`` (1 or 2) is the number of
    processes :meth:`pipe` uses; ``batch_size`` the number of documents parsed together.
    ``ner=False`` skips the model's named-entity recogniser (about twice as fast; names
    then come only from the gazetteer, name shapes, titles and abbreviations).
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        workers: int = 1,
        batch_size: int = 8,
        lexicon: Lexicon | None = None,
        ner: bool = True,
    ) -> None:
        self._gazetteer = gazetteer
        self.ner = ner
        self._gazetteer_given = gazetteer is not None
        self.workers = max(1, int(workers))
        self.batch_size = max(1, int(batch_size))
        self.lexicon = lexicon or default_lexicon()
        self._nlp: Language | None = None

    @property
    def gazetteer(self) -> Gazetteer | None:
        if not self._gazetteer_given and self._gazetteer is None:
            self._gazetteer = _default_gazetteer()
            self._gazetteer_given = True
        return self._gazetteer

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, built on first use and shared by extractors of one gazetteer."""
        if self._nlp is None:
            from factiongraph.extract.nlp import build_pipeline

            key = id(self.gazetteer) ^ id(self.lexicon)
            with _LOCK:
                if key not in _PIPELINES:
                    _PIPELINES[key] = build_pipeline(self.gazetteer, self.lexicon)
                    relations = _PIPELINES[key].get_pipe("factiongraph_relations")
                    relations.person_roles = ROLE_SOURCE != "roles"
                self._nlp = _PIPELINES[key]
        return self._nlp

    # -- public API -----------------------------------------------------------------------

    def extract(
        self, text: str, *, published: str | None = None, title: str | None = None
    ) -> Extraction:
        """Entities and relation assertions of one document."""
        return next(self.pipe([(text, {"published": published, "title": title})], workers=1))

    def pipe(
        self, items: Iterable[tuple[str, dict[str, Any]]], workers: int | None = None
    ) -> Iterator[Extraction]:
        """Extract from many ``(text, {"published": ..., "title": ...})`` items, in order."""
        n = self.workers if workers is None else max(1, int(workers))
        if n <= 1:
            from factiongraph.extract.nlp import one_blas_thread

            with one_blas_thread():
                yield from self._pipe_local(items)
            return
        _ = self.nlp  # build the pipeline once, before the workers are forked
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(self,)
        ) as pool:
            # one document a task, longest first, keeps the workers evenly loaded; the
            # paragraphs of each document are still parsed in batches inside the worker.
            # Documents are taken a window at a time so that long streams stay lazy.
            it = iter(items)
            while True:
                window = list(itertools.islice(it, 64))
                if not window:
                    break
                order = sorted(range(len(window)), key=lambda k: -len(window[k][0]))
                futures = {k: pool.submit(_work, [window[k]]) for k in order}
                for k in range(len(window)):
                    yield from futures[k].result()

    # -- internals ------------------------------------------------------------------------

    def _pipe_local(self, items: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[Extraction]:
        """Parse the chunks of all documents in batches, then reassemble each document."""

        from factiongraph.extract.entities import find_names
        from factiongraph.extract.nlp import POST_COMPONENTS, DocState

        nlp = self.nlp
        index = nlp.get_pipe("factiongraph_names").index
        pending: deque[_Pending] = deque()

        def chunk_doc(chunk: Chunk, mentions: list[Mention], state: DocState) -> Doc:
            d = nlp.make_doc(chunk.text)
            end = chunk.start + len(chunk.text)
            lo = bisect.bisect_left(mentions, chunk.start, key=lambda m: m.start_char)
            inside = itertools.takewhile(lambda m: m.start_char < end, mentions[lo:])
            d._.fg = DocState(
                table=state.table,
                title=state.title,
                mentions=[_shift(m, -chunk.start) for m in inside if m.end_char <= end],
                names_found=True,
            )
            return d

        def chunk_docs() -> Iterator[Doc]:
            names = nlp.get_pipe("factiongraph_names")
            for text, meta in items:
                meta = meta or {}
                state = DocState(table=EntityTable(self.gazetteer), title=meta.get("title"))
                mentions = sorted(
                    find_names(text, state.table, index, state.title), key=lambda m: m.start_char
                )
                chunks = plan_chunks(text)
                job = _Pending(text, meta, state, [None] * len(chunks))
                pending.append(job)
                for k, chunk in enumerate(chunks):
                    d = chunk_doc(chunk, mentions, state)
                    d.user_data["fg_offset"] = chunk.start
                    if chunk.parse:
                        job.waiting.append(k)
                        yield d
                    else:
                        job.parts[k] = flat_parse(names(d))
                job.cut = True

        def finished() -> Iterator[Extraction]:
            while pending and pending[0].cut and not pending[0].waiting:
                yield self._finish(pending.popleft())

        skip = [*POST_COMPONENTS, "ner"]  # entities: see _selective_ner
        for d in nlp.pipe(chunk_docs(), batch_size=self.batch_size * 8, disable=skip):
            job = next(j for j in pending if j.waiting)
            job.parts[job.waiting.popleft()] = d
            yield from finished()
        yield from finished()

    def _finish(self, job: _Pending) -> Extraction:
        """Join a document's chunks into one doc and run the document-level components."""
        from spacy.tokens import Doc

        from factiongraph.extract.nlp import POST_COMPONENTS, DocState

        nlp = self.nlp
        text, meta, state = job.text, job.meta, job.state
        parts = [p for p in job.parts if p is not None]
        mentions = []
        width = max(p.tensor.shape[1] if p.tensor.ndim == 2 else 0 for p in parts)
        for part in parts:
            offset = part.user_data.get("fg_offset", 0)
            mentions.extend(_shift(m, offset) for m in part._.fg.mentions)
            part.user_data.clear()  # chunk bookkeeping must not travel into the merged doc
            if part.tensor.ndim != 2 or part.tensor.shape[1] != width:
                part.tensor = numpy.zeros((len(part), width), dtype="float32")
        if len(parts) > 1:
            with warnings.catch_warnings():
                # the chunks' own extension data is rebuilt below, so its loss is expected
                warnings.filterwarnings("ignore", message=r"\[W10[12]\]")
                doc = Doc.from_docs(parts, ensure_whitespace=False)
        else:
            doc = parts[0]
        if doc.text != text:  # never expected; parse the whole text instead
            doc = nlp.make_doc(text)
            doc._.fg = DocState(table=state.table, title=state.title)
            for name, proc in nlp.pipeline:
                if name not in POST_COMPONENTS:
                    doc = proc(doc)
            mentions = doc._.fg.mentions
        state.mentions = mentions
        cited = _citation_test()
        state.ner_spans = self._selective_ner(doc, mentions, cited) if self.ner else []
        doc._.fg = state
        for name in POST_COMPONENTS:
            doc = nlp.get_pipe(name)(doc)
        return self._to_extraction(doc, meta.get("published"), cited)

    def _selective_ner(
        self, doc: Doc, mentions: list[Mention], cited: Callable[[Span], bool]
    ) -> list[Span]:
        """Run the entity recogniser only around capitalised proper nouns no name covers,
        leaving out references and captions, which give no relations."""
        from spacy.tokens import Doc, Span

        covered: set[int] = set()
        for m in mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                covered.update(range(span.start, span.end))
        from spacy.symbols import PROPN

        proper = sorted(i for i, pos in enumerate(doc.to_array("POS").tolist()) if pos == PROPN)
        # calendar words are proper nouns to the tagger but never start a name of interest;
        # nor do words the tagger calls proper but the text writes in lower case
        proper = [
            i
            for i in proper
            if i not in covered and doc[i].text[:1].isupper() and doc[i].lower_ not in _CALENDAR
        ]
        # the recogniser reads a window of words around each such proper noun, not the whole
        # sentence: a name is told by its neighbours, and the model is the dearest step
        windows: list[tuple[int, int, int, int]] = []  # (start, end, sentence start, end)
        for sent in doc.sents:
            k = bisect.bisect_left(proper, sent.start)
            if k >= len(proper) or proper[k] >= sent.end or cited(sent):
                continue
            while k < len(proper) and proper[k] < sent.end:
                start = max(sent.start, proper[k] - _NER_WINDOW)
                end = min(sent.end, proper[k] + _NER_WINDOW + 1)
                if windows and windows[-1][2] == sent.start and start <= windows[-1][1]:
                    start = windows.pop()[0]
                windows.append((start, end, sent.start, sent.end))
                k += 1
        if not windows:
            return []
        ner = self.nlp.get_pipe("ner")
        out: list[Span] = []
        vocab = doc.vocab
        wdocs = ner.pipe(
            [
                Doc(
                    vocab,
                    words=[t.text for t in doc[a:b]],
                    spaces=[bool(t.whitespace_) for t in doc[a:b]],
                )
                for a, b, _, _ in windows
            ],
            batch_size=64,
        )
        for (a, b, s_start, s_end), wdoc in zip(windows, wdocs, strict=True):
            for ent in wdoc.ents:
                if (ent.start == 0 and a > s_start) or (ent.end == len(wdoc) and b < s_end):
                    continue  # it may go on beyond the window
                out.append(Span(doc, a + ent.start, a + ent.end, label=ent.label_))
        return out

    def _to_extraction(
        self, doc: Doc, published: str | None, cited: Callable[[Span], bool]
    ) -> Extraction:
        from factiongraph.extract.places import place_for
        from factiongraph.extract.relations import MentionIndex

        state: DocState = doc._.fg
        text = doc.text
        table = state.table
        resolver = _time_resolver(text, published)
        attribute = _attribute_fn()
        idx = MentionIndex(state.mentions)
        assertions: list[AssertionRecord] = []
        used: set[str] = set()
        seen: set[tuple[str, str, str, int]] = set()
        candidates = list(state.candidates)
        role_records: list[AssertionRecord] = []
        if ROLE_SOURCE != "relations":
            from factiongraph.extract.roles import role_relations

            role_records = list(role_relations(doc, state, resolver, attribute, used, cited))
        leaders = _leaders(role_records, table)
        for cand in state.candidates:
            if cand.predicate == Predicate.OPERATES_IN or cited(cand.sentence):
                continue
            place = cand.place or place_for(cand, idx)
            if place is None:
                continue
            cand.place = place
            for party in (cand.subject, cand.object):
                info = table.get(party.key)
                if info.kind == "organization" and info.category not in _NOT_OPERATORS:
                    candidates.append(
                        replace(
                            cand,
                            subject=party,
                            predicate=Predicate.OPERATES_IN,
                            object=place,
                            place=None,
                            attributes={},
                            confidence=min(cand.confidence, 0.5),
                        )
                    )
        for cand in candidates:
            if cited(cand.sentence):
                continue
            if ROLE_SOURCE == "roles" and cand.predicate in _ROLE_PREDICATES:
                continue
            s_info, o_info = table.get(cand.subject.key), table.get(cand.object.key)
            if o_info.kind == "person" and o_info.key in leaders:
                # "fighters defected to X": to the group X leads in this document
                o_info = table.get(leaders[o_info.key])
                cand = replace(cand, object=replace(cand.object, key=o_info.key))
            if cand.subject.key == cand.object.key:
                continue
            want = _ORG_KINDS.get(cand.predicate, ("organization", "organization"))
            if (s_info.kind, o_info.kind) != want and not (
                cand.predicate in _PERSON_OR_ORG
                and (s_info.kind, o_info.kind) == ("person", want[1])
            ):
                continue
            dedup = (cand.subject.key, cand.predicate.value, cand.object.key, cand.sentence.start)
            if dedup in seen:
                continue
            seen.add(dedup)
            sent = cand.sentence
            start, end = trim(text, sent.start_char, sent.end_char)
            trigger = doc[cand.trigger]
            modality, claimant = modality_of(sent, trigger, attribute)
            valid_time, time_text = time_of(sent, trigger, resolver)
            place = cand.place or (
                place_for(cand, idx) if cand.predicate != Predicate.OPERATES_IN else None
            )
            attributes = dict(cand.attributes)
            count = _count_near(text[start:end], cand.subject.text)
            if count and cand.predicate in (
                Predicate.OPERATES_IN,
                Predicate.PART_OF,
                Predicate.DEFECTED_TO,
                Predicate.PLEDGED_ALLEGIANCE_TO,
            ):
                attributes["count"] = count
            used.update((cand.subject.key, cand.object.key))
            if place is not None:
                used.add(place.key)
            assertions.append(
                AssertionRecord(
                    subject=s_info.name,
                    predicate=cand.predicate,
                    object=o_info.name,
                    subject_mention=cand.subject.text,
                    object_mention=cand.object.text,
                    valid_time=valid_time,
                    time_text=time_text,
                    place=table.get(place.key).name if place is not None else None,
                    attributes=attributes,
                    modality=modality,
                    claimant=claimant,
                    confidence=cand.confidence,
                    start=start,
                    end=end,
                    quote=text[start:end],
                )
            )
        if role_records:
            have = {(a.subject, a.predicate, a.object, a.start, a.end) for a in assertions}
            for rec in role_records:
                if (rec.subject, rec.predicate, rec.object, rec.start, rec.end) not in have:
                    have.add((rec.subject, rec.predicate, rec.object, rec.start, rec.end))
                    assertions.append(rec)
        assertions.extend(_killings_as_fighting(assertions))
        surfaces: dict[str, list[str]] = {}
        for m in state.mentions:
            if m.source != "coref":
                surfaces.setdefault(m.key, []).append(m.text)
        entities = []
        for key, info in table.entities.items():
            if key not in used and key not in surfaces:
                continue
            aliases = list(info.aliases)
            for s in surfaces.get(key, []):
                if s != info.name and s not in aliases:
                    aliases.append(s)
            # a person's group helps tell people apart, but is a fact to state, not a parent
            has_parent = info.parent and info.kind != "person"
            parent = table.entities.get(info.parent) if has_parent else None
            parent_name = parent.name if parent else None
            if parent_name is None and has_parent and table.gazetteer is not None:
                entry = table.gazetteer.get(info.parent)
                parent_name = entry.name if entry else None
            category = info.category if info.kind == "organization" else None
            entities.append(
                EntityRecord(
                    name=info.name,
                    kind=EntityKind(info.kind),
                    category=category,
                    aliases=aliases,
                    parent=parent_name,
                    note=info.note,
                    external_ids={"gazetteer": info.entry_id} if info.entry_id else {},
                )
            )
        return Extraction(
            extractor=EXTRACTOR_NAME,
            version=EXTRACTOR_VERSION,
            entities=entities,
            assertions=assertions,
        )


def _killings_as_fighting(assertions: list[AssertionRecord]) -> list[AssertionRecord]:
    """ "Y killed X's leader": where one sentence says both, Y fights X's organization."""
    by_span: dict[tuple[int, int], list[AssertionRecord]] = {}
    for a in assertions:
        by_span.setdefault((a.start, a.end), []).append(a)
    out: list[AssertionRecord] = []
    have = {(a.subject, a.predicate, a.object, a.start) for a in assertions}
    for recs in by_span.values():
        kills = [a for a in recs if a.predicate == Predicate.KILLED_BY]
        roles = [a for a in recs if a.predicate in (Predicate.LEADS, Predicate.MEMBER_OF)]
        for k in kills:
            for r in roles:
                if r.subject != k.subject or r.object == k.object:
                    continue
                key = (k.object, Predicate.FIGHTS, r.object, k.start)
                if key in have:
                    continue
                have.add(key)
                out.append(
                    k.model_copy(
                        update={
                            "subject": k.object,
                            "predicate": Predicate.FIGHTS,
                            "object": r.object,
                            "subject_mention": k.object_mention,
                            "object_mention": r.object_mention,
                            "attributes": {"kind": "killing"},
                            "confidence": min(k.confidence, r.confidence, 0.5),
                        }
                    )
                )
    return out


@dataclass
class _Pending:
    """A document whose chunks are being parsed: ``waiting`` lists the chunks still out;
    ``cut`` is set once every chunk has been made."""

    text: str
    meta: dict[str, Any]
    state: DocState
    parts: list[Doc | None]
    waiting: deque[int] = field(default_factory=deque)
    cut: bool = False


def _shift(m: Mention, by: int) -> Mention:
    return replace(m, start_char=m.start_char + by, end_char=m.end_char + by)


def _citation_test() -> Callable[[Span], bool]:
    """Whether a sentence of one document cites or captions; each sentence is asked often."""
    known: dict[tuple[int, int], bool] = {}

    def cited(span: Span) -> bool:
        key = (span.start, span.end)
        if key not in known:
            known[key] = bool(_CITATION.search(span.text))
        return known[key]

    return cited


def _leaders(records: list[AssertionRecord], table: EntityTable) -> dict[str, str]:
    """Person key -> key of the organization the document most often says they lead."""
    keys = {info.name: key for key, info in table.entities.items()}
    counts: dict[str, dict[str, int]] = {}
    for r in records:
        if r.predicate == Predicate.LEADS and r.subject in keys and r.object in keys:
            by_org = counts.setdefault(keys[r.subject], {})
            by_org[keys[r.object]] = by_org.get(keys[r.object], 0) + 1
    return {p: max(orgs, key=lambda k: orgs[k]) for p, orgs in counts.items()}


def _count_near(quote: str, name: str) -> str | None:
    for m in _COUNT_RE.finditer(quote):
        if name and name in quote[max(0, m.start() - 80) : m.end() + 80]:
            return f"{m.group(1)} {m.group(2)}"
    return None


def _time_resolver(text: str, published: str | None) -> Any:
    try:
        from factiongraph.extract.timex import TimeResolver
    except ImportError:
        return None
    try:
        return TimeResolver(text, published, carry="section")  # reports date a section once
    except Exception:
        return None


def _attribute_fn() -> Any:
    try:
        from factiongraph.extract.attribution import attribute
    except ImportError:
        return None
    return attribute


# -- worker processes --------------------------------------------------------------------------

_WORKER: Extractor | None = None


# month and day names in English (the C locale's), full and abbreviated
_NER_WINDOW = 6  # words on either side of a proper noun the recogniser reads
_CALENDAR = frozenset(
    w.lower()
    for w in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, "Sept")
)


def _init_worker(extractor: Extractor) -> None:
    from factiongraph.extract.nlp import one_blas_thread

    global _WORKER
    _WORKER = extractor
    one_blas_thread()  # for the worker's whole life


def _work(batch: list[tuple[str, dict[str, Any]]]) -> list[Extraction]:
    assert _WORKER is not None
    return list(_WORKER._pipe_local(batch))
