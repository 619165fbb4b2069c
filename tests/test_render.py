"""The HTML review page (``rectify_nlp.render``) and ``rectify render``.

Structure tests parse the page with :mod:`html.parser`; one test drives a real headless
Chromium (skipped when no ``chromium`` binary is installed) and clicks a field.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_nlp.cli import cli
from rectify_nlp.render import render_html
from rectify_nlp.schema import Entity, Outcome, Problem, Rectification, Relation, TextSpan

# An invented notice in the genre: header sentence, summary, a numbered rectification section.
NOTICE = """关于区委第一巡察组巡察反馈意见整改进展情况的通报
根据区委统一部署,2023年3月6日至5月12日,区委第一巡察组对城关街道党工委开展了常规巡察,并于6月20日反馈了巡察意见。现将整改进展情况予以公布。
一、巡察整改工作开展情况
针对巡察反馈的8项问题,街道党工委制定整改措施26条,目前已整改完成8项,整改完成率100%。
二、巡察反馈问题整改落实情况
(一)关于财务管理不规范问题
一是开展专项检查。7月至9月,清退违规资金12.35万元。二是完善制度,修订财务管理制度5项。
(二)关于基层党组织建设薄弱问题
召开专题会议12次,整改完成情况:已完成。
欢迎广大干部群众对巡察整改情况进行监督。联系电话:0571-88886666。
中共城关街道工作委员会
2023年10月9日
"""

VOID = {"meta", "input", "br", "img", "hr", "link", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Page(HTMLParser):
    """Every element with its attributes and the text inside it; nesting errors recorded."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.errors: list[str] = []
        self.doctype = False
        self.feed(page)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {[e.tag for e in self.stack]}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1].tag if self.stack else None}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for el in self.stack:
            el.text += data

    def find(self, **attrs: str) -> list[Element]:
        return [e for e in self.elements if all(e.attrs.get(k) == v for k, v in attrs.items())]

    def one(self, **attrs: str) -> Element:
        found = self.find(**attrs)
        assert len(found) == 1, (attrs, len(found))
        return found[0]

    def text_of(self, ent: int) -> str:
        """An entity's text: its mark's, or its parts' in page order when it was cut."""
        marks = [e for e in self.elements if e.tag == "mark" and e.attrs.get("data-ent") == str(ent)]
        return "".join(m.text for m in marks)


def parse(page: str) -> Page:
    p = Page(page)
    assert p.doctype and not p.errors, p.errors
    return p


@pytest.fixture(scope="module")
def notice(rules_extractor) -> tuple[str, Rectification]:
    return NOTICE, rules_extractor(NOTICE)


def test_every_entity_is_a_mark_with_its_label_and_text(notice):
    text, result = notice
    assert {e.label for e in result.entities} == {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    page = parse(render_html(text, result))
    assert page.one(id="text").text == text  # the whole text, in order, nothing added
    for i, e in enumerate(result.entities):
        marks = page.find(**{"data-ent": str(i)})
        marks = [m for m in marks if m.tag == "mark"]
        assert marks and all(f"ent-{e.label}" in m.classes for m in marks)
        assert page.text_of(i) == text[e.start:e.end] == e.text
        assert marks[0].attrs["data-start"] == str(e.start)
    legend = page.find(**{"class": "legend"})
    assert len(legend) == 1 and all(label in legend[0].text for label in
                                     ("ORG", "DATE", "PROBLEM", "OUTCOME"))


def test_header_fields_link_to_their_characters(notice):
    text, result = notice
    page = parse(render_html(text, result))
    expected = {"inspector": "区委第一巡察组", "targets": "城关街道党工委",
                "start_date": "2023年3月6日", "end_date": "5月12日", "feedback_date": "6月20日",
                "publisher": "中共城关街道工作委员会", "published_date": "2023年10月9日",
                "problems_total": "8项", "problems_rectified": "8项",
                "completion_rate": "整改完成率100%", "measures_total": "26条",
                "phones": "0571-88886666"}
    for name, written in expected.items():
        el = page.one(**{"data-field": name})
        start, end = int(el.attrs["data-start"]), int(el.attrs["data-end"])
        assert text[start:end] == written, name
    # the inspector is the INSPECTS head (the header sentence), not the title's mention
    assert int(page.one(**{"data-field": "inspector"}).attrs["data-start"]) > text.index("\n")
    rectified = page.one(**{"data-field": "problems_rectified"})
    assert text[:int(rectified.attrs["data-start"])].endswith("已整改完成")
    kind = [e for e in page.elements if e.attrs.get("data-row") == "kind"]
    assert kind[0].text == "巡察"


def test_outline_tree_and_relations(notice):
    text, result = notice
    page = parse(render_html(text, result))
    problems = [e for e in page.elements if e.tag == "details" and "problem" in e.classes]
    assert len(problems) == len(result.problems) == 2
    assert "财务管理不规范" in problems[0].text and "清退违规资金12.35万元" in problems[0].text
    k = next(j for j, o in enumerate(result.outcomes) if o.raw == "清退违规资金12.35万元")
    item = page.one(**{"data-outcome": str(k)})
    for fact in ("123500", "元", "2023-07/2023-09"):
        assert fact in item.text
    raw = next(e for e in page.elements if "raw" in e.classes and e.text == "清退违规资金12.35万元")
    ent = int(raw.attrs["data-ent"])
    assert result.entities[ent].label == "OUTCOME"
    assert text[int(raw.attrs["data-start"]):int(raw.attrs["data-end"])] == "清退违规资金12.35万元"
    for m in result.problems[0].measures:
        assert page.find(**{"data-start": str(m.start), "data-end": str(m.end)})
    data = json.loads(page.one(id="rectify-data").text)
    rels = {(r[0], r[2]) for r in data["rels"] if r[1] == ent}
    labels = {label: result.entities[t].text for label, t in rels}
    assert labels == {"ADDRESSES": "财务管理不规范", "DURING": "7月至9月"}
    mark = next(m for m in page.find(**{"data-ent": str(ent)}) if m.tag == "mark")
    assert "ADDRESSES → PROBLEM «财务管理不规范»" in mark.attrs["title"]


def test_overlapping_entities_nest_or_are_cut():
    text = "区委第一巡察组于2023年3月对财务问题开展检查"
    ents = [
        Entity("ORG", "区委第一巡察组", 0, 7),
        Entity("DATE", "2023年3月", 8, 15),
        Entity("OUTCOME", "巡察组于2023年", 4, 13),   # crosses the end of the ORG
        Entity("PROBLEM", "2023年3月", 8, 15),        # same stretch, another label
        Entity("PROBLEM", "财务问题", 16, 20),
        Entity("ORG", "财务", 16, 18),                # nested inside the PROBLEM
    ]
    page = parse(render_html(text, Rectification(entities=ents)))
    assert page.one(id="text").text == text
    for i, e in enumerate(ents):
        assert page.text_of(i) == text[e.start:e.end]
        assert all(f"ent-{e.label}" in m.classes
                   for m in page.elements if m.attrs.get("data-ent") == str(i))
    parts = [m for m in page.elements if m.tag == "mark" and m.attrs.get("data-ent") == "2"]
    assert len(parts) == 2 and len({m.attrs["data-part"] for m in parts}) == 2


def test_hostile_text_is_escaped(rules_extractor):
    text = NOTICE.replace("欢迎广大", '<script>alert("x")</script> a<b && c>"d" \'e\' &amp; 欢迎广大')
    result = rules_extractor(text)
    page_text = render_html(text, result, title='<img src=x onerror="alert(1)">',
                            findings=[{"check": "<b>", "severity": '"><x', "message": "&lt;",
                                       "spans": [(0, 5)]}])
    assert "<script>alert" not in page_text and "<img" not in page_text
    page = parse(page_text)
    assert page.one(id="text").text == text
    scripts = [e for e in page.elements if e.tag == "script"]
    assert len(scripts) == 2 and not any(e.tag in ("img", "b", "x") for e in page.elements)
    assert json.loads(page.one(id="rectify-data").text)["ents"]
    assert page.one(**{"data-finding": "0"}).text.count("<b>") == 1  # shown as text


@pytest.mark.parametrize("text", ["", "今天天气很好,我们去公园散步。", "<p>a &amp; b</p>\r\n\x0b"])
def test_empty_and_non_notices_render(rules_extractor, text):
    result = rules_extractor(text)
    page = parse(result.to_html(text))
    assert page.one(id="text").text == text
    assert not [e for e in page.elements if e.tag == "mark" and "data-ent" in e.attrs]


def test_offsets_outside_the_text_and_a_wrong_text_are_reported_not_raised():
    result = Rectification(
        entities=[Entity("ORG", "区委", 0, 2), Entity("DATE", "x", 50, 60)],
        problems=[Problem("财务", 40, 90, measures=[TextSpan("m", -3, 2)])],
        outcomes=[Outcome("m", 1.0, "项", None, "r", 100, 200, problem=7)],
        relations=[Relation("ADDRESSES", 5, 0)],
    )
    page = parse(render_html("省委巡视组", result))
    assert page.one(id="text").text == "省委巡视组"
    assert [e for e in page.elements if "warning" in e.classes]


def test_findings_are_listed_and_flagged(notice):
    text, result = notice
    start = text.index("清退违规资金")

    @dataclass
    class Span:
        start: int
        end: int

    @dataclass
    class Finding:
        check: str
        severity: str
        message: str
        spans: list[Span]

    findings = [Finding("period_after_publication", "warning", "period ends after the notice",
                        [Span(start, start + 13)]),
                {"check": "c2", "severity": "error", "message": "m2", "spans": [{"start": 0,
                                                                                 "end": 4},
                                                                                {"start": 5,
                                                                                 "end": 10**6}]}]
    page = parse(render_html(text, result, findings=findings))
    listed = [e for e in page.elements if "finding" in e.classes]
    assert len(listed) == 2 and "period ends after the notice" in listed[0].text
    assert "1 span(s) outside the text" in listed[1].text
    flagged = [e for e in page.elements if "flagged" in e.classes]
    assert "".join(e.text for e in flagged if "0" in e.attrs["data-findings"].split()) \
        == text[start:start + 13]
    assert any("flag-start" in e.classes and e.attrs["data-flag"] == "⚑1" for e in flagged)
    assert page.one(id="text").text == text  # flags are CSS, not text


def test_to_html_is_render_html(notice):
    text, result = notice
    assert result.to_html(text, title="T") == render_html(text, result, title="T")


# -- the command line -------------------------------------------------------------------------
def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_writes_one_page_per_notice(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTICE, encoding="utf-8")
    (src / "b.txt").write_bytes(NOTICE.encode("gb18030"))  # decoded by the library's reader
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    res = _run("render", str(src), "--out", str(tmp_path / "pages"), "--rules", "-q")
    assert res.exit_code == 1 and "PNG" in res.output
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert pages == ["a.html", "b.html"]  # no temporary files left
    for name in pages:
        page = parse((tmp_path / "pages" / name).read_text(encoding="utf-8"))
        assert page.one(id="text").text == NOTICE
        assert page.text_of(0) == "区委第一巡察组"


def test_cli_single_page_and_usage_errors(tmp_path):
    f = tmp_path / "notice.txt"
    f.write_text(NOTICE, encoding="utf-8")
    res = _run("render", str(f), "-m", "rules", "--out", str(tmp_path / "review.html"))
    assert res.exit_code == 0, res.output
    assert "区委第一巡察组" in (tmp_path / "review.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(cli, ["render", str(f), str(f), "--rules", "--out",
                                   str(tmp_path / "two.html")])
    assert res.exit_code == 2 and "give --out a folder" in res.output
    res = CliRunner().invoke(cli, ["render", str(f), "--rules", "-m", "models/x", "--out",
                                   str(tmp_path / "x.html")])
    assert res.exit_code == 2


# -- a real browser ---------------------------------------------------------------------------
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


# After the page's own script: click a header field, then an outcome in the tree, and write
# what the page's script did into the DOM, which --dump-dom prints.
_CLICKS = """<script>
(function () {
  var main = document.querySelector(".main");
  function focused(cls) {
    return Array.prototype.map.call(document.querySelectorAll("#text ." + cls),
      function (s) { return [s.tagName, s.getAttribute("data-s") || s.getAttribute("data-start"),
                             s.getAttribute("data-e") || s.getAttribute("data-end")]; });
  }
  var out = {};
  document.querySelector('[data-field="publisher"]').click();
  out.publisher = focused("is-focus"); out.scroll = main.scrollTop;
  document.querySelector('#outline .outcome .raw[data-ent="' + OUTCOME + '"]').click();
  out.outcome = focused("is-focus"); out.related = focused("is-related");
  out.panel = document.getElementById("relations-panel").textContent;
  document.body.setAttribute("data-test", JSON.stringify(out));
})();
</script></body>"""


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary on PATH (apt-get install "
                    "chromium); the browser test needs a real browser")
def test_clicks_in_a_real_browser(rules_extractor, tmp_path):
    filler = "街道党工委坚持问题导向,持续推进整改工作,巩固整改成果。\n" * 80
    text = NOTICE.replace("欢迎广大", filler + "欢迎广大")  # the signature far below the fold
    result = rules_extractor(text)
    ent = next(i for i, e in enumerate(result.entities) if e.text == "清退违规资金12.35万元")
    page = render_html(text, result).replace("</body>", _CLICKS.replace("OUTCOME", str(ent)))
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    cmd = [_chromium(), "--headless=new", "--disable-gpu", "--no-first-run",
           "--no-default-browser-check", f"--user-data-dir={tmp_path / 'profile'}",
           "--window-size=1000,700", "--virtual-time-budget=3000", "--dump-dom",
           path.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout
    body = next(e for e in Page(dom).elements if e.tag == "body")
    out = json.loads(body.attrs["data-test"])

    publisher = text.rindex("中共城关街道工作委员会")
    segs = [(int(s), int(e)) for tag, s, e in out["publisher"] if tag == "SPAN"]
    assert segs and segs[0][0] == publisher and segs[-1][1] == publisher + 11
    assert ["MARK", str(publisher), str(publisher + 11)] in out["publisher"]  # the ORG mark
    assert out["scroll"] > 500  # the text was scrolled to the signature
    e = result.entities[ent]
    assert ["MARK", str(e.start), str(e.end)] in out["outcome"]
    related = {(s, t) for tag, s, t in out["related"] if tag == "MARK"}
    problem = text.index("财务管理不规范")
    assert (str(problem), str(problem + 7)) in related  # ADDRESSES
    assert (str(text.index("7月至9月")), str(text.index("7月至9月") + 5)) in related  # DURING
    assert "ADDRESSES" in out["panel"] and "DURING" in out["panel"]
