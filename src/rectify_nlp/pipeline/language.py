"""The spaCy ``Language`` the extractor runs, and how long texts are cut into chunks.

Chinese is tokenised one character per token (spaCy's ``zh`` with the ``char`` segmenter), so
every character offset is a token boundary and entity offsets never drift from token offsets.

spaCy is imported when a pipeline or a ``Doc`` is made, not with this module: the rule layer
alone (``load("rules")``) runs without it, and importing spaCy is most of a command's start-up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

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


#: the name and version of a blank pipeline (the rule layer alone stands for one)
BLANK_NAME = "rectify_rules"
BLANK_VERSION = "0.0.0"


def blank_pipeline(name: str = BLANK_NAME) -> Language:
    """A blank Chinese pipeline with character tokens and no trained components."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.meta["name"] = name
    nlp.meta["version"] = BLANK_VERSION
    return nlp


# a character with the one space that may follow it, or a run of whitespace
_CHAR_TOKEN = re.compile(r"\S ?|\s+")


def char_doc(vocab: Vocab, text: str) -> Doc:
    r"""The ``Doc`` spaCy's ``zh`` tokenizer with the ``char`` segmenter makes of ``text``, made
    in linear time.

    spaCy's own (``util.get_words_and_spaces``) searches ``text[pos:]`` afresh for every
    character: quadratic, ~1 s for 200,000 characters and far worse beyond. The tokens are
    the same: one per non-space character, a single space after it as its trailing
    whitespace, any other run of whitespace one token (tested against spaCy's).

    >>> [t.text_with_ws for t in char_doc(blank_pipeline().vocab, "巡察 组\n\n整改")]
    ['巡', '察 ', '组', '\n\n', '整', '改']
    """
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    for m in _CHAR_TOKEN.finditer(text):
        token = m.group()
        if len(token) == 2 and token[1] == " " and not token[0].isspace():
            words.append(token[0])
            spaces.append(True)
        else:
            words.append(token)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


def uses_char_tokens(nlp: Language) -> bool:
    """Whether ``nlp`` tokenises one character per token (``zh`` with the ``char`` segmenter),
    so that :func:`char_doc` makes the same ``Doc`` as ``nlp.make_doc``."""
    tok = nlp.tokenizer
    return (nlp.lang == "zh" and type(tok).__name__ == "ChineseTokenizer"
            and str(getattr(tok, "segmenter", "")) in ("char", "Segmenter.char"))


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
