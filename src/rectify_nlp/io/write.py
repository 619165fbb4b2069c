"""Write results: JSON, JSONL and CSV tables, always atomically.

Every file is written to a temporary file in the same folder and moved into place with
``os.replace``, so an interrupted run (Ctrl-C, a crash) never leaves a half-written file.

Outputs are safe to open: every text written is valid UTF-8 (a lone surrogate, which a ``str``
can hold but UTF-8 cannot encode, is written as U+FFFD, one character for one so offsets keep
their meaning), and a CSV cell that a spreadsheet would run as a formula is neutralised
(:func:`safe_csv_cell`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rectify_nlp.schema import Rectification


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of bytes) to ``path`` atomically.

    The temporary file lives in the target folder, gets the permissions an ordinary ``open()``
    would give, is flushed to disk and moved into place with ``os.replace``; on any error
    (or Ctrl-C) it is removed and the target is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    # O_EXCL: never clobber; mode 0o666 so the umask gives the usual permissions
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, (bytes, bytearray)):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# UTF-16 surrogate code points: a ``str`` may hold them (from an ``errors="surrogateescape"``
# decoding, or a JSON ``"\\ud800"``), UTF-8 cannot encode them
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_safe(text: str) -> str:
    """``text`` with every surrogate code point replaced by U+FFFD, so it encodes as UTF-8.

    One character for one: offsets into ``text`` stay valid. A surrogate *pair* held as two
    code points (``"\\ud83d\\ude00"``) becomes two U+FFFD, not the emoji, for the same reason.

    >>> utf8_safe("整改\\ud800完成")
    '整改\ufffd完成'
    """
    return _SURROGATE.sub("\ufffd", text)


def atomic_write_text(path: str | os.PathLike[str], text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or lines/pieces of it) as UTF-8 to ``path`` atomically
    (surrogates written as U+FFFD, see :func:`utf8_safe`)."""
    if isinstance(text, str):
        atomic_write_bytes(path, utf8_safe(text).encode("utf-8"))
    else:
        atomic_write_bytes(path, (utf8_safe(piece).encode("utf-8") for piece in text))


def to_jsonl(results: Iterable[Rectification]) -> str:
    """One compact JSON object a line (always encodable as UTF-8, see :func:`utf8_safe`)."""
    return "".join(utf8_safe(r.to_json(indent=None)) + "\n" for r in results)


NOTICE_COLUMNS = [
    "notice",
    "source",
    "kind",
    "inspector",
    "targets",
    "start_date",
    "end_date",
    "feedback_date",
    "round",
    "publisher",
    "published_date",
    "problems_total",
    "problems_rectified",
    "completion_rate",
    "measures_total",
    "n_problems",
    "n_outcomes",
]
PROBLEM_COLUMNS = [
    "notice",
    "index",
    "number",
    "level",
    "parent",
    "category",
    "status",
    "statement",
    "start",
    "end",
    "n_outcomes",
]
OUTCOME_COLUMNS = [
    "notice",
    "index",
    "metric",
    "value",
    "unit",
    "qualifier",
    "raw",
    "start",
    "end",
    "period",
    "problem",
    "problem_statement",
]


def csv_tables(results: Sequence[tuple[str, Rectification]]) -> dict[str, str]:
    """Three CSV tables (``notices.csv``, ``problems.csv``, ``outcomes.csv``) as text.

    ``results`` pairs a notice id (e.g. the file stem) with its result.
    """
    notices, problems, outcomes = [], [], []
    for nid, r in results:
        d = r.to_dict()
        ins, summ = d["inspection"], d["summary"]
        notices.append(
            {
                "notice": nid,
                "source": r.meta.get("source"),
                "kind": d["kind"],
                "inspector": ins["inspector"],
                "targets": ";".join(ins["targets"]),
                **{k: ins[k] for k in ("start_date", "end_date", "feedback_date", "round")},
                "publisher": d["publisher"],
                "published_date": d["published_date"],
                **{
                    k: summ[k]
                    for k in (
                        "problems_total",
                        "problems_rectified",
                        "completion_rate",
                        "measures_total",
                    )
                },
                "n_problems": len(d["problems"]),
                "n_outcomes": len(d["outcomes"]),
            }
        )
        for i, p in enumerate(d["problems"]):
            problems.append(
                {
                    "notice": nid,
                    "index": i,
                    **{k: p.get(k) for k in PROBLEM_COLUMNS[2:-1]},
                    "n_outcomes": len(p["outcomes"]),
                }
            )
        for j, o in enumerate(d["outcomes"]):
            prob = o.get("problem")
            outcomes.append(
                {
                    "notice": nid,
                    "index": j,
                    **{k: o.get(k) for k in OUTCOME_COLUMNS[2:-1]},
                    "problem_statement": d["problems"][prob]["statement"]
                    if prob is not None
                    else None,
                }
            )
    return {
        "notices.csv": _csv(NOTICE_COLUMNS, notices),
        "problems.csv": _csv(PROBLEM_COLUMNS, problems),
        "outcomes.csv": _csv(OUTCOME_COLUMNS, outcomes),
    }


# what makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula (the OWASP remedy for CSV injection).

    A ``str`` beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
    quote in front, the rest kept as it is. Only ``str`` values are escaped: the tables hold
    text cells (statements, names, metrics, raw text) as ``str`` and figures the library
    computed (values, offsets, counts, rates) as ``int``/``float``, so a negative number stays a
    number while the *text* ``"-3"`` (a string cell) is quoted like any other text. ``None``
    and other values pass through unchanged.

    >>> safe_csv_cell("=cmd|' /C calc'!A0"), safe_csv_cell("-3"), safe_csv_cell(-3)
    ("'=cmd|' /C calc'!A0", "'-3", -3)
    >>> safe_csv_cell("整改完成率100%")
    '整改完成率100%'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """A CSV table of ``rows`` (``None`` written as an empty cell, text cells made safe)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else safe_csv_cell(v)) for k, v in row.items()})
    return buf.getvalue()


def write_json(result: Rectification, path: str | os.PathLike[str]) -> None:
    """Write one result as indented JSON, atomically."""
    atomic_write_text(path, result.to_json() + "\n")
