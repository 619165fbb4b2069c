"""Tests of the outline parser (rectify_nlp.rules.outline) on notices written for the tests."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.errors import RectifyInputError
from rectify_nlp.rules.outline import Outline, parse_outline

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "notices"


def check_invariants(text: str, o: Outline) -> None:
    """Offsets point into the text, trees are well formed."""
    for i, n in enumerate(o.nodes):
        assert 0 <= n.start <= n.heading.start <= n.heading.end <= n.end <= len(text)
        assert n.heading.text == text[n.heading.start:n.heading.end]
        assert n.heading.label == "HEADING"
        if n.parent is not None:
            p = o.nodes[n.parent]
            assert n.parent < i and p.start <= n.start and n.end <= p.end
            assert n.depth == p.depth + 1
        else:
            assert n.depth == 0
    for i, p in enumerate(o.problems):
        assert p.statement.label == "PROBLEM"
        assert p.statement.text == text[p.statement.start:p.statement.end]
        assert p.statement.text.strip()
        assert p.start <= p.statement.start and p.statement.end <= p.end
        if p.parent is None:
            assert p.level == 1
        else:
            assert p.parent < i and p.level == o.problems[p.parent].level + 1
        for m in p.measures:
            assert m.label == "MEASURE" and m.text == text[m.start:m.end]
            assert p.start <= m.start and m.end <= p.end
    if o.section is not None:
        s, e = o.section
        assert 0 <= s < e <= len(text)
        for p in o.problems:
            assert s <= p.start and p.end <= e


def parse(text: str) -> Outline:
    o = parse_outline(text)
    check_invariants(text, o)
    return o


# --------------------------------------------------------------------------- (a) 一、/(一)/1.

STYLE_A = """根据县委巡察工作统一部署,2023年9月5日至11月2日,县委第二巡察组对青石镇党委开展了巡察。
一、提高政治站位,扎实推进整改工作
(一)强化组织领导。成立整改工作领导小组,统筹推进整改。
(二)细化整改任务。梳理问题清单,明确责任分工。
二、巡察反馈问题整改落实情况
(一)聚焦乡村振兴战略落地方面
1.针对产业发展基础薄弱的问题。一是编制《特色产业发展规划(2023-2025年)》;二是新建蔬菜大棚120个,带动农户增收。
2.针对农村人居环境整治不到位的问题。一是1-10月开展村庄清洁行动36次;二是新建公厕8座。
(二)聚焦基层党组织建设方面
3.针对党支部组织生活不规范的问题。一是规范“三会一课”记录;二是开展专项督导。
三、下一步工作打算
一是持续巩固整改成果;二是建立长效机制。
欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0571-12345678。
中共青石镇委员会
2024年1月8日
"""


def test_style_a_numbered_problems_with_measures() -> None:
    o = parse(STYLE_A)
    assert [p.statement.text for p in o.problems] == [
        "产业发展基础薄弱", "农村人居环境整治不到位", "党支部组织生活不规范"]
    assert [p.number for p in o.problems] == ["1.", "2.", "3."]
    assert all(p.level == 1 and p.parent is None for p in o.problems)
    assert [p.category for p in o.problems] == [
        "聚焦乡村振兴战略落地方面", "聚焦乡村振兴战略落地方面", "聚焦基层党组织建设方面"]
    assert [len(p.measures) for p in o.problems] == [2, 2, 2]
    assert o.problems[0].measures[0].text == "编制《特色产业发展规划(2023-2025年)》"
    assert o.problems[1].measures[1].text == "新建公厕8座"
    assert all(p.status is None for p in o.problems)
    # the section is 二、…; the organising part and the closing part stay out
    s, e = o.section
    assert STYLE_A[s:].startswith("二、巡察反馈问题整改落实情况")
    assert "下一步" not in STYLE_A[s:e]
    # inline numbers are not nodes
    numbers = [n.number for n in o.nodes]
    assert "(2023" not in "".join(numbers)
    assert not any(STYLE_A[n.start:n.start + 4] == "1-10" for n in o.nodes)


def test_style_a_node_styles_and_depths() -> None:
    o = parse(STYLE_A)
    by_number = {(n.number, n.depth): n.style for n in o.nodes}
    assert by_number[("二、", 0)] == "cn"
    assert by_number[("(一)", 1)] == "cn_paren"
    assert by_number[("1.", 2)] == "num"
    assert by_number[("一是", 3)] == "enum"
    top = [n for n in o.nodes if n.depth == 0 and n.style == "cn"]
    assert [n.heading.text for n in top] == [
        "提高政治站位,扎实推进整改工作", "巡察反馈问题整改落实情况", "下一步工作打算"]
    # extents: a node ends before the next node of the same or a higher level
    one, two = top[0], top[1]
    assert one.end <= two.start


# --------------------------------------------------------------------------- (b) provincial 巡视

STYLE_B = """二、巡视反馈意见整改落实情况
(一)对贯彻落实新发展理念不够有力问题的整改。
1.针对推动高质量发展办法不多的问题,县委进一步完善工作机制。
(1)针对工业经济总量偏小的问题,加快培育骨干企业(已完成整改):一是引进项目15个。二是新增规上企业9家。
(2)针对县域经济结构不优的问题,推动产业转型升级(长期推进,已取得阶段性成效):一是淘汰落后产能企业6家。二是培育新兴产业集群。
2.针对防范化解重大风险不到位的问题,县委强化风险意识。
(3)针对政府债务风险管控不严的问题,规范举债融资行为(已完成整改):一是化解隐性债务2.3亿元。
(二)对全面从严治党“两个责任”落实不到位问题的整改。
3.针对监督执纪问责偏松偏软的问题,县纪委监委加大执纪力度。
(4)针对查处群众身边腐败问题不力的问题(已取得阶段性成效):一是立案查处18件;二是给予党纪政务处分21人。
三、下一步工作安排
继续抓好整改。
"""


def test_style_b_three_problem_levels_and_statuses() -> None:
    o = parse(STYLE_B)
    got = [(p.number, p.statement.text, p.level, p.parent, p.status) for p in o.problems]
    assert got == [
        ("(一)", "贯彻落实新发展理念不够有力", 1, None, None),
        ("1.", "推动高质量发展办法不多", 2, 0, None),
        ("(1)", "工业经济总量偏小", 3, 1, "已完成整改"),
        ("(2)", "县域经济结构不优", 3, 1, "长期推进,已取得阶段性成效"),
        ("2.", "防范化解重大风险不到位", 2, 0, None),
        ("(3)", "政府债务风险管控不严", 3, 4, "已完成整改"),
        ("(二)", "全面从严治党“两个责任”落实不到位", 1, None, None),
        ("3.", "监督执纪问责偏松偏软", 2, 6, None),
        ("(4)", "查处群众身边腐败问题不力", 3, 7, "已取得阶段性成效"),
    ]
    assert [m.text for m in o.problems[2].measures] == ["引进项目15个", "新增规上企业9家"]
    assert [m.text for m in o.problems[8].measures] == ["立案查处18件", "给予党纪政务处分21人"]
    assert all(p.category is None for p in o.problems)
    # the heading leaves out the status bracket
    node = next(n for n in o.nodes if n.number == "(1)")
    assert node.heading.text == "针对工业经济总量偏小的问题,加快培育骨干企业"


# --------------------------------------------------------------------------- (c) task-titled items

STYLE_C = """一、履行整改主体责任情况
(一)加强组织领导
局党组召开专题会议研究部署整改工作。
二、巡察整改任务落实情况
(一)关于落实上级决策部署方面
1.提高政治站位抓好理论学习
一是完善学习制度。修订党组理论学习中心组学习规则。
二是丰富学习形式。开展专题研讨6次。
2.加大生态环境保护工作力度
一是推进污水管网建设。新建管网12公里。
二是强化执法检查。
(二)关于加强作风建设方面
3.规范公务接待管理
一是修订接待办法。
三、下一步工作打算
一是持续推进整改。
"""


def test_style_c_task_titled_items_are_problems() -> None:
    o = parse(STYLE_C)
    assert [p.statement.text for p in o.problems] == [
        "提高政治站位抓好理论学习", "加大生态环境保护工作力度", "规范公务接待管理"]
    assert [p.category for p in o.problems] == [
        "关于落实上级决策部署方面", "关于落实上级决策部署方面", "关于加强作风建设方面"]
    assert [len(p.measures) for p in o.problems] == [2, 2, 1]
    assert o.problems[0].measures[1].text == "丰富学习形式。开展专题研讨6次"
    assert all(p.level == 1 for p in o.problems)
    s, _ = o.section
    assert STYLE_C[s:].startswith("二、巡察整改任务落实情况")


# --------------------------------------------------------------------------- (d) 关于“X”问题的整改情况

STYLE_D = """一、整改工作开展情况
(一)高度重视,压实责任。
二、巡察指出问题整改落实情况
(一)关于“落实意识形态工作责任制不到位”问题的整改情况
(1)针对“阵地管理存在薄弱环节”的问题,健全阵地管理制度。
一是对辖区宣传栏进行全面排查;二是建立审核台账。
(2)针对“舆情应对能力不足”的问题,加强队伍建设。
一是组织舆情培训2期。
(二)关于“基层治理能力有待提升”问题的整改情况
(1)对“网格员队伍不稳定”的问题,完善网格员管理。
一是补充网格员14名。二是落实网格员待遇保障。
三、进一步巩固整改成果的措施
一是强化跟踪问效。
"""


def test_style_d_quoted_frames() -> None:
    o = parse(STYLE_D)
    got = [(p.number, p.statement.text, p.level, p.parent) for p in o.problems]
    assert got == [
        ("(一)", "落实意识形态工作责任制不到位", 1, None),
        ("(1)", "阵地管理存在薄弱环节", 2, 0),
        ("(2)", "舆情应对能力不足", 2, 0),
        ("(二)", "基层治理能力有待提升", 1, None),
        ("(1)", "网格员队伍不稳定", 2, 3),
    ]
    # 一是对… is a measure, not a problem
    assert [m.text for m in o.problems[1].measures] == ["对辖区宣传栏进行全面排查", "建立审核台账"]
    assert [m.text for m in o.problems[4].measures] == ["补充网格员14名", "落实网格员待遇保障"]


# --------------------------------------------------------------------------- (e) 1、 and ① with 【】

STYLE_E = """二、反馈问题整改情况
1、针对村级财务管理不规范问题【已完成】
①清理不合规票据32张;②制定村级财务管理办法。
2、针对集体资产底数不清问题【持续推进】
①开展资产清查;②建立资产台账。
3、关于“民生实事推进缓慢”问题(已完成整改)
①完成道路硬化5.6公里。
"""


def test_style_e_circled_measures_and_bracket_status() -> None:
    o = parse(STYLE_E)
    got = [(p.number, p.statement.text, p.status) for p in o.problems]
    assert got == [
        ("1、", "村级财务管理不规范", "已完成"),
        ("2、", "集体资产底数不清", "持续推进"),
        ("3、", "民生实事推进缓慢", "已完成整改"),
    ]
    assert [m.text for m in o.problems[0].measures] == ["清理不合规票据32张", "制定村级财务管理办法"]
    assert [n.style for n in o.nodes if n.number == "①"] == ["circled"] * 3
    assert o.nodes[0].number == "二、"


# --------------------------------------------------------------------------- (f) other frames

STYLE_F = """二、省委巡视反馈问题整改落实情况
(一)第一方面问题,贯彻落实党中央决策部署存在差距
1.针对落实稳就业政策措施打折扣的问题。一是针对高校毕业生就业帮扶不精准问题。建立帮扶台账;开展专场招聘12场。二是出台就业补贴细则。
(二)在“基层党组织软弱涣散”方面
整顿软弱涣散党组织15个。
(三)关于巡视反馈的“干部担当作为不够”问题
一是开展专题教育。
"""


def test_style_f_stated_category_enum_child_and_zai_fangmian() -> None:
    o = parse(STYLE_F)
    got = [(p.number, p.statement.text, p.level, p.parent) for p in o.problems]
    assert got == [
        ("(一)", "贯彻落实党中央决策部署存在差距", 1, None),
        ("1.", "落实稳就业政策措施打折扣", 2, 0),
        ("一是", "高校毕业生就业帮扶不精准", 3, 1),
        ("(二)", "基层党组织软弱涣散", 1, None),
        ("(三)", "干部担当作为不够", 1, None),
    ]
    # the 一是 problem's body holds ;-separated measures; 二是 (not framed) continues it
    assert [m.text for m in o.problems[2].measures] == [
        "建立帮扶台账", "开展专场招聘12场", "出台就业补贴细则"]
    assert [m.text for m in o.problems[3].measures] == ["整顿软弱涣散党组织15个"]


def test_problem_n_style_and_heading_run_in() -> None:
    text = ("二、巡察反馈问题整改情况\n问题一:村务公开不及时。整改情况:已完成。按月公开村务12次。\n"
            "问题二:矛盾纠纷化解机制不健全。整改情况:持续推进。建立调解室3个;培训调解员40人。\n")
    o = parse(text)
    got = [(p.number, p.statement.text, p.status, [m.text for m in p.measures])
           for p in o.problems]
    assert got == [
        ("问题一", "村务公开不及时", "已完成", ["按月公开村务12次"]),
        ("问题二", "矛盾纠纷化解机制不健全", "持续推进", ["建立调解室3个", "培训调解员40人"]),
    ]


def test_categories_naming_no_problem_are_not_problems() -> None:
    text = ("二、巡察整改落实情况\n(一)聚焦基层党组织建设情况方面\n"
            "1.针对“三会一课”落实不严格的问题,规范组织生活。\n"
            "(二)关于落实重点工作方面\n2.针对项目推进缓慢的问题,建立周调度机制。\n")
    o = parse(text)
    assert [p.statement.text for p in o.problems] == ["“三会一课”落实不严格", "项目推进缓慢"]
    assert [p.category for p in o.problems] == ["聚焦基层党组织建设情况方面", "关于落实重点工作方面"]
    assert [m.text for m in o.problems[0].measures] == ["规范组织生活"]


def test_top_level_problem_sections() -> None:
    text = ("根据市委统一部署,市委第五巡察组对市水务局开展了巡察。\n"
            "一、关于“贯彻落实上级决策部署不到位”问题的整改情况\n"
            "1.针对防汛设施维护不及时的问题,完成维修加固。\n"
            "二、关于“全面从严治党压力传导不够”问题的整改情况\n"
            "1.针对廉政教育形式单一的问题,开展警示教育4场。\n"
            "三、下一步工作计划\n继续抓好整改。\n")
    o = parse(text)
    got = [(p.number, p.statement.text, p.level, p.parent) for p in o.problems]
    assert got == [
        ("一、", "贯彻落实上级决策部署不到位", 1, None),
        ("1.", "防汛设施维护不及时", 2, 0),
        ("二、", "全面从严治党压力传导不够", 1, None),
        ("1.", "廉政教育形式单一", 2, 2),
    ]
    s, e = o.section
    assert text[s:].startswith("一、关于") and "下一步" not in text[s:e]


def test_unnormalised_punctuation_is_tolerated() -> None:
    text = ("二、反馈问题整改落实情况\n（一）针对学习教育不深入的问题，加强学习（已完成）：一是开展专题学习5次；"
            "二是建立学习台账。\n（二）针对制度执行不严格的问题，完善制度。\n")
    o = parse(text)
    got = [(p.number, p.statement.text, p.status) for p in o.problems]
    assert got == [("（一）", "学习教育不深入", "已完成"), ("（二）", "制度执行不严格", None)]
    assert [m.text for m in o.problems[0].measures] == ["开展专题学习5次", "建立学习台账"]


def test_web_tags_before_a_number_and_inline_parentheses() -> None:
    text = ("一、加强领导\n成立领导小组。\n[NextPage][/NextPage]二、巡视整改落实情况\n"
            "(一)针对社区(村)服务能力不足的问题,制定《服务规范(试行)》,1-6月服务群众1200人次。\n")
    o = parse(text)
    assert [n.number for n in o.nodes] == ["一、", "二、", "(一)"]
    assert [p.statement.text for p in o.problems] == ["社区(村)服务能力不足"]


def test_enum_frames_only_when_it_names_a_problem() -> None:
    text = ("二、巡察反馈问题整改情况\n1.针对安全生产监管不到位的问题。一是针对巡察指出的问题,立即开展整改;"
            "二是对存在问题的企业进行约谈;三是对辖区企业开展检查120家次。\n")
    o = parse(text)
    assert [p.statement.text for p in o.problems] == ["安全生产监管不到位"]
    assert len(o.problems[0].measures) == 3


def test_unnumbered_problem_paragraph_stands_for_a_level() -> None:
    text = ("二、巡视反馈问题整改落实情况\n(一)对基层党建工作薄弱问题的整改。\n"
            "针对基层党组织软弱涣散的问题,区委制定整顿方案。\n"
            "(1)针对村党组织书记队伍老化的问题(已完成整改):一是调整村党组织书记11名。\n"
            "(2)针对党员发展质量不高的问题(已取得阶段性成效):一是严格发展党员程序。\n"
            "2.针对党建经费保障不足的问题,区委加大投入。\n"
            "(3)针对活动阵地面积偏小的问题(已完成整改):一是新建党群服务中心4个。\n"
            "(二)对“四风”整治不力问题的整改。\n"
            "针对上述问题,区委召开专题会议研究。\n")
    o = parse(text)
    got = [(p.number, p.statement.text, p.level, p.parent) for p in o.problems]
    assert got == [
        ("(一)", "基层党建工作薄弱", 1, None),
        (None, "基层党组织软弱涣散", 2, 0),
        ("(1)", "村党组织书记队伍老化", 3, 1),
        ("(2)", "党员发展质量不高", 3, 1),
        ("2.", "党建经费保障不足", 2, 0),
        ("(3)", "活动阵地面积偏小", 3, 4),
        ("(二)", "“四风”整治不力", 1, None),
    ]
    assert o.problems[6].measures[0].text == "针对上述问题,区委召开专题会议研究"


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u3000\u3000"])
def test_empty(text: str) -> None:
    assert parse_outline(text) == Outline()


def test_not_text_raises() -> None:
    with pytest.raises(RectifyInputError):
        parse_outline(b"\x00\x01")  # type: ignore[arg-type]


def test_english_and_html() -> None:
    for text in ["The committee published its report on Monday. 1. Growth. 2. Jobs.",
                 "<html><body><p>一、概况</p><p>(一)介绍</p></body></html>"]:
        o = parse(text)
        assert o.problems == ()


def test_news_story_has_no_problems() -> None:
    text = ("本报讯 昨日,我市召开经济工作会议。会议指出:\n一、今年经济运行总体平稳\n"
            "全市生产总值增长5.2%。\n二、明年工作重点\n(一)扩大有效投资。\n(二)提振消费。\n"
            "会议要求,一是要抓好项目建设,二是要优化营商环境。\n")
    o = parse(text)
    assert o.problems == ()
    assert o.section is None


def test_enum_prose_only() -> None:
    text = ("近年来,我县持续推进乡村振兴。一是加强产业扶持,培育龙头企业5家。二是完善基础设施。"
            "三是加强人才引进,引进人才30名。")
    o = parse(text)
    assert o.problems == ()
    assert [n.number for n in o.nodes] == ["一是", "二是", "三是"]
    assert all(n.style == "enum" for n in o.nodes)


def test_one_megabyte_is_fast() -> None:
    block = STYLE_B + STYLE_A + STYLE_D
    text = block * (1_000_000 // len(block) + 1)
    # a hang guard, not a benchmark (benchmarks/bench_extract.py measures speed): about 1.3 s
    # of CPU here, so a bound many times that only trips on super-linear behaviour
    t0 = time.process_time()
    o = parse_outline(text)
    assert time.process_time() - t0 < 20.0
    assert o.problems
    for hostile in ("项目推进缓慢问题;(试行)1-10月。" * 40_000,  # one long line
                    "一是针对干部作风不实问题,开展专项整治,约谈提醒干部12人次。" * 30_000,
                    "(" * 500_000 + "一、" * 250_000):  # unbalanced brackets
        t0 = time.process_time()
        check_invariants(hostile, parse_outline(hostile))
        assert time.process_time() - t0 < 2.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "一、", "二、", "(一)", "(二)", "1.", "2、", "(1)", "①", "一是", "二是", "问题一:", "\n", "。",
    ":", ";", "针对", "关于", "问题", "的问题", "的整改", "方面", "“", "”", "(", ")", "【已完成】",
    "(长期推进)", "整改落实情况", "工作不到位", "加强学习", "下一步", "x", " ", "《", "》",
]), max_size=60).map("".join))
def test_random_fragments_never_break_invariants(text: str) -> None:
    check_invariants(text, parse_outline(text))


# --------------------------------------------------------------------------- real notices (smoke)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_real_notices_smoke(path: Path) -> None:
    # most corpus notices are the opening of a page; an outline need not be there yet
    text = path.read_text(encoding="utf-8")
    o = parse(text)
    check_invariants(text, parse_outline(text))
    for p in o.problems:
        assert p.statement.text in text
        assert p.level >= 1


# --------------------------------------------------------------------------- work organisation


def test_work_organisation_headings_are_not_problems() -> None:
    # the first section of most notices reports how the work was organised (guidelines §3)
    text = ("一、提高政治站位,坚决扛起巡视整改政治责任\n区委把巡视整改作为重大政治任务。\n"
            "(一)加强组织领导,压实整改责任。成立巡视整改工作领导小组,制定整改方案。\n"
            "(二)坚持标本兼治,推动整改落地见效。建立健全制度12项。")
    assert parse(text).problems == ()


def test_work_section_then_problem_section() -> None:
    text = ("一、整改工作开展情况\n(一)提高政治站位。局党组召开专题会议。\n(二)强化组织领导。成立领导小组。\n"
            "二、巡察反馈问题整改落实情况\n(一)关于理论学习不深入的问题\n一是完善学习制度;二是开展专题研讨。\n"
            "(二)在落实全面从严治党主体责任方面\n1.压实管党治党主体责任。一是签订责任书;二是开展约谈。\n"
            "2.监督执纪问责不够有力。一是加强日常监督。")
    o = parse(text)
    assert [(p.number, p.statement.text) for p in o.problems] == [
        ("(一)", "理论学习不深入"), ("1.", "压实管党治党主体责任"), ("2.", "监督执纪问责不够有力")]
    # a task item worded like work organisation still counts under a category heading
    assert o.problems[1].category == "在落实全面从严治党主体责任方面"
