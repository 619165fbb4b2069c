"""The spaCy ``Language`` the extractor runs, and how long texts are cut into chunks.

Chinese is tokenised one character per token (spaCy's ``zh`` with the ``char`` segmenter), so
every character offset is a token boundary and entity offsets never drift from token offsets.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

#: Characters per chunk the entity model reads at once. The model is trained on windows of at
#: most 1,000 characters, so 5,000 loses no context it could use, and keeps the encoder's memory
#: per batch small (~16 KB per character at predict time: 8 chunks ≈ 0.6 GB, not 13 GB).
DEFAULT_CHUNK_CHARS = 5_000


def pipes_by_factory(nlp: Language, factory: str) -> list[str]:
    """Names of the pipeline's components made by ``factory``, in pipeline order.

    >>> pipes_by_factory(blank_pipeline(), "ner")
    []
    """
    return [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == factory]


def blank_pipeline(name: str = "rectify_rules") -> Language:
    """A blank Chinese pipeline with character tokens and no trained components."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.meta["name"] = name
    return nlp


def chunk_text(text: str, max_chars: int = DEFAULT_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``max_chars``, at line breaks where possible.

    Yields ``(offset, piece)`` with ``text[offset:offset+len(piece)] == piece``; the pieces
    cover the text exactly, nothing is dropped.

    >>> list(chunk_text("ab\\ncd\\nef", 4))
    [(0, 'ab\\n'), (3, 'cd\\n'), (6, 'ef')]
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    start, n = 0, len(text)
    while start < n:
        end = min(start + max_chars, n)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut < 0:
                cut = max(text.rfind(p, start, end) for p in "。;!?")
            if cut >= start:
                end = cut + 1
        yield start, text[start:end]
        start = end
