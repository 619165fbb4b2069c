"""Where each real notice of the corpus came from: ``corpus/sources.csv``.

One row a notice: its address, who issued it, the issuer's kind and level, the province, the
kind of inspection, when it was published, how long the stored text is, whether the store held
only its opening, and the *style* (the template family, derived from how the notice is laid
out). Evaluation groups notices by any of these columns, so that a fix made while reading one
province or style is scored on the others (:func:`leave_one_group_out`).

>>> layout_style("一、整改工作开展情况\\n(一)强化组织领导。成立领导小组。\\n"
...              "二、整改落实情况\\n(一)关于落实主体责任不到位的问题\\n整改情况:已完成。")
'item+status-label'
>>> list(leave_one_group_out({"a": "广东", "b": "广东", "c": "云南"}))
[('云南', ['a', 'b'], ['c']), ('广东', ['c'], ['a', 'b'])]
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields

ISSUER_KINDS: tuple[str, ...] = (
    "party_committee",
    "government_bureau",
    "mass_organisation",
    "soe",
    "education_health",
    "media",
    "judicial",
    "other",
)
LEVELS: tuple[str, ...] = ("central", "provincial", "city", "county", "township")
GROUP_COLUMNS: tuple[str, ...] = ("province", "level", "issuer_kind", "style", "kind")


@dataclass(frozen=True)
class SourceRow:
    """One notice of ``corpus/sources.csv``."""

    id: str
    url: str
    title: str
    issuer: str
    issuer_kind: str
    province: str
    level: str
    kind: str
    published: str
    chars: int
    truncated: bool
    style: str

    def problems(self) -> list[str]:
        """What is wrong with the row (empty when it is valid)."""
        out = []
        if self.issuer_kind not in ISSUER_KINDS:
            out.append(f"{self.id}: issuer_kind {self.issuer_kind!r} not one of {ISSUER_KINDS}")
        if self.level not in LEVELS:
            out.append(f"{self.id}: level {self.level!r} not one of {LEVELS}")
        if self.kind not in ("巡视", "巡察"):
            out.append(f"{self.id}: kind {self.kind!r} is neither 巡视 nor 巡察")
        if self.published and not re.fullmatch(r"\d{4}(?:-\d{2}-\d{2})?", self.published):
            out.append(f"{self.id}: published {self.published!r} is not YYYY or YYYY-MM-DD")
        return out

    @property
    def year(self) -> str:
        """The publication year, or ``''`` when unknown."""
        return self.published[:4]


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(SourceRow))


def read_sources(path: str | os.PathLike[str]) -> list[SourceRow]:
    """Read ``sources.csv``; raise ``ValueError`` naming the row when a column is off."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        rows = []
        for n, raw in enumerate(reader, start=2):
            try:
                rows.append(SourceRow(**{
                    **{c: raw[c] for c in COLUMNS},
                    "chars": int(raw["chars"]),
                    "truncated": raw["truncated"].strip().lower() in ("yes", "true", "1"),
                }))
            except ValueError as exc:
                raise ValueError(f"{path}, line {n}: {exc}") from exc
    return rows


def write_sources(rows: list[SourceRow], path: str | os.PathLike[str]) -> None:
    """Write ``sources.csv`` atomically, rows in id order."""
    import io

    from rectify_nlp.io.write import atomic_write_text

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r.id):
        d = asdict(row)
        d["truncated"] = "yes" if row.truncated else "no"
        writer.writerow(d)
    atomic_write_text(path, buf.getvalue())


def groups_of(rows: list[SourceRow], column: str) -> dict[str, str]:
    """``{notice id: value of column}``; ``column`` is one of :data:`GROUP_COLUMNS` or ``year``."""
    if column not in GROUP_COLUMNS + ("year",):
        raise ValueError(f"cannot group by {column!r}: one of {GROUP_COLUMNS + ('year',)}")
    return {r.id: str(getattr(r, column)) for r in rows}


def leave_one_group_out(
    groups: Mapping[str, str],
) -> Iterator[tuple[str, list[str], list[str]]]:
    """Yield ``(group, train ids, held-out ids)`` for every group, groups in sorted order."""
    for name in sorted(set(groups.values())):
        held = [i for i, g in groups.items() if g == name]
        train = [i for i, g in groups.items() if g != name]
        yield name, train, held


# --- the style: a template family read off the layout -----------------------------------
# Each pattern looks at one line start; all are anchored and free of nested repetition.
_STATUS_LABEL = re.compile(r"^\s*(?:整改(?:情况|进展|进度|措施|结果|成效)|进展情况|完成情况|落实情况)[:：]",
                           re.M)
_FRAMED = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]?\s*(?:关于|针对)[^\n]{0,80}?问题",
                     re.M)
_ASPECT = re.compile(r"^\s*[(（]?[一二三四五六七八九十]{1,3}[)）、][^\n]{0,60}?方面", re.M)
_PAREN_CN = re.compile(r"^\s*[(（][一二三四五六七八九十]{1,3}[)）]", re.M)
_ARABIC = re.compile(r"^\s*(?:\d{1,3}[.．、]|[(（]\d{1,3}[)）])", re.M)
_YISHI = re.compile(r"[一二三四五]是")
_TOP = re.compile(r"^\s*[一二三四五六七八九十]{1,3}、", re.M)

STYLES: tuple[str, ...] = (
    "item+status-label",
    "framed-problem",
    "aspect-categories",
    "numbered-outline",
    "yishi-enumeration",
    "narrative",
)


def layout_style(text: str) -> str:
    """The template family of a notice, from its layout alone (one of :data:`STYLES`).

    - ``item+status-label``: numbered problems each followed by 整改情况:/整改进展: labels;
    - ``framed-problem``: headings 关于/针对…问题;
    - ``aspect-categories``: category headings …方面 over numbered items;
    - ``numbered-outline``: 一、/(一)/1. outline without the features above;
    - ``yishi-enumeration``: prose paragraphs enumerated 一是…二是…;
    - ``narrative``: no outline (often a summary notice, or an opening the store cut short).
    """
    if _STATUS_LABEL.search(text):
        return "item+status-label"
    if _FRAMED.search(text):
        return "framed-problem"
    if _ASPECT.search(text):
        return "aspect-categories"
    if _PAREN_CN.search(text) or _ARABIC.search(text) or len(_TOP.findall(text)) >= 2:
        return "numbered-outline"
    if len(_YISHI.findall(text)) >= 2:
        return "yishi-enumeration"
    return "narrative"
