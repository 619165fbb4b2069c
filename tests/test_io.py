"""Reading and decoding: encodings of the Chinese web, binary data, files; safe outputs (CSV
cells no spreadsheet runs, UTF-8 JSON)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import random

import pytest

from rectify_nlp.errors import RectifyInputError
from rectify_nlp.io import decode_bytes, looks_like_html, read_text
from rectify_nlp.io.write import (
    atomic_write_text,
    csv_tables,
    safe_csv_cell,
    to_jsonl,
    utf8_safe,
    write_json,
)

NOTICE = (
    "根据县委巡察工作统一部署,2022年9月5日至11月4日,县委第一巡察组对石门镇党委开展了巡察。"
    "针对“基层党组织建设薄弱”问题,新发展党员12名,整改完成率100%。\n中共某某县石门镇委员会\n2023年3月1日"
)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb2312", "gb18030"])
def test_common_encodings(encoding):
    assert decode_bytes(NOTICE.encode(encoding)) == NOTICE


def test_gb18030_only_characters():
    text = "巡察组对㐀村委会和𠀀社区开展了巡察。" * 3  # Ext-A and Ext-B ideographs
    assert decode_bytes(text.encode("gb18030")) == text


def test_gbk_fullwidth_punctuation():
    text = "(一)针对“四风”问题，整改１２项；完成率１００％。"
    assert decode_bytes(text.encode("gbk")) == text


def test_utf8_bom_removed():
    assert decode_bytes(codecs.BOM_UTF8 + NOTICE.encode("utf-8")) == NOTICE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding):
    data = NOTICE.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data) == NOTICE


def test_utf16_without_bom_ascii_heavy():
    text = "Rectification notice 2023: 12388 hotline."
    assert decode_bytes(text.encode("utf-16-le")) == text


def test_empty_bytes():
    assert decode_bytes(b"") == ""


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE2 document"),
    ],
)
def test_binary_formats_named(data, what):
    with pytest.raises(RectifyInputError) as exc:
        decode_bytes(data + b"\x00" * 64, source="notice.bin")
    message = str(exc.value)
    assert "binary data" in message and what in message
    assert message.startswith("notice.bin: ")
    assert exc.value.source == "notice.bin"


def test_nul_bytes_rejected():
    with pytest.raises(RectifyInputError, match="not text: NUL bytes"):
        decode_bytes("巡察".encode() + b"\x00\x01\x02\x00" + "整改".encode())


def test_control_characters_rejected():
    with pytest.raises(RectifyInputError, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 50 + b"abc")


def test_random_bytes_rejected():
    rng = random.Random(7)
    for _ in range(5):
        data = bytes(rng.randrange(256) for _ in range(4096))
        with pytest.raises(RectifyInputError):
            decode_bytes(data)


def test_latin1_text_falls_back_without_error():
    text = decode_bytes("Le café était très agréable, déjà vu à Noël.".encode("cp1252"))
    assert "caf" in text and "agr" in text


def test_decode_rejects_str():
    with pytest.raises(TypeError):
        decode_bytes("巡察")  # type: ignore[arg-type]


def test_read_text_gbk_file(tmp_path):
    p = tmp_path / "通报.txt"
    p.write_bytes(NOTICE.encode("gbk"))
    assert read_text(p) == NOTICE
    assert read_text(str(p), max_bytes=10_000) == NOTICE


def test_read_text_missing_file(tmp_path):
    p = tmp_path / "missing.txt"
    with pytest.raises(RectifyInputError, match="no such file") as exc:
        read_text(p)
    assert exc.value.source == str(p)


def test_read_text_directory(tmp_path):
    with pytest.raises(RectifyInputError, match="directory"):
        read_text(tmp_path)


def test_read_text_too_large(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("整改" * 100, encoding="utf-8")
    with pytest.raises(RectifyInputError, match="too large"):
        read_text(p, max_bytes=100)


def test_read_text_binary_file(tmp_path):
    p = tmp_path / "scan.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(RectifyInputError, match=r"scan\.png: binary data \(PNG image\)"):
        read_text(p)


def test_read_text_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert read_text(p) == ""


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body>正文</body></html>",
        "<html lang='zh'><p>正文</p></html>",
        "<div class='content'><p>一、整改情况</p></div>",
        "<p>正文&nbsp;内容</p>",
        "\ufeff  <HTML><HEAD><META http-equiv='Content-Type'></HEAD>",
    ],
)
def test_looks_like_html(text):
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "根据区委统一部署,现将整改情况予以公布。",
        "若 a<b 且 b>c,则……",
        "《条例》<第三条>",
        "x &amp y",
    ],
)
def test_not_html(text):
    assert not looks_like_html(text)


def test_utf8_cut_mid_character_stays_utf8():
    data = NOTICE.encode("utf-8") + "整".encode()[:2]
    text = decode_bytes(data)
    assert text.startswith(NOTICE) and text.endswith("\ufffd")


def test_gbk_is_not_mistaken_for_damaged_utf8():
    assert decode_bytes(NOTICE.encode("gbk") + b"\xff").startswith(NOTICE[:20])


def test_pure_cjk_utf8_cut_mid_character_is_not_read_as_gb18030():
    text = "巡察整改" * 30
    assert decode_bytes(text.encode("utf-8") + "整".encode()[:1]) == text + "\ufffd"


# Genre sentences written for these tests, in simplified (GBK) and traditional (Big5) forms.
_GENRE = [
    ("整改进展情况通报", "整改進展情況通報"),
    ("巡察反馈问题整改", "巡察反饋問題整改"),
    ("一、整改工作总体情况", "一、整改工作總體情況"),
    ("追回违规资金8.6万元,问责干部4人。", "追回違規資金8.6萬元,問責幹部4人。"),
    ("中共安溪县委关于市委巡察组反馈意见整改情况的通报",
     "中共安溪縣委關於市委巡察組反饋意見整改情況的通報"),
    ("欢迎广大干部群众对整改落实情况进行监督。联系电话:0595-23270000。",
     "歡迎廣大幹部群眾對整改落實情況進行監督。聯繫電話:0595-23270000。"),
]
_LONG_SIMPLIFIED = (
    "根据州委统一部署,2023年4月10日至6月9日,州委第二巡察组对州住房和城乡建设局党组进行了常规巡察。"
    "针对反馈的32个问题,局党组制定整改措施96条,已完成89条,建立健全制度17项。\n"
)
_LONG_TRADITIONAL = (
    "根據州委統一部署,2023年4月10日至6月9日,州委第二巡察組對州住房和城鄉建設局黨組進行了常規巡察。"
    "針對反饋的32個問題,局黨組制定整改措施96條,已完成89條,建立健全制度17項。\n"
)


@pytest.mark.parametrize(("simplified", "traditional"), _GENRE)
def test_short_big5_is_not_read_as_gb18030_and_gbk_stays_gbk(simplified, traditional):
    assert decode_bytes(traditional.encode("big5")) == traditional
    assert decode_bytes(simplified.encode("gbk")) == simplified
    assert decode_bytes(simplified.encode("gb18030")) == simplified


@pytest.mark.parametrize("repeat", [1, 5, 200])
def test_long_big5_and_gbk_notices(repeat):
    assert decode_bytes((_LONG_TRADITIONAL * repeat).encode("big5")) == _LONG_TRADITIONAL * repeat
    assert decode_bytes((_LONG_SIMPLIFIED * repeat).encode("gbk")) == _LONG_SIMPLIFIED * repeat


def test_big5_with_fullwidth_punctuation():
    text = "(一)針對“四風”問題，整改１２項；完成率１００％。"
    assert decode_bytes(text.encode("cp950")) == text


def test_traditional_text_in_gb18030_stays_gb18030():
    # a traditional-character notice saved as GB18030/GBK is not Big5
    assert decode_bytes(_LONG_TRADITIONAL.encode("gb18030")) == _LONG_TRADITIONAL
    assert decode_bytes(_GENRE[4][1].encode("gbk")) == _GENRE[4][1]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        _LONG_SIMPLIFIED,  # Chinese with some ASCII digits: few NULs, and 一 (U+4E00) gives one
        "一、整改工作总体情况\n二、下一步工作打算\n",  # NULs in both byte columns
        "县委第一巡察组反馈问题整改完成率达百分之百",  # no NUL byte at all
        _LONG_TRADITIONAL * 50,
    ],
)
def test_utf16_chinese_without_bom(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


def test_utf8_bytes_with_nuls_are_still_rejected():
    with pytest.raises(RectifyInputError, match="NUL bytes"):
        decode_bytes("整改情况".encode() + b"\x00\x00" + "监督电话".encode())
    with pytest.raises(RectifyInputError, match="NUL bytes"):
        decode_bytes("整改".encode("gbk") + b"\x00" * 7 + "完成".encode("gbk"))


# ----------------------------------------------------------------------------- safe outputs

@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_starting_like_a_formula_gets_a_quote(prefix):
    cell = prefix + "SUM(A1:A9)整改"
    assert safe_csv_cell(cell) == "'" + cell  # the rest kept as it is


def test_csv_cell_negative_number_text_is_quoted_but_numbers_stay_numbers():
    assert safe_csv_cell("-12") == "'-12"  # text that looks like a number is still text
    assert safe_csv_cell(-12) == -12
    assert safe_csv_cell(-0.5) == -0.5
    assert safe_csv_cell(None) is None


@pytest.mark.parametrize("cell", ["整改完成率100%", "(一)关于“四风”问题", "a=b", "1-2", "", "'x"])
def test_csv_cell_plain_text_untouched(cell):
    assert safe_csv_cell(cell) == cell


def test_csv_tables_neutralise_text_cells_only():
    import rectify_nlp

    r = rectify_nlp.Rectification.from_dict({
        "problems": [{"statement": "=HYPERLINK(\"http://x\")", "start": 0, "end": 21,
                      "number": "-", "level": 1, "parent": None, "status": None}],
        "outcomes": [{"metric": "@SUM", "value": -3, "unit": None, "qualifier": None,
                      "raw": "+3", "start": 0, "end": 2}],
    })
    tables = csv_tables([("n", r)])
    problems = list(csv.DictReader(io.StringIO(tables["problems.csv"])))
    outcomes = list(csv.DictReader(io.StringIO(tables["outcomes.csv"])))
    assert problems[0]["statement"] == "'=HYPERLINK(\"http://x\")"
    assert problems[0]["number"] == "'-"
    assert problems[0]["start"] == "0"
    assert outcomes[0]["metric"] == "'@SUM" and outcomes[0]["raw"] == "'+3"
    assert outcomes[0]["value"] == "-3"  # a number the library computed stays a number


def test_utf8_safe_replaces_surrogates_one_for_one():
    text = "整改\ud800完成\udfff" + "\ud83d\ude00"
    safe = utf8_safe(text)
    assert len(safe) == len(text)
    assert safe == "整改\ufffd完成\ufffd\ufffd\ufffd"
    safe.encode("utf-8")
    assert utf8_safe("正常文本😀") == "正常文本😀"


def _notice_with(piece: str) -> str:
    return ("关于县委第二巡察组巡察反馈意见整改情况的通报\n"
            "根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县林业局党组开展了巡察。\n"
            f"一、整改落实情况\n(一)关于“护林员{piece}管理不严”的问题。新建制度5项。\n"
            "中共某县林业局党组\n2023年9月1日\n")


def test_lone_surrogate_in_str_input_gives_utf8_json(rules_extractor, tmp_path):
    text = _notice_with("\ud800")
    r = rules_extractor(text)
    assert any("\ud800" in p.statement for p in r.problems)  # the result holds it as given
    line = to_jsonl([r])
    data = json.loads(line.encode("utf-8").decode("utf-8"))
    assert "\ufffd" in data["problems"][0]["statement"]
    write_json(r, tmp_path / "r.json")
    atomic_write_text(tmp_path / "r.jsonl", line)
    tables = csv_tables([("n", r)])
    atomic_write_text(tmp_path / "problems.csv", tables["problems.csv"])
    for name in ("r.json", "r.jsonl", "problems.csv"):
        raw = (tmp_path / name).read_bytes().decode("utf-8")  # strict: valid UTF-8
        assert "\ud800" not in raw
    loaded = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    p = loaded["problems"][0]
    assert len(p["statement"]) == p["end"] - p["start"]  # one character for one


@pytest.mark.parametrize("data", [
    _notice_with("").encode("utf-8")[:-7] + b"\xe6\x95",          # UTF-8 cut mid-character
    _notice_with("\x80").encode("utf-8").replace(b"\xc2\x80", b"\xff"),  # a stray bad byte
    _notice_with("").encode("gbk")[:-1],                           # GBK cut mid-character
    _notice_with("").encode("utf-16-le")[:-1],                     # odd-length UTF-16
], ids=["utf8-cut", "utf8-bad-byte", "gbk-cut", "utf16-odd"])
def test_badly_decoding_bytes_give_utf8_json(rules_extractor, data):
    try:
        r = rules_extractor(data)
    except RectifyInputError:
        return
    line = to_jsonl([r])
    assert json.loads(line.encode("utf-8"))["schema_version"]
    json.loads(r.to_json()).get("kind")
