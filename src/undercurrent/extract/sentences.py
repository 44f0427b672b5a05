"""Sentences: spaCy's parser splits sentences, but never across a line break in the report."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "undercurrent_line_breaks"


@Language.component(COMPONENT)
def line_breaks(doc: Doc) -> Doc:
    """Headlines, captions and paragraphs end sentences: mark the token after a newline."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


def add_line_breaks(nlp: Language) -> Language:
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
