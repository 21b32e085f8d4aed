"""The fast attribute component sets exactly what the model's attribute ruler sets."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pytest

from factiongraph.extract.fast_attributes import FastAttributes, compile_rules
from factiongraph.extract.nlp import base_model

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SENTENCES = [
    # auxiliaries, modals and contractions
    "The militia has been fighting for years and is expected to keep going.",
    "They had already left when the convoy was attacked; it did not stop.",
    "We've seen that they'd rather talk, but he'll refuse and she won't come.",
    "I can't say whether the council could or should have acted sooner.",
    "Does the group have weapons? It does, and it has had them since 2019.",
    "You're sure they'd've known? I'm not, and we ain't going to guess.",
    "The commanders were gonna meet, so let's see if they gotta move.",
    # "that" as subordinator, relative pronoun and demonstrative
    "Officials said that the faction that controls the pass will hold that road.",
    "That was the plan, and those who opposed it were told this.",
    # negation
    "The rebels didn't retreat and the army isn't ready; nobody wasn't warned.",
    "It is not clear whether anyone saw anything, or nothing at all.",
    # expletive "there"
    "There is a checkpoint there, and there were clashes; there's more to come.",
    "Is there any sign of them? There are reports, and there was one here.",
    # pronouns in every case
    "He told her that she and I should meet them, us and him at his house.",
    "They armed themselves; the town defended itself and its people.",
    "Everyone knows somebody who gave you something of theirs or ours.",
    # spaces and odd whitespace
    "Fighting  resumed   near the river.\n\nTwo days later,\n the  truce held.",
    "  Leading spaces, a tab\there, and a trailing space. ",
    "Y'all know nothin' 'bout 'em, but somethin' was goin' on.",
    "",
]


@functools.cache
def _pipelines() -> tuple[Language, Language]:
    _register()
    original = base_model()
    fast = base_model()
    compiled = compile_rules(fast.get_pipe("attribute_ruler").patterns, fast.vocab)
    assert compiled is not None
    fast.add_pipe("factiongraph_test_attributes", after="attribute_ruler")
    fast.get_pipe("factiongraph_test_attributes").load(compiled)
    fast.remove_pipe("attribute_ruler")
    return original, fast


def _register() -> None:
    from spacy.language import Language

    if "factiongraph_test_attributes" not in Language.factories:

        @Language.factory("factiongraph_test_attributes")
        def _make(nlp: Language, name: str) -> FastAttributes:
            return FastAttributes()


def _attributes(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_attributes_as_the_ruler(text: str) -> None:
    original, fast = _pipelines()
    assert _attributes(fast(text)) == _attributes(original(text))


def test_all_sentences_as_one_document() -> None:
    original, fast = _pipelines()
    text = " ".join(SENTENCES)
    assert _attributes(fast(text)) == _attributes(original(text))


def test_build_pipeline_uses_it() -> None:
    from ._fixtures import extractor

    nlp = extractor().nlp
    assert "factiongraph_attributes" in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names


def test_unsupported_patterns_are_refused() -> None:
    nlp = base_model()
    patterns = [{"patterns": [[{"LOWER": "x", "OP": "+"}]], "attrs": {"POS": "X"}, "index": 0}]
    assert compile_rules(patterns, nlp.vocab) is None
