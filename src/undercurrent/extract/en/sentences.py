"""Sentences: spaCy's parser splits sentences, but never across a line break in the report."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

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


def sentence_of(token) -> Span:
    """token.sent, computed once per document: spaCy rebuilds the span on every call."""
    doc = token.doc
    index = doc.user_data.get("undercurrent_sentence_index")
    if index is None:
        index = []
        for sent in doc.sents:
            index.extend([sent] * len(sent))
        doc.user_data["undercurrent_sentence_index"] = index
    return index[token.i]


def sentences(doc: Doc) -> list:
    """doc.sents as a list, computed once per document."""
    cached = doc.user_data.get("undercurrent_sentences")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["undercurrent_sentences"] = cached
    return cached


def doc_text(doc: Doc) -> str:
    """doc.text, computed once per document: spaCy joins every token's text on each call."""
    cached = doc.user_data.get("undercurrent_text")
    if cached is None:
        cached = doc.text
        doc.user_data["undercurrent_text"] = cached
    return cached


def span_text(span: Span) -> str:
    """span.text, cut from the document's text computed once: spaCy joins the span's tokens on each call."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def is_headline(sent: Span) -> bool:
    """A short line without closing punctuation: a headline, caption or subhead, not a statement."""
    text = span_text(sent).strip()
    return bool(text) and text[-1] not in ".!?\"”’:;)" and len(sent) <= 14 and "\n" in (doc_text(sent.doc)[sent.end_char : sent.end_char + 2] + "\n")
