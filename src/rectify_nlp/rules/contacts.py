"""Contacts given for feedback: phones, e-mails, postal address, postcode, websites.

A notice ends with an invitation to comment (欢迎广大干部群众…监督…联系电话: …). Numbers count
as phones only inside a *contact zone*: the stretch after a contact label (联系电话, 联系方式,
举报电话, 电话, 传真, 电子邮箱, 邮政信箱, 地址, 邮编 …) up to the end of the sentence or line.
Figures, document numbers (〔2024〕5号) and dates elsewhere are never tagged. Short numbers
(hotlines such as 12388, local numbers without an area code) must follow the label or another
phone directly. E-mail addresses and ``http(s)://``/``www.`` addresses are unambiguous and are
tagged wherever they are.

>>> c = find_contacts("如有意见建议,请反映。联系电话:020-81007107;电子邮箱:abc@163.com;"
...                   "邮政信箱:广州市某某区某某路2号;邮政编码:510360。")
>>> c.to_dict()["phones"], c.to_dict()["address"], c.to_dict()["postcode"]
(['020-81007107'], '广州市某某区某某路2号', '510360')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rectify_nlp.spans import Span

__all__ = ["Contacts", "find_contacts"]

_C = r"[:：]"

# Labels that open a contact zone (longest first so the alternation prefers them).
_LABEL = re.compile(
    r"联系电话|联系方式|联系人|举报电话|监督电话|咨询电话|投诉电话|受理电话|值班电话|热线电话|"
    r"举报热线|监督热线|服务热线|咨询热线|办公电话|电话|拨打|致电|手机|座机|传真|"
    r"电子邮箱|电子信箱|电子邮件|邮箱|E-?mail|邮政信箱|通信地址|通讯地址|来信地址|邮寄地址|"
    r"来信请寄|地址|邮编|邮政编码|网址|举报网站|网站",
    re.I,
)
_ZONE_STOP = re.compile(r"[。\n]")
_ZONE_MAX = 200

# Phone shapes. Strong shapes are phone numbers on their own; weak ones only next to a label.
_LOCAL = r"(?:\d{7,8}|\d{3,4}[\s-]\d{4})"
_EXT = r"(?:\s*(?:转|分机|ext\.?|-)\s*\d{1,5})?"
_PHONE = re.compile(
    r"(?<![\dA-Za-z@._-])(?:"
    r"(?P<paren>[(（]\s*0\d{2,3}\s*[)）]\s*+(?:-\s*+)?" + _LOCAL + r")"
    r"|(?P<area>0\d{2,3}\s?[-—–－]?\s?" + _LOCAL + r")"
    r"|(?P<mobile>1[3-9]\d{9})"
    r"|(?P<toll>[48]00[-\s]?\d{3}[-\s]?\d{4})"
    r"|(?P<weak>1\d{4}|9[56]\d{3,4}|[2-8]\d{6,7})"
    r")(?P<ext>" + _EXT + r")(?![\d.@A-Za-z])",
    re.I,
)
# What may stand between a label (or a previous phone) and a weak number.
# (the items start with different characters: the possessive repetition changes no match)
_WEAK_GAP = re.compile(r"^(?:\s|" + _C + r"|[、/,，;；]|或|和|及|号码|电话|热线|手机|座机|为|是)*+$")

# Measure words and multipliers after a figure.
_COUNTED = frozenset("件个人次户元万亿千百条余多项家名起宗笔处所台辆份篇场批套位天年月日号%")
_EMAIL_LOCAL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-"
)
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_URL = re.compile(
    r"(?<![A-Za-z0-9@.])(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&*+=%]{1,400}", re.I
)
_SITE_AFTER_LABEL = re.compile(
    r"(?:网址|举报网站|网站)\s*+(?:" + _C + r"\s*+)?"
    r"(?P<site>[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){1,8}(?:/[A-Za-z0-9\-._~/?#=&%]{0,300})?)"
)
_ADDRESS = re.compile(
    r"(?:邮政信箱|通信地址|通讯地址|来信地址|邮寄地址|来信请寄|地址\s*"
    + _C
    + r")\s*+(?:"
    + _C
    + r"\s*+)?"
)
_ADDRESS_END = re.compile(
    r"[;；。\n]|[,，、(（\s]\s{0,20}+(?:邮编|邮政编码|联系电话|电话|电子邮箱|电子信箱|邮箱|传真|联系人|网址)"
    r"|[(（]\s*(?:邮编|邮政编码)|(?:邮编|邮政编码)\s*" + _C
)
_ADDRESS_MAX = 100
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*+(?:" + _C + r"\s*+)?(?P<code>\d{6})(?!\d)")
_TRAIL = ".,;:!?)]}'\"，。；：！？、"


@dataclass(frozen=True, slots=True)
class Contacts:
    """Contact details found in a notice, as spans of the text searched.

    >>> Contacts((), (), (), (), ()).to_dict()
    {'phones': [], 'emails': [], 'address': None, 'postcode': None, 'websites': []}
    """

    phones: tuple[Span, ...] = ()
    emails: tuple[Span, ...] = ()
    addresses: tuple[Span, ...] = ()
    postcodes: tuple[Span, ...] = ()
    websites: tuple[Span, ...] = ()

    def to_dict(self) -> dict:
        """Plain form for the output: texts, duplicates removed, first address/postcode."""
        return {
            "phones": _unique(self.phones),
            "emails": _unique(self.emails),
            "address": self.addresses[0].text if self.addresses else None,
            "postcode": self.postcodes[0].text if self.postcodes else None,
            "websites": _unique(self.websites),
        }

    def spans(self) -> tuple[Span, ...]:
        """All spans, in text order."""
        every = self.phones + self.emails + self.addresses + self.postcodes + self.websites
        return tuple(sorted(every, key=lambda s: (s.start, s.end, s.label)))

    def __bool__(self) -> bool:
        return bool(self.phones or self.emails or self.addresses or self.postcodes or self.websites)


def _unique(spans: tuple[Span, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for s in spans:
        seen.setdefault(s.text, None)
    return list(seen)


class _NextMatch:
    """Start of the first match of a pattern at or after a position, for rising positions;
    each search result is reused until the position passes it (linear over a whole text)."""

    __slots__ = ("_pattern", "_text", "_from", "_at")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._from = -1
        self._at = -1

    def at_or_after(self, pos: int) -> int:
        """Match start >= pos, or len(text) when there is none."""
        if pos < self._from or pos > self._at:
            m = self._pattern.search(self._text, pos)
            self._from = pos
            self._at = m.start() if m else len(self._text)
        return self._at


def _zones(text: str) -> list[tuple[int, int, list[int]]]:
    """Contact zones ``(start, end, label_ends)``: from a label to the end of its sentence/line
    (at most _ZONE_MAX characters; a label alone on its line reaches into the next line)."""
    zones: list[tuple[int, int, list[int]]] = []
    stops = _NextMatch(_ZONE_STOP, text)
    for m in _LABEL.finditer(text):
        stop = stops.at_or_after(m.end())
        end = min(stop, m.end() + _ZONE_MAX)
        if (
            stop == end < len(text)
            and text[stop] == "\n"
            and not text[m.end() : end].strip(" :：\t")
        ):
            end = min(stops.at_or_after(stop + 1), stop + 1 + _ZONE_MAX)
        if zones and m.start() <= zones[-1][1]:
            s0, e0, ends = zones[-1]
            ends.append(m.end())
            zones[-1] = (s0, max(e0, end), ends)
        else:
            zones.append((m.start(), end, [m.end()]))
    return zones


def _find_phones(text: str, zones: list[tuple[int, int, list[int]]]) -> list[Span]:
    phones: list[Span] = []
    for z_start, z_end, label_ends in zones:
        anchors = sorted(label_ends)
        for m in _PHONE.finditer(text, z_start, z_end):
            if m.end() < len(text) and text[m.end()] in _COUNTED:
                continue  # 12345件, 13000000元: a figure, not a number to call
            if m.group("weak"):
                anchor = max((a for a in anchors if a <= m.start()), default=None)
                if anchor is None or not _WEAK_GAP.match(text[anchor : m.start()]):
                    continue
            start, end = m.start(), m.end()
            if m.group("ext") and m.group("ext").lstrip().startswith("-") and m.group("weak"):
                end = m.end("weak")
            phones.append(Span(start, end, "PHONE", text[start:end]))
            anchors.append(end)
            anchors.sort()
    return phones


def _find_emails(text: str) -> list[Span]:
    emails: list[Span] = []
    at = text.find("@")
    last_end = 0
    while at >= 0:
        start = at
        while start > max(last_end, at - 64) and text[start - 1] in _EMAIL_LOCAL_CHARS:
            start -= 1
        while start < at and text[start] in "._%+-":
            start += 1
        dm = _EMAIL_DOMAIN.match(text, at + 1)
        if start < at and dm:
            end = dm.end()
            while end > at + 1 and text[end - 1] in ".-":
                end -= 1
            emails.append(Span(start, end, "EMAIL", text[start:end]))
            last_end = end
        at = text.find("@", max(at + 1, last_end))
    return emails


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    return end


def _find_websites(text: str, emails: list[Span]) -> list[Span]:
    sites: list[Span] = []
    for m in _URL.finditer(text):
        end = _trim_end(text, m.start(), m.end())
        sites.append(Span(m.start(), end, "URL", text[m.start() : end]))
    for m in _SITE_AFTER_LABEL.finditer(text):
        start = m.start("site")
        end = _trim_end(text, start, m.end("site"))
        span = Span(start, end, "URL", text[start:end])
        if not any(span.overlaps(o) for o in sites + emails):
            sites.append(span)
    return sorted(sites, key=lambda s: s.start)


def _find_addresses(text: str) -> list[Span]:
    out: list[Span] = []
    ends = _NextMatch(_ADDRESS_END, text)
    for m in _ADDRESS.finditer(text):
        start = m.end()
        end = ends.at_or_after(start)
        if end - start > _ADDRESS_MAX:
            continue  # no end in sight: a sentence, not an address
        end = _trim_end(text, start, end)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 4:
            out.append(Span(start, end, "ADDRESS", text[start:end]))
    return out


def find_contacts(text: str) -> Contacts:
    """Contacts in ``text`` (clean notice text); labels PHONE, EMAIL, ADDRESS, POSTCODE, URL.

    >>> [s.text for s in find_contacts("举报电话:12388;联系电话:（022）66596006").phones]
    ['12388', '（022）66596006']
    >>> find_contacts("共查处问题12388个,收回资金13812345678元。").phones
    ()
    """
    if not text:
        return Contacts()
    emails = _find_emails(text)
    websites = _find_websites(text, emails)
    taken = emails + websites
    zones = _zones(text)
    phones = [p for p in _find_phones(text, zones) if not any(p.overlaps(o) for o in taken)]
    addresses = [a for a in _find_addresses(text) if not any(a.overlaps(o) for o in taken)]
    postcodes = [
        Span(m.start("code"), m.end("code"), "POSTCODE", m.group("code"))
        for m in _POSTCODE.finditer(text)
    ]
    return Contacts(
        phones=tuple(phones),
        emails=tuple(emails),
        addresses=tuple(addresses),
        postcodes=tuple(postcodes),
        websites=tuple(websites),
    )
