"""The annotated corpus: one JSONL record format and converters to annotation/training formats.

See ``docs/corpus_format.md``. spaCy and ``datasets`` are imported only by the functions that
need them.

>>> from rectify_nlp.corpus import CorpusRecord, EntityAnnotation
>>> CorpusRecord("a", "区委巡察组", (EntityAnnotation(0, "ORG", 0, 5, "区委巡察组"),)).validate()
[]
"""

from rectify_nlp.corpus.conll import from_conll, read_conll, to_conll, write_conll
from rectify_nlp.corpus.docbin import from_docbin, read_docbin, to_docbin, write_docbin
from rectify_nlp.corpus.doccano import from_doccano, read_doccano, to_doccano, write_doccano
from rectify_nlp.corpus.hf import leave_one_out, load_corpus, to_dataset_dict
from rectify_nlp.corpus.labelstudio import (
    from_labelstudio,
    read_labelstudio,
    to_labelstudio,
    write_labelstudio,
)
from rectify_nlp.corpus.records import (
    LABELS,
    RELATION_LABELS,
    RELATION_TYPES,
    CorpusRecord,
    EntityAnnotation,
    RelationAnnotation,
    iter_jsonl,
    make_record_id,
    non_overlapping,
    read_jsonl,
    write_jsonl,
)

__all__ = [
    "LABELS",
    "RELATION_LABELS",
    "RELATION_TYPES",
    "CorpusRecord",
    "EntityAnnotation",
    "RelationAnnotation",
    "from_conll",
    "from_docbin",
    "from_doccano",
    "from_labelstudio",
    "iter_jsonl",
    "leave_one_out",
    "load_corpus",
    "make_record_id",
    "non_overlapping",
    "read_conll",
    "read_docbin",
    "read_doccano",
    "read_jsonl",
    "read_labelstudio",
    "to_conll",
    "to_dataset_dict",
    "to_docbin",
    "to_doccano",
    "to_labelstudio",
    "write_conll",
    "write_docbin",
    "write_doccano",
    "write_jsonl",
    "write_labelstudio",
]
