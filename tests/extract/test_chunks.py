"""Cutting documents into chunks: reference lists are tokenised but not parsed."""

from __future__ import annotations

from factiongraph.extract.chunks import flat_parse, is_reference_line, plan_chunks

from ._fixtures import extractor

NOTES = (
    "- [1] A. Writer, 'The Golden League and the Northern Guard', Review, pp. 4-9.\n"
    "- [2] 'Freedonia funded the Golden League', Daily Paper, https://example.org/a\n"
)
PROSE = "In 2016 the Golden League clashed with the Northern Guard in Velka.\n\n"


def test_reference_lines_and_prose_notes() -> None:
    assert is_reference_line("- [2] 'A title', Daily Paper, https://example.org/a")
    assert is_reference_line("Figure 3: Areas held in 2017")
    assert not is_reference_line("[13] The league's leader was killed in May 2016.")
    assert not is_reference_line("The Golden League clashed with the Northern Guard.")
    # a long paragraph that happens to carry a link is still prose
    assert not is_reference_line("The Golden League fought on. " * 30 + "https://example.org")


def test_plan_marks_runs_of_references_and_joins_back() -> None:
    text = PROSE + NOTES + "\n" + PROSE
    chunks = plan_chunks(text, size=20)
    assert "".join(c.text for c in chunks) == text
    assert all(text[c.start : c.start + len(c.text)] == c.text for c in chunks)
    unparsed = [c for c in chunks if not c.parse]
    assert len(unparsed) == 1 and unparsed[0].text.startswith("- [1]")
    assert unparsed[0].text.rstrip().endswith("example.org/a")


def test_flat_parse_makes_each_line_a_sentence() -> None:
    nlp = extractor().nlp
    doc = flat_parse(nlp.make_doc(NOTES))
    sents = [s.text.strip() for s in doc.sents]
    assert sents == [line for line in NOTES.splitlines()]


def test_no_relations_from_reference_lists_but_prose_around_them_is_read() -> None:
    text = PROSE + NOTES + "\nLater Freedonia funded the Northern Guard.\n"
    found = extractor().extract(text)
    got = {(a.subject, a.predicate.value, a.object) for a in found.assertions}
    assert ("Golden League", "fights", "Northern Guard") in got
    assert ("Freedonia", "supports", "Northern Guard") in got
    assert ("Freedonia", "supports", "Golden League") not in got
    assert all(text[a.start : a.end] == a.quote for a in found.assertions)
