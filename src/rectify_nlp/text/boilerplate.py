"""Web-page boilerplate: find the lines of page chrome around a notice and drop them.

The rules are conservative: a line is dropped only when it is short and *shaped* like page
chrome (a keyword at the line start, or a footer marker such as ``ICP备`` / ``版权所有``).
A notice sentence that merely mentions 来源 or 联系 survives, and so do the feedback lines
(联系电话, 电子邮箱, 邮政信箱 …) and the signature (organisation and date) that end a notice.
``[NextPage]`` markers are removed wherever they occur; the rest of their line is kept.

Kinds: ``site_footer`` (主办单位, ICP备, 版权所有 …), ``page_marker`` ([NextPage], 上一页/下一页),
``source`` (来源:, 作者:, 编辑:), ``page_date`` (发布时间:, 日期:), ``nav`` (当前位置, breadcrumbs,
上一篇), ``other`` (浏览次数, 字号 大 中 小, 打印本页, 分享到, lone ``|``).

>>> classify_line("主办单位:中共某某市纪律检查委员会")
'site_footer'
>>> classify_line("本次巡察的问题线索来源:群众来信来访") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rectify_nlp.text.offsets import OffsetMap, TextBuilder

__all__ = ["RawDrop", "classify_line", "drop_boilerplate", "DROP_KINDS"]

DROP_KINDS = ("site_footer", "page_marker", "source", "page_date", "nav", "other")

_C = r"[:：]"  # a colon, normalised or not

# Footer markers that never occur in notice text.
_STRONG_FOOTER = re.compile(
    r"ICP\s*备|ICP\s*证|公网安备|公安备案|网站标识码|版权所有|Copyright|©|All\s+Rights\s+Reserved",
    re.I,
)
_NOTICE_WORDS = re.compile(r"巡视|巡察|整改")
_FOOTER_START = re.compile(
    r"^(?:主办单位|承办单位|合作单位|协办单位|主管单位|技术支持|运维单位|维护单位|主办|承办|"
    r"网站地图|联系我们|关于我们|网站声明|免责声明|隐私声明|隐私政策|网站纠错|我要纠错|"
    r"建议使用|推荐使用)(?:\s|" + _C + r"|[|｜]|$)"
)
_MARKER = re.compile(r"\[\s*+(?:/\s*+)?NextPage\s*+\]", re.I)
# every item starts with its own character, so the possessive repetition keeps the old matches
# (`\d+` inside `(…)+` was exponential on a digit run followed by anything else)
_PAGER = re.compile(
    r"^(?:首页|上一页|下一页|尾页|末页|第\s*+\d++\s*+页|共\s*+\d++\s*+页|\d++|[|/]|\s)++$"
)
_PAGER_WORD = re.compile(r"上一页|下一页|第\s*+\d++\s*+页|共\s*+\d++\s*+页")
_NAV = re.compile(
    r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|当前的位置|所在位置|位置)"
    r"\s*" + _C + r"|^首页\s*(?:>|»|›|→|/|\|)"
    r"|^(?:上一篇|下一篇|上一条|下一条|上一篇文章|下一篇文章|相关链接|相关文章|相关新闻|推荐阅读)(?:\s|"
    + _C
    + r"|$)"
)
# Feedback / notice lines that the weak rules must never drop.
_GUARD = re.compile(r"联系电话|举报电话|电子邮箱|电子信箱|邮政信箱|意见建议|反映|监督|。")
_SOURCE_START = re.compile(
    r"^(?:信息来源|文章来源|稿件来源|新闻来源|来源|稿源|作者|编辑|责任编辑|责编|编审|审核|校对|撰稿|"
    r"供稿|摄影|通讯员|发布机构|发布单位|发布者|发布人)\s*(?:" + _C + r"|\s)"
)
_DATE_START = re.compile(r"^(?:发布|发表|更新|上传|成文|信息)?(?:时间|日期)\s*" + _C + r"\s*\d")
_DATE_ANY = re.compile(
    r"(?:发布|发表|更新)(?:时间|日期)\s*+(?:" + _C + r"\s*+)?\d|(?:^|\s)(?:时间|日期)\s*" + _C + r"\s*\d"
)
_SOURCE_ANY = re.compile(r"(?:来源|作者|编辑)\s*" + _C)
_OTHER = re.compile(
    r"浏览次数|阅读次数|点击数|点击量|点击次数|访问量|访问次数|阅读量|浏览量|浏览:\s*\d|阅读:\s*\d|"
    r"字号\s*+(?:" + _C + r"\s*+)?[大中小]|字体\s*+(?:" + _C + r"\s*+)?[大中小]|【\s*[大中小]\s*】|"
    r"打印本页|打印此页|打印文章|打印页面|【\s*打印\s*】|\[\s*打印\s*\]|关闭窗口|关闭本页|【\s*关闭\s*】|"
    r"\[\s*关闭\s*\]|分享到|分享至|扫一扫|扫描二维码|手机扫|返回顶部|返回首页|收藏本页|加入收藏|设为首页"
)
_PUNCT_ONLY = re.compile(r"^[|｜¦\-_=*·•.~>»/\\\s]+$")

_MAX_STRONG = 300
_MAX_FOOTER = 200
_MAX_NAV = 150
_MAX_META = 150
_MAX_SHORT = 80

# Where a candidate line may be: any of the words the rules look for.
_CANDIDATE = re.compile(
    r"ICP|备|标识码|版权|Copyright|©|Rights|主办|承办|合作单位|主管单位|技术支持|运维|维护单位|网站|"
    r"联系我们|关于我们|声明|隐私|纠错|建议使用|推荐使用|NextPage|页|位置|上一|下一|相关|推荐阅读|"
    r"来源|稿源|作者|编辑|责编|编审|审核|校对|撰稿|供稿|摄影|通讯员|发布|时间|日期|浏览|阅读|点击|访问|"
    r"字号|字体|【|\[|打印|关闭|分享|扫|返回|收藏|设为|[|｜¦]|^[\-_=*·•.~>»/\\]+$",
    re.I | re.M,
)


def classify_line(line: str) -> str | None:
    """The boilerplate kind of one line of clean text, or ``None`` for notice text.

    >>> classify_line("发布时间:2023-05-06 来源:区委办")
    'page_date'
    >>> classify_line("联系电话:020-81007107") is None
    True
    """
    s = line.strip()
    if not s:
        return None
    n = len(s)
    if n < _MAX_STRONG and _STRONG_FOOTER.search(s) and not _NOTICE_WORDS.search(s):
        return "site_footer"
    if n < _MAX_FOOTER and _FOOTER_START.match(s) and "。" not in s:
        return "site_footer"
    if n < _MAX_NAV and _PAGER.match(s) and _PAGER_WORD.search(s):
        return "page_marker"
    if n < _MAX_NAV and _NAV.match(s) and "。" not in s:
        return "nav"
    if _GUARD.search(s):
        return None
    if n < _MAX_META:
        starts_meta = bool(_SOURCE_START.match(s) or _DATE_START.match(s))
        others = len(_OTHER.findall(s))
        meta_hits = others + len(_SOURCE_ANY.findall(s)) + len(_DATE_ANY.findall(s))
        if (starts_meta and (n < _MAX_SHORT or meta_hits >= 2)) or (
            others and (n < _MAX_SHORT or meta_hits >= 2)
        ):
            if _DATE_START.match(s) or _DATE_ANY.search(s):
                return "page_date"
            if _SOURCE_START.match(s) or _SOURCE_ANY.search(s):
                return "source"
            return "other"
    if n < _MAX_SHORT and _PUNCT_ONLY.match(s):
        return "other"
    return None


@dataclass(frozen=True, slots=True)
class RawDrop:
    """A dropped stretch, in offsets of the text given to :func:`drop_boilerplate`."""

    start: int
    end: int
    kind: str
    text: str


def drop_boilerplate(text: str) -> tuple[str, OffsetMap, list[RawDrop]]:
    """Remove boilerplate lines (with their line break) and [NextPage] markers.

    Returns the remaining text, its map into ``text``, and what was dropped (offsets into
    ``text``, line break excluded). Linear: only lines holding a candidate word are examined.

    >>> out, m, dropped = drop_boilerplate("正文一。\\n粤ICP备12345678号\\n正文二。")
    >>> out, [d.kind for d in dropped]
    ('正文一。\\n正文二。', ['site_footer'])
    """
    b = TextBuilder(text)
    n = len(text)
    dropped: list[RawDrop] = []
    pos = 0
    line_end = -1
    for m in _CANDIDATE.finditer(text):
        if m.start() <= line_end:
            continue
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.start())
        if le < 0:
            le = n
        line_end = le
        line = text[ls:le]
        markers = list(_MARKER.finditer(line))
        rest = _MARKER.sub("", line) if markers else line
        kind = classify_line(rest) if rest.strip() else "page_marker"
        if kind is not None:
            # Take the line with the line break before it, so that dropping the last lines
            # leaves no trailing break; the first line (or one after a dropped line, whose
            # preceding break is gone) takes the break after it instead.
            if ls > 0 and ls - 1 >= pos:
                b.keep(pos, ls - 1)
                b.replace("", ls - 1, le)
                pos = le
            else:
                b.keep(pos, ls)
                pos = min(le + 1, n)
                b.replace("", ls, pos)
            dropped.append(RawDrop(ls, le, kind, line.strip()))
            continue
        for mk in markers:
            s, e = ls + mk.start(), ls + mk.end()
            b.keep(pos, s)
            b.replace("", s, e)
            dropped.append(RawDrop(s, e, "page_marker", mk.group()))
            pos = e
    b.keep(pos, n)
    out, omap = b.build()
    return out, omap, dropped
