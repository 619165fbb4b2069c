"""The signature of a notice: who signs it and when (guidelines §4 ``publisher``/``published_date``).

The publisher is the line before the date at the end of the notice (中共广州市荔湾区委 /
中共XX街道工作委员会 / XX县委巡察整改工作领导小组), or the line after it in house styles that
put the date first; the published date is that date.  Web-page
chrome after the signature (主办单位, ICP备, 网站标识码, 版权所有 …) and a 公开期限/联系电话
block are skipped; a signature and date on one line (``中共青山县委 2024年3月5日``) are split.
Without a signed date the page's 发布时间/日期 (``page_date``, or such a line in the text) is used.

>>> sig = parse_signature("正文。\\n中共青山镇委员会\\n2024年4月10日\\n")
>>> (sig.publisher.text, sig.published_date)
('中共青山镇委员会', '2024-04-10')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rectify_nlp.rules.dates import DateMention, find_dates
from rectify_nlp.spans import Span

logger = logging.getLogger(__name__)

__all__ = ["Signature", "parse_signature", "iso_start"]

_TAIL_CHARS = 3000
_MAX_LINES = 25
# lines of page chrome or of the contact block, skipped when looking for the signature
_SKIP_LINE_RE = re.compile(
    r"^(?:主办|承办|协办|合作|技术支持|网站|版权|Copyright|©|ICP|粤ICP|京ICP|[\u4e00-\u9fff]ICP|"
    r"公网安备|联系(?:电话|方式|地址|我们)|电话|传真|电子邮箱|邮箱|邮政|通讯地址|通信地址|地址|"
    r"公开期限|来信|来电|举报|网站地图|扫一扫|分享|打印|关闭|返回|责任编辑|编辑|来源|\[NextPage\]|"
    r"\||【|上一篇|下一篇|相关)",
    re.IGNORECASE,
)
_CHROME_RE = re.compile(r"ICP|版权所有|网站标识码|公网安备|主办单位|承办单位|技术支持|网站地图")
_PAGE_DATE_LABEL_RE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|印发日期|更新时间|日期|时间)\s*+(?:[::]\s*+)?"
)
_PAGE_DATE_LINE_RE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期)\s*[::]\s*[0-9一二〇零○年月日./\- ]{6,20}"
)
_SENTENCE_PUNCT_RE = re.compile(r"[。,;:!?,;:!?、]")
_PUBLISHER_RE = re.compile(r"[\u4e00-\u9fff()()“”]{3,40}")
# how an organisation's name ends (委员会, 县委, 党组, 领导小组, 办公室, 人民政府, 街道办事处 …)
_ORG_TAIL_RE = re.compile(
    r"(?:委员会|委|党组|党委|工委|支部|总支|小组|办公室|办|政府|办事处|局|厅|院|所|中心|公司|集团|"
    r"学校|大学|学院|医院|社区|村|部|处|站|队|会)[)）]?$"
)


@dataclass(frozen=True)
class Signature:
    """Who signs the notice and when; each ``None`` when not found."""

    publisher: Span | None = None
    published_date: str | None = None
    date_span: Span | None = None


def iso_start(value: str | None) -> str | None:
    """The first ISO end of a date value (``2024-04-03/2024-06-17`` → ``2024-04-03``).

    >>> iso_start("2024-04-03/2024-06-17")
    '2024-04-03'
    """
    if not value:
        return None
    return value.split("/", 1)[0]


def _lines_backwards(text: str, start: int) -> list[tuple[int, int]]:
    """Non-empty lines of ``text[start:]`` as stripped (start, end) offsets, last first."""
    out: list[tuple[int, int]] = []
    pos = len(text)
    while pos > start and len(out) < _MAX_LINES:
        nl = text.rfind("\n", start, pos)
        a = nl + 1 if nl >= 0 else start
        line = text[a:pos]
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        if stripped:
            out.append((a + lead, a + lead + len(stripped)))
        if nl < 0:
            break
        pos = nl
    return out


def _page_date_iso(page_date: str | None) -> str | None:
    if not page_date or not isinstance(page_date, str):
        return None
    s = _PAGE_DATE_LABEL_RE.sub("", page_date.strip()[:100])
    for d in find_dates(s):
        if d.value is not None and d.value.granularity in ("day", "month"):
            return iso_start(str(d.value.value))
    return None


def _is_publisher_line(line: str) -> bool:
    if not line or len(line) > 40 or _SENTENCE_PUNCT_RE.search(line) or _CHROME_RE.search(line):
        return False
    if _SKIP_LINE_RE.match(line):
        return False
    return _PUBLISHER_RE.fullmatch(line.replace(" ", "")) is not None


def _looks_like_org(line: str) -> bool:
    return _ORG_TAIL_RE.search(line.replace(" ", "")) is not None


def _publisher_around(text: str, lines: list[tuple[int, int]], idx: int) -> Span | None:
    """The publisher for a date alone on line ``lines[idx]`` (``lines`` run last first): the
    line before it, else — when that is no plausible name (a closing sentence, a contact line)
    — the line after it (``2023年12月1日\\n中共青石镇委员会``)."""
    before = lines[idx + 1] if idx + 1 < len(lines) else None
    after = lines[idx - 1] if idx >= 1 else None
    ok_before = before is not None and _is_publisher_line(text[before[0]:before[1]])
    # what follows a date is more often page chrome (附件下载, 打印本页): it must read as a name
    ok_after = after is not None and _is_publisher_line(text[after[0]:after[1]]) and (
        _looks_like_org(text[after[0]:after[1]])
    )
    if ok_before and ok_after and not _looks_like_org(text[before[0]:before[1]]):
        # the line before is a bare CJK line (欢迎监督 without its 。, say), the one after a name
        ok_before = False
    for line, ok in ((before, ok_before), (after, ok_after)):
        if ok and line is not None:
            return Span(line[0], line[1], "ORG", text[line[0]:line[1]])
    return None


def parse_signature(text: str, *, page_date: str | None = None,
                    dates: Sequence[DateMention] | None = None) -> Signature:
    """Find the publisher and published date at the end of ``text``.

    ``dates`` are the document's resolved dates (from :func:`find_dates`); found here when
    absent.

    >>> parse_signature("……予以公布。\\n中共青山县委 2024年3月5日").published_date
    '2024-03-05'
    >>> parse_signature("", page_date="发布时间:2023-05-06 10:00").published_date
    '2023-05-06'
    """
    if not isinstance(text, str):
        text = ""
    tail_start = max(0, len(text) - _TAIL_CHARS)
    lines = _lines_backwards(text, tail_start)
    tail_dates: list[DateMention] | None = None
    for idx, (a, b) in enumerate(lines):
        line = text[a:b]
        if len(line) > 60 or _CHROME_RE.search(line):
            continue
        if tail_dates is None:
            found = dates if dates is not None else find_dates(text)
            tail_dates = [d for d in found if d.span.start >= tail_start]
        on_line = [d for d in tail_dates if a <= d.span.start and d.span.end <= b]
        if not on_line:
            continue
        d = on_line[-1]
        if d.value is None or d.value.granularity not in ("day", "month") or d.value.is_interval:
            continue
        before = text[a:d.span.start].strip()
        after = text[d.span.end:b].strip()
        if after or _SKIP_LINE_RE.match(line) or "期限" in line:
            continue
        publisher: Span | None = None
        if before:
            # signature and date on one line
            if _is_publisher_line(before):
                off = a + text[a:d.span.start].find(before)
                publisher = Span(off, off + len(before), "ORG", before)
            else:
                continue
        else:
            publisher = _publisher_around(text, lines, idx)
        iso = iso_start(str(d.value.value))
        return Signature(publisher=publisher, published_date=iso, date_span=d.span)
    iso = _page_date_iso(page_date)
    if iso is not None:
        return Signature(published_date=iso)
    # a 发布时间/日期 line inside the text (page chrome kept in the input)
    for window in (text[:800], text[tail_start:]):
        for m in _PAGE_DATE_LINE_RE.finditer(window):
            iso = _page_date_iso(m.group())
            if iso is not None:
                return Signature(published_date=iso)
    return Signature()
