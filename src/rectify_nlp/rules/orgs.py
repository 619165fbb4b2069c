"""The ORG rule: specific organisations, found from their designation suffix.

An organisation is tagged with its full designation as written, place prefix included
([区委第三巡察组], [龙穴街道党工委], [区住建局], [广州市乐丰渔业养殖有限公司]).  The rule is
suffix-driven: a suffix (党工委, 党委, 党组, 委员会, 巡察组, 局, 办公室, 社区, 公司, 学校 …) is
found, its head is read leftwards up to a boundary (punctuation, a preposition or a verb of
the genre), and the candidate is kept only when the head makes it *specific*:

* a proper name (龙穴街道党工委, 南沙开发区党工委, 中共莞城街道工作委员会), or
* a department after a level word (区住建局, 区纪委监委, 街道党建办公室), or
* a number (区委第三巡察组, 市委巡察三组, 区委4个巡察组), or
* a functional stem from ``resources/organ_names.txt`` (规自局, 执法队, 消安办, 县发改局,
  区城管执法大队, 区教育部门 — 部门 only after a level word), or a bare organ of the
  committee (纪工委, 编办, 常委会, 中心组).

A verb swallowed into a head is cut off (建设|法治政府, 办好|保险公司); 政府 needs a place
(荔湾区政府, 中国政府), and category heads (地方政府, 公立医院, 信托公司, 利益集团) are not
names.  Conjuncts that share an elided prefix are tagged one by one ([区人大]、[政协]、[法院]).

Bare generic words that only refer back (街道, 党工委, 区委, 省委, 开发区党工委, 各单位,
各社区党组织) are not tagged, nor anything inside 《》; a group named by its task is a named body
([区委巡视整改工作领导小组], [巡察整改工作领导小组]), a bare 领导小组 is not.
A place name is tagged where it stands for the inspected organisation (对[广州市荔湾区]进行了
巡视); elsewhere it is a place.  Precision comes before recall.

>>> [s.text for s in find_orgs("7月30日,区委第三巡察组向龙穴街道党工委反馈了巡察意见。")]
['区委第三巡察组', '龙穴街道党工委']
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Final

from rectify_nlp.spans import Span


def _load_words(name: str) -> frozenset[str]:
    """A word list shipped in ``rectify_nlp/resources`` (one word a line, # comments)."""
    text = resources.files("rectify_nlp").joinpath(f"resources/{name}").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))

def _load_sections(name: str) -> dict[str, frozenset[str]]:
    """A sectioned word list in ``rectify_nlp/resources`` ('[section]' lines, # comments)."""
    text = resources.files("rectify_nlp").joinpath(f"resources/{name}").read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        w = line.split("#", 1)[0].strip()
        if not w:
            continue
        if w.startswith("[") and w.endswith("]"):
            section = w[1:-1]
            continue
        out.setdefault(section, set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


logger = logging.getLogger(__name__)

__all__ = ["BAD_HEAD_RE", "BOUNDARY_EXCEPT", "BOUNDARY_WORDS", "COMMON_WORDS",
           "INSPECTOR_PATTERN", "SELF_REFERENCE_RE", "SUFFIX_RE", "VERBS", "find_orgs",
           "find_inspectors", "inspection_target_spans", "is_generic_head", "is_specific_org",
           "remaining_name"]

# --------------------------------------------------------------------------- patterns

_NUMC = r"[〇零一二两三四五六七八九十百\d]{1,4}"
_COMMITTEE = r"(?:中央|(?:省|自治区|市|州|盟|县|区|旗|地|市区|县区)(?:委|党委)|党委|党组)"
_GROUP = (
    rf"(?:第{_NUMC}(?:巡视|巡察)组|(?:巡视|巡察){_NUMC}组|{_NUMC}个(?:巡视|巡察)组"
    r"|(?:巡视|巡察)工作领导小组办公室|(?:巡视|巡察)组|(?:巡视|巡察)办(?![理法公事学好实结案成件])"
    r"|(?:巡视|巡察)机构)"
)
#: An inspection group (or the inspection office) of a committee, without the place prefix.
INSPECTOR_PATTERN: Final[str] = rf"{_COMMITTEE}{_GROUP}"
_INSPECTOR_RE = re.compile(INSPECTOR_PATTERN)

# suffix -> kind.  kinds: "organ" (level word alone is generic: 区委, 区政府), "functional"
# (level word alone is specific: 区纪委监委, 区法院), "dept" (needs a department name: 区住建局),
# "name" (needs a proper name: 龙穴社区, 乐丰公司).
_SUFFIXES: Final[dict[str, str]] = {
    "党工委": "organ", "党委": "organ", "党组": "organ", "党支部": "organ", "党总支": "organ",
    "党总支部": "organ", "总支部委员会": "organ", "支部委员会": "organ", "工委": "organ",
    "工作委员会": "organ", "委员会": "organ", "人民政府": "organ", "政府": "organ",
    "人大常委会": "functional", "人大": "functional", "政协": "functional", "街道办事处": "organ",
    "办事处": "organ", "委": "organ",
    "纪委监委": "functional", "纪工委": "functional", "纪委": "functional", "监委": "functional",
    "纪检监察工委": "functional", "人民法院": "functional", "法院": "functional",
    "人民检察院": "functional", "检察院": "functional", "公安局": "functional",
    "公安分局": "functional", "派出所": "functional", "司法所": "functional",
    "组织部": "functional", "宣传部": "functional", "统战部": "functional", "武装部": "functional",
    "人武部": "functional", "政法委": "functional", "编办": "functional", "财政所": "functional",
    "常委会": "functional", "中心组": "functional", "党校": "functional", "监狱": "functional",
    "看守所": "functional", "图书馆": "functional", "博物馆": "functional", "文化馆": "functional",
    "档案馆": "functional", "美术馆": "functional", "纪念馆": "functional", "科技馆": "functional",
    # mass organisations and media centres (县妇联, 市总工会, 县融媒体中心)
    "妇联": "functional", "文联": "functional", "社科联": "functional", "科协": "functional",
    "侨联": "functional", "工商联": "functional", "残联": "functional", "总工会": "functional",
    "红十字会": "functional", "融媒体中心": "functional",
    "部门": "dept", "办公厅": "dept",
    "局": "dept", "分局": "dept", "厅": "dept", "办公室": "dept", "办": "dept", "中心": "dept",
    "所": "dept", "站": "dept", "大队": "dept", "中队": "dept", "支队": "dept", "队": "dept",
    "部": "dept", "处": "dept", "科": "dept",
    "社区居委会": "name", "居委会": "name", "村委会": "name", "村民委员会": "name",
    "居民委员会": "name", "社区": "name", "股份经济合作社": "name", "经济联合社": "name",
    "经联社": "name", "合作社": "name", "股份有限公司": "name", "有限责任公司": "name",
    "有限公司": "name", "公司": "name", "集团": "name", "学校": "name", "小学": "name",
    "中学": "name", "大学": "name", "学院": "name", "幼儿园": "name", "医院": "name",
    "卫生院": "name", "银行": "name", "支行": "name", "协会": "name", "商会": "name",
    "联盟": "name", "研究院": "name", "科学院": "name", "敬老院": "name", "养老院": "name",
    "福利院": "name", "分院": "name", "校区": "name",
}
# what must not follow a suffix for it to be one (委托, 办理, 局面, 部分, 中心工作 …)
_NOT_AFTER: Final[dict[str, str]] = {
    "委": "员托派屈任婉身", "局": "面势限部", "办": "理法公事学好实结案成件到", "所": "有属以在需谓得长提做说采述作用同想能",
    "站": "在起岗位点稳", "队": "伍员列", "部": "分门署长署位队", "处": "理置罚分于在长事",
    "中心": "城区工组任镇环", "科": "学技长研", "厅": "长", "社区": "居", "党组": "织",
    "中学": "习生", "中心组": "建织成合员", "人大": "代", "政协": "委", "常委会": "议", "党校": "友",
    "组织部": "门署分队", "宣传部": "门署分队", "统战部": "门署分队", "武装部": "门署分队",
    "人武部": "门署分队", "人大常委会": "议",
}
# what must not precede a suffix (布局, 常委, 干部, 场所, 网站, 中小学 …)
_NOT_BEFORE: Final[dict[str, str]] = {
    "局": "布格结当骗赌开大全时政邮药", "委": "常支编", "部": "干全内外局头底面顶细俱本总", "部门": "各全本",
    "所": "场厕住诊处", "站": "网车", "处": "好之到各此坏深益难", "科": "学理工文本专医外内",
    "中心": "为", "办": "督承创举主兴开代包协", "队": "排团", "小学": "中", "公司": "子", "学校": "小",
}
SUFFIX_RE = re.compile(
    "|".join(
        (f"(?<![{_NOT_BEFORE[s]}])" if s in _NOT_BEFORE else "")
        + re.escape(s) + (f"(?![{_NOT_AFTER[s]}])" if s in _NOT_AFTER else "")
        for s in sorted(_SUFFIXES, key=lambda s: (-len(s), s))
    )
)
_LEVEL_RE = re.compile(r"中共|辖区|全区|全市|全县|自治区|开发区|高新区|新区|园区|街道|社区|省|市|州|盟|县|区|旗|镇|乡|村|街")
_PLACE_UNIT_RE = re.compile(r"省|自治区|市|州|盟|县|区|旗|镇|乡|街道|社区|村|街")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# one-character words that end a name on its left (a preposition, a pronoun, a particle)
_BOUNDARY_CHARS: Final[frozenset[str]] = frozenset(
    "对向由在从与和及并或为将把被给是的了等以至到同跟让使请其该各全本我你他她它这此每之即也已再又还含"
    "就才均皆共受往按据依令要需应能可得着过后时内外有不没若则而但且"
)
#: … unless followed by one of these (和平区, 住房和城乡建设局, 人力资源和社会保障局, 从化区,
#: 同安区 …); read-only: the ORG decider reads it too
BOUNDARY_EXCEPT: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "和": ("平", "城乡", "信息", "社会", "田", "林", "旅游", "体育", "计划", "改革", "自然",
           "综合执法", "综合行政", "农村", "草原", "物资", "数据", "规划"),
    "同": ("安", "心"), "内": ("江", "蒙", "乡"), "外": ("滩",), "从": ("化", "江"),
    "向": ("阳",), "全": ("州", "椒", "南"),
    "共": ("青", "产党", "安全", "服务", "管理", "事务", "卫生", "文化", "资源", "交通", "法律", "就业"),
})
BOUNDARY_WORDS: Final[frozenset[str]] = frozenset("""
根据 按照 依据 依照 通过 经过 围绕 针对 关于 对于 结合 会同 联合 配合 协调 协助 督促 推动 推进
指导 要求 责成 成立 召开 组织 印发 制定 出台 报送 提请 移交 移送 通报 约谈 牵头 负责 落实 开展
组建 建立 健全 完善 加强 依托 联系 邀请 请示 报请 提交 上报 下发 转发 发挥 强化 督导 检查 深入
走访 前往 赶赴 进驻 派驻 参加 参与 召集 主持 带领 率领 研究 部署 审议 听取 汇报 报告 反馈 发现
指出 反映 认为 提出 明确 实现 完成 确保 持续 全面 积极 主动 及时 专门 多次 先后 分别 共同 统筹
整合 整治 处理 查处 立案 审查 调查 派出 下设 设立 设置 成为 作为 属于 隶属 包括 涉及 共有 其中
以及 延伸 巡察 巡视 期间 目前 今年 去年 同时 此外 另外 并且 以来 进行 实施 启动 推行 协同 商请
支持 帮助 引导 要求 督查 抽查 考核 评估 约请 动员 号召 宣传 培训 走进 深入到 来到 回到 会商
对接 沟通 衔接 交由 转交 转办 交办 移送至 抄送 抄告 致函 函告 告知 通知 传达 学习 贯彻 传达至
聚焦 坚持 推广 总结 提升 优化 改进 规范 清理 排查 摸排 核查 核实 复核 整顿 约见 谈话 提醒
批评 问责 追责 处分 处罚 罚款 责令 限期 拨付 投入 安排 争取 申请 申报 审批 批复 同意 获得
获评 被评 评为 荣获 入选 纳入 列入 编入 并入 划入 归入 接受 配备 选派 选配 选拔 调整 调任
任命 担任 兼任 主管 分管 协管 代管 托管 共建 联建 挂点 挂钩 对口 结对 包片 驻点 蹲点 督办
函报 呈报 报请 报备 抄报 函告 依靠 会商
""".split())
_MAX_HEAD = 20
# words that make a head a phrase rather than a name
BAD_HEAD_RE = re.compile(
    r"工作|整改|领导|小组|问题|会议|方案|制度|机制|措施|任务|责任|情况|要求|意见|反馈|落实|推进|开展"
    r"|加强|提升|成立|召开|督促|专项|领域|方面|以上|以下|多个|部分|所有|一些|有关|相关|个|些|项|名"
    r"|人员|群众|居民|干部|党员|书记|主任|负责人|同志|成员|队伍|力量|体系|平台|阵地|网格|活动|行动"
    r"|亲自|具体|重点|主要|各类|全体|本级|上级|下级|基层|属地|所属|下属|直属|涉及|其他|其它|这些|每个"
    r"|届|三甲|规划|科室|配套|网站|门户|业主"
)
# heads that are descriptions, not names (物业公司, 供水公司, 国有企业 …)
_GENERIC_NAMES: Final[frozenset[str]] = frozenset("""
物业 燃气 供水 供电 建筑 施工 企业 国有 民营 私营 涉事 第三方 专业 中介 保安 保洁 外卖 快递 运输 餐饮
网约车 出租车 商业 金融 担保 投资 房地产 开发 劳务 科技 信息 文化 旅游 农业 工业 城市 农村 乡村
医疗 卫生 教育 学校 社会 服务 管理 综合 执法 基层 机关 事业 单位 部门 系统 辖 委 党 党委 政府
人民政府 人大 政协 工 总 分 本 该 各 全 我 街 道 区 市 县 镇 乡 村 省 中共 纪 监 纪委 监委 公共
业主 居民 村民 职工 股东 监事 理事 董事 家长 监督 监察 学生 老年 妇女 儿童 残疾人 小
""".split())
# leading words cut from a head: frequent verbs, adverbs, adjectives, pronouns (from the jieba
# dictionary, MIT licence, 2-character entries with those tags above a frequency threshold,
# place-like words removed) plus verbs of the genre; and one-character counters/time words.
_CUT_CHARS: Final[frozenset[str]] = frozenset("年月日次批个项名位家届号")
_LEAD_COUNT_RE = re.compile(r"第?[〇零一二两三四五六七八九十百]{1,12}+(?:季度|个|批|轮|次|项|名|家|年|月|日|届|期)")
_TITLE_RE = re.compile(r"《[^《》\n]{0,300}》")

# the inspected organisations: 对X(进行|开展)了…巡视/巡察, 进驻X开展巡察
_TARGET_RE = re.compile(
    r"(?:对|进驻)(?P<t>[^,。;:!?,;:!?\n]{2,120}?)"
    r"(?:进行|开展|实施)了?(?:为期[^,。,]{1,8}的)?[^,。;,;对\n]{0,14}?(?P<kind>巡视|巡察)"
)
_STRONG_SPLIT_RE = re.compile(r"(?:[及和并]|以及)?延伸(?:巡察|巡视)?(?:了)?对?|以及|及其|及")
_WEAK_SPLIT_RE = re.compile(r"[、和与,,]")
_ALIAS_PAREN_RE = re.compile(r"[((](?:以下)?(?:简称|下称)[^))]{0,40}[))]")
_PAREN_RE = re.compile(r"[((][^))]{0,40}[))]")
_INCLUDED_RE = re.compile(r"[((](?:含|包括|包含)(?P<l>[^()()]{2,60})[))]")
_GENERIC_TARGET_RE = re.compile(r"^(?:所属|下属|各|相关|有关|部分|其|该|本|辖区|全部|所辖)")
#: A self-reference without a proper name (我乡, 我院党组, 委党组): resolved to the notice's own
#: name, never a target or an ORG by itself (annotation ruling R3).
SELF_REFERENCE_RE: Final[re.Pattern[str]] = re.compile(
    r"^(?:我(?:省|市|县|区|乡|镇|街道?|单位|局|委|办|院|校|公司|部|厅|社区|村|中心)?"
    r"|(?:委|局|院|厅|办|中心|集团|校|部|会))(?:党委|党组|党工委|党总支)?$"
)
_ORG_END_RE = re.compile(
    "(?:" + "|".join(re.escape(s) for s in sorted(_SUFFIXES, key=len, reverse=True))
    + r"|省|自治区|市|州|盟|县|区|旗|镇|乡|街道|街|社区|村|党组织|巡察组|巡视组|机关)$"
)


# --------------------------------------------------------------------------- helpers


def _title_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TITLE_RE.finditer(text)]


def _inside(ranges: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and ranges[i][0] <= start < ranges[i][1]


def _is_boundary_at(text: str, i: int) -> int:
    """Length of a boundary word ending at ``i`` (exclusive), 0 if none."""
    for n in (4, 3, 2):
        if i - n >= 0 and text[i - n:i] in BOUNDARY_WORDS:
            return n
    ch = text[i - 1]
    if ch in _BOUNDARY_CHARS:
        if text.startswith(BOUNDARY_EXCEPT.get(ch, ()), i):
            return 0
        return 1
    return 0


def _head_start(text: str, s: int, limit: int = _MAX_HEAD) -> tuple[int, str]:
    """Where the head before position ``s`` begins, and what stopped it ('' at text/punct)."""
    i = s
    stop = max(0, s - limit)
    while i > stop:
        # 中共 is the start of a designation: take it and stop
        if i - 2 >= 0 and text[i - 2:i] == "中共":
            return i - 2, ""
        ch = text[i - 1]
        if not _CJK_RE.match(ch):
            return i, ""
        n = _is_boundary_at(text, i)
        if n:
            return i, text[i - n:i]
        i -= 1
    return i, "limit" if i > 0 else ""


def _cut_leading(text: str, h: int, s: int) -> int:
    """Move the head start past leading common words (提高社区党委 → 社区党委)."""
    while h < s:
        if text.startswith("中共", h):
            return h
        m = _LEAD_COUNT_RE.match(text, h, s)
        if m is not None:
            h = m.end()
        elif text[h:h + 2] in COMMON_WORDS and s - h >= 2:
            h += 2
        elif text[h] in _CUT_CHARS:
            h += 1
        else:
            break
    return h


def remaining_name(head: str) -> str:
    """``head`` without its level and place words (中共, 市, 区, 街道 …): what must name it.

    >>> remaining_name("中共荔湾区")
    '荔湾'
    """
    return _LEVEL_RE.sub("", head)


_LEVEL_PREFIX_RE = re.compile(
    r"(?:中共)?(?:国家|中央|国务院|[\u4e00-\u9fff]{0,10}?(?:自治区|省|市|州|盟|县|区|旗|镇|乡|苏木|街道|社区|村|嘎查))"
    r"(?:委|党委|党工委|工委|政府|人民政府)?"
)
_COMMITTEE_END_RE = re.compile(r"(?:委|党组|政府)$")
# organ suffixes whose head may be a stem without a level word (发改委, 卫健委员会)
_BARE_STEM_ORGAN: Final[frozenset[str]] = frozenset({"委", "委员会"})
# organ suffixes that take a stem head after a level word (区直属机关党工委, 县发改委)
_STEM_ORGAN: Final[frozenset[str]] = frozenset({"委", "委员会", "党工委", "工委", "党委", "党组"})
# suffixes that a committee designation alone makes specific: 区委办, 县政府办公室, 省委办公厅
_COMMITTEE_OFFICE: Final[frozenset[str]] = frozenset({"办", "办公室", "办公厅"})
# a government named by a country or region without a unit word (苏联政府, 日本政府)
_COUNTRIES: Final[frozenset[str]] = frozenset(
    "苏联 日本 印度 越南 朝鲜 老挝 缅甸 蒙古 古巴 埃及 伊朗 伊拉克 巴西 南非 以色列 香港 澳门".split()
)
_GOV_HEAD_RE = re.compile(r"(?:自治区|特区|省|市|州|盟|县|区|旗|镇|乡|街道|国)$")
_GENERIC_PLACE_END: Final[tuple[str, ...]] = (
    "城市", "都市", "地方", "省市", "市县", "县市", "地市", "州市", "乡镇", "县区", "区县", "市区",
    "各级", "本级", "基层", "各国", "外国", "国外", "本国", "他国", "邻国", "所在国", "全国",
)


_CLIQUE_END: Final[tuple[str, ...]] = (
    "反党", "反革命", "叛徒", "阴谋", "利益", "战争", "反动", "犯罪", "黑恶", "垄断", "军事", "恐怖",
)


def _segments(word: str, vocab: frozenset[str], max_parts: int = 3) -> bool:
    """Whether ``word`` is one to ``max_parts`` entries of ``vocab`` run together."""
    if not word:
        return False
    n = len(word)
    # reach[i]: fewest parts covering word[:i]
    reach = [0] + [max_parts + 1] * n
    for i in range(n):
        if reach[i] >= max_parts:
            continue
        for j in range(i + 1, min(n, i + _MAX_STEM) + 1):
            if word[i:j] in vocab and reach[i] + 1 < reach[j]:
                reach[j] = reach[i] + 1
    return reach[n] <= max_parts


def _stem_organ(head: str, suffix: str) -> bool:
    """An organ named by function: [level prefix] + stems + suffix (县发改局, 规自局, 区委办)."""
    kind = _SUFFIXES.get(suffix, "dept")
    if kind not in ("dept", "functional") and suffix not in _STEM_ORGAN:
        return False
    for i in range(len(head) + 1):
        lvl, core = head[:i], head[i:]
        if lvl and not _LEVEL_PREFIX_RE.fullmatch(lvl):
            continue
        if not lvl:
            if suffix == "部门" or (kind == "organ" and suffix not in _BARE_STEM_ORGAN):
                continue
            if suffix == "中心" and any(core.endswith(f) for f in _FACILITY):
                continue  # 文化中心, 金融中心: places
        if not core:
            if lvl and (_COMMITTEE_END_RE.search(lvl) or lvl.endswith(("中央", "国务院"))) and suffix in _COMMITTEE_OFFICE:
                return True
            continue
        if _segments(core, _STEMS):
            return True
    return False


def _all_generic(rest: str) -> bool:
    """Whether a head is made only of category words (公立, 农业生产, 信托): no proper name."""
    return _segments(rest, _GENERIC_VOCAB, max_parts=4)


def _government_head(head: str) -> bool:
    """政府 needs a place or country (荔湾区政府, 中国政府), not a concept (法治政府, 地方政府)."""
    if head in _COUNTRIES:
        return True
    if len(head) < 2 or head.endswith(_GENERIC_PLACE_END) or BAD_HEAD_RE.search(head):
        return False
    return bool(_GOV_HEAD_RE.search(head))


def is_specific_org(head: str, suffix: str) -> bool:
    """Whether ``head`` + ``suffix`` designates a specific organisation (see module doc).

    >>> is_specific_org("龙穴街道", "党工委"), is_specific_org("街道", "党工委")
    (True, False)
    >>> is_specific_org("区住建", "局"), is_specific_org("区", "纪委监委")
    (True, True)
    >>> is_specific_org("规自", "局"), is_specific_org("法治", "政府")
    (True, False)
    """
    kind = _SUFFIXES.get(suffix, "dept")
    if suffix == "中心组" and head.endswith("理论学习"):
        head = head[:-4]  # 理论学习中心组, 区委理论学习中心组
    if suffix in ("中心组", "常委会"):
        # the committee's own bodies: 中心组, 区委中心组, 县委常委会
        return not head or head.endswith("党组") or (bool(_COMMITTEE_END_RE.search(head)) and not BAD_HEAD_RE.search(head))
    if not head:
        return suffix in _BARE
    if _stem_organ(head, suffix):
        return True
    if suffix == "部门":
        return False  # 相关职能部门, 水务部门: only <level> + function + 部门
    if BAD_HEAD_RE.search(head):
        return False
    if suffix == "集团" and head.endswith(_CLIQUE_END):
        return False  # 利益集团, 反革命集团: a clique or a category, not a business group
    if suffix == "委员会" and head == "中央":
        return False  # like 党中央: a bare designation
    if suffix in ("政府", "人民政府"):
        if head == "中央":
            return suffix == "人民政府"  # 中央政府 is a bare designation, 中央人民政府 a name
        return _government_head(head)
    rest = remaining_name(head)
    has_place = head.startswith("中共") or bool(_PLACE_UNIT_RE.search(head))
    if kind == "functional":
        if not has_place and is_generic_head(rest):
            return False
        return has_place or len(rest) >= 2
    if not rest or is_generic_head(rest):
        return False
    if kind == "organ":
        # a proper name is needed: 龙穴街道党工委, 荔湾区委; not 街道党工委, 区委
        return len(rest) >= 2
    if kind == "dept":
        return has_place and len(head) >= 2
    # "name": communities, companies, schools …
    return len(rest) >= 2


def find_inspectors(text: str) -> list[Span]:
    """Inspection groups with their place prefix ([广州市委第一巡察组], [省委第十巡视组]).

    >>> [s.text for s in find_inspectors("经研究,区委巡察三组于3月进驻")]
    ['区委巡察三组']
    """
    out: list[Span] = []
    for m in _INSPECTOR_RE.finditer(text):
        start = m.start()
        if m.group().startswith(("中央", "党委", "党组")):
            # an enterprise/department committee needs its owner's name: 集团党委第一巡察组
            if not m.group().startswith("中央"):
                h, _ = _head_start(text, start)
                head = text[h:start]
                if len(remaining_name(head)) < 2 or BAD_HEAD_RE.search(head):
                    continue
                start = h
        else:
            h, _ = _head_start(text, start, limit=12)
            h = _cut_leading(text, h, start)
            head = text[h:start]
            if head and not BAD_HEAD_RE.search(head) and len(remaining_name(head)) >= 2:
                start = h
        out.append(Span(start, m.end(), "ORG", text[start:m.end()]))
    return out


# a count that sums up a list of targets: 等4家单位, 等八个社区党组织
_SUMMARY_TAIL_RE = re.compile(r"等?[0-9〇零一二两三四五六七八九十百]{1,12}+(?:家|个|所)[\u4e00-\u9fff]{0,8}$")


def _split_targets(chunk: str, offset: int) -> list[tuple[int, int]]:
    """Split a 对X开展巡察 object into organisations, as (start, end) offsets."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _STRONG_SPLIT_RE.finditer(chunk):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(chunk)))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        piece = chunk[a:b]
        inc = _INCLUDED_RE.search(piece)
        if inc:
            # 县委宣传部(含县融媒体中心、县社科联): the body and each unit it includes
            out.append((a, a + inc.start()))
            p = inc.start("l")
            for m in _WEAK_SPLIT_RE.finditer(piece, p, inc.end("l")):
                out.append((a + p, a + m.start()))
                p = m.end()
            out.append((a + p, a + inc.end("l")))
            continue
        # mask parentheticals so their punctuation does not split
        masked = _PAREN_RE.sub(lambda m: "_" * len(m.group()), piece)
        subs: list[tuple[int, int]] = []
        p = 0
        for m in _WEAK_SPLIT_RE.finditer(masked):
            subs.append((p, m.start()))
            p = m.end()
        subs.append((p, len(piece)))
        tail = _SUMMARY_TAIL_RE.search(masked)
        if tail and len(subs) > 1:
            # "甲局、乙局等2家单位": the count summarises the list; split what precedes 等
            x, _ = subs[-1]
            subs[-1] = (x, tail.start())
        if len(subs) > 1 and all(_ORG_END_RE.search(_clean_piece(piece[x:y])[2]) for x, y in subs):
            out.extend((a + x, a + y) for x, y in subs)
        else:
            out.append((a, b))
    result = []
    for a, b in out:
        lead, trail, _ = _clean_piece(chunk[a:b])
        if a + lead < b - trail:
            result.append((offset + a + lead, offset + b - trail))
    return result


def _clean_piece(piece: str) -> tuple[int, int, str]:
    """Leading/trailing characters to trim from a target piece, and the trimmed text."""
    m = _ALIAS_PAREN_RE.search(piece)
    core = piece[: m.start()] if m else piece
    trail = len(piece) - len(core)
    stripped = core.rstrip(" 等")
    trail += len(core) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip(" "))
    return lead, trail, stripped.strip()


def inspection_target_spans(text: str, *, limit: int | None = None) -> list[tuple[Span, str]]:
    """The organisations in 对X开展了巡察 / 对X进行了巡视 clauses, with the kind (巡视/巡察).

    Spans are labelled ORG and carry the text as written (pronouns like 我乡 included; the
    header resolves them).

    >>> [(s.text, k) for s, k in inspection_target_spans("区委第三巡察组对龙穴街道党工委及延伸对龙穴社区党支部开展了巡察")]
    [('龙穴街道党工委', '巡察'), ('龙穴社区党支部', '巡察')]
    """
    region = text if limit is None else text[:limit]
    out: list[tuple[Span, str]] = []
    for m in _TARGET_RE.finditer(region):
        chunk = m.group("t")
        if "巡视组" in chunk or "巡察组" in chunk:
            continue
        for a, b in _split_targets(chunk, m.start("t")):
            out.append((Span(a, b, "ORG", text[a:b]), m.group("kind")))
    return out


# verbs that also occur inside names after a place (广州市城市建设投资集团)
_NAME_VERBS: Final[frozenset[str]] = frozenset({"建设", "发展", "服务于", "代表"})


def _cut_verbs(head: str) -> int:
    """Characters to cut from the left of a head after a verb it swallowed (建设|法治政府).

    A verb that also occurs in names (建设) is cut only where no place unit precedes it:
    广州市城市建设投资集团 keeps its name.
    """
    cut = 0
    i = 0
    while i < len(head):
        for n in (3, 2, 1):
            if head[i:i + n] in VERBS:
                if head[i:i + n] in _NAME_VERBS and _PLACE_UNIT_RE.search(head[:i]):
                    return cut
                cut = i + n
                i += n - 1
                break
        i += 1
    return cut


def _committee_start(text: str, pos: int) -> int:
    """Start of the committee that owns a body written at ``pos`` (区委|理论学习中心组), else pos."""
    word = text[pos - 2:pos]
    if word not in _COMMITTEE_WORDS:
        return pos
    h, _ = _head_start(text, pos - 2)
    if h < pos - 2 and is_specific_org(text[h:pos - 2], word):
        return h  # 市政协|党组
    return pos - 2


def _suffix_candidates(text: str) -> Iterable[Span]:
    for m in SUFFIX_RE.finditer(text):
        s, e = m.start(), m.end()
        suffix = m.group()
        h, stop = _head_start(text, s)
        # a boundary word that is itself an organ stem (街道[巡察]整改办公室): read on
        for _ in range(2):
            if not stop or stop not in _STEMS:
                break
            h2, stop2 = _head_start(text, h - len(stop))
            if not _LEVEL_PREFIX_RE.fullmatch(text[h2:h - len(stop)]):
                h3 = _cut_leading(text, h2, h - len(stop))
                if h3 >= h - len(stop) or not _LEVEL_PREFIX_RE.fullmatch(text[h3:h - len(stop)]):
                    break  # 组织[区教育部门]: the stem word is a verb before the level word
                h2 = h3
            if _stem_organ(text[h2:s], suffix):
                h, stop = h2, stop2
                continue
            h3 = _cut_leading(text, h2, s)
            if not _stem_organ(text[h3:s], suffix):
                break
            h, stop = h3, stop2
        if not _stem_organ(text[h:s], suffix):
            h = _cut_leading(text, h, s)
            if not _stem_organ(text[h:s], suffix):
                h += _cut_verbs(text[h:s])
        if text[h - 2:h] == "最高" and text.startswith(("人民法院", "人民检察院"), h):
            h -= 2  # 最高人民法院: 最高 is part of the name, not an adverb
        if suffix == "中心组" and text[s - 4:s] == "理论学习":
            h = _committee_start(text, s - 4)  # [区委理论学习中心组], [市政协党组理论学习中心组]
        if h > 0 and text[h - 1] in "各全该本我其每" and text[h - 2:h] != "中共":
            continue  # 各社区党组织, 全区各单位, 该局: references, not names
        head = text[h:s]
        if len(head) >= 2 and head[:2] in ("有关", "相关", "所属", "下属"):
            continue
        if h == s and h > 0 and text[h - 1] in "级类些":
            continue  # 各级纪委, 各类中心组: classes
        if not is_specific_org(head, suffix):
            continue
        if suffix in ("政府", "人民政府") and text.startswith(_GOV_NOT_AFTER, e):
            continue  # 无政府主义, 做好政府工作, 地方政府性债务
        yield Span(h, e, "ORG", text[h:e])


# a conjunct that shares the elided prefix of the organ before it: [区人大]、[政协]、[法院]
_CONJUNCT_RE = re.compile(
    r"[、和及与]((?:省|市|区|县|旗|镇|乡)?(?:人大常委会|人大|政协|人民法院|法院|人民检察院|检察院"
    r"|纪委监委|纪委|监委|人民政府|政府))(?![工部机办采性职代委常门系院所局队间])"
)
_CONJUNCT_HEAD_RE = re.compile(r"(?:委|人大|政协|法院|检察院|政府|常委会|监委)$")
_GOV_NOT_AFTER: Final[tuple[str, ...]] = (
    "主义", "工作", "性", "职能", "间", "采购", "投资", "债", "官员", "行为", "信息公开", "部门", "机构",
)


def _conjuncts(text: str, spans: list[Span]) -> list[Span]:
    """Organs listed after a specific organ with its prefix elided (区委、区政府; 区人大、政协)."""
    out: list[Span] = []
    for sp in spans:
        cur = sp
        for _ in range(8):
            if not _CONJUNCT_HEAD_RE.search(cur.text):
                break
            m = _CONJUNCT_RE.match(text, cur.end)
            if m is None:
                break
            word = m.group(1)
            if word.endswith("政府") and (len(word) == len(word.lstrip("省市区县旗镇乡")) or word[0] not in cur.text):
                break  # bare 政府 stays untagged; 区政府 only after a committee of that level
            cur = Span(m.start(1), m.end(1), "ORG", word)
            out.append(cur)
    return out


def _resolve(spans: list[Span]) -> list[Span]:
    """Keep the longest of overlapping spans (ties: the earlier one); sorted by start."""
    starts: list[int] = []
    chosen: list[Span] = []
    for sp in sorted(set(spans), key=lambda x: (-(x.end - x.start), x.start)):
        i = bisect.bisect_left(starts, sp.start)
        if i > 0 and chosen[i - 1].end > sp.start:
            continue
        if i < len(chosen) and chosen[i].start < sp.end:
            continue
        starts.insert(i, sp.start)
        chosen.insert(i, sp)
    return chosen


# a group set up for the rectification (or the standing inspection-work group) is a named body
# (annotation guide ORG-9): 巡视整改工作领导小组, 区委巡视整改领导小组, 省委巡视工作领导小组
_WORKGROUP_RE = re.compile(
    r"(?:巡视|巡察)?(?:“回头看”|回头看)?(?:反馈意见|反馈问题)?整改(?:落实)?(?:督查)?(?:工作)?"
    r"领导小组(?:办公室)?|(?P<standing>(?:巡视|巡察)工作领导小组(?!办公室))"
)
_COMMITTEE_WORDS: Final[frozenset[str]] = frozenset(
    {"区委", "市委", "县委", "省委", "州委", "旗委", "党委", "党组", "党工委"}
)


def _workgroups(text: str, spans: list[Span]) -> list[Span]:
    """Rectification working groups, with the committee or organisation that set them up."""
    ends = {sp.end: sp for sp in spans}
    out = []
    for m in _WORKGROUP_RE.finditer(text):
        s, e = m.span()
        if s in ends:
            s = ends[s].start  # 市委第三巡察组|反馈意见整改工作领导小组, 中共…委员会|巡视整改…
        elif text[s - 3:s] in _COMMITTEE_WORDS:
            s -= 3
        elif text[s - 2:s] in _COMMITTEE_WORDS:
            s -= 2
        elif m.group("standing"):
            continue  # a bare 巡察工作领导小组 names no one
        if text[s - 2:s] == "落实" and text[s:s + 1] in "中省市区县州":
            s -= 2  # 落实省委巡视反馈意见整改工作领导小组
        out.append(Span(s, e, "ORG", text[s:e]))
    return out


def find_orgs(text: str) -> list[Span]:
    """Every specific organisation in ``text`` as an ORG span, sorted by start.

    >>> [s.text for s in find_orgs("由区住建局牵头,街道党工委督办")]
    ['区住建局']
    """
    if not isinstance(text, str) or not text:
        return []
    titles = _title_ranges(text)
    starts = [r[0] for r in titles]
    spans: list[Span] = list(find_inspectors(text))
    spans.extend(_suffix_candidates(text))
    for sp, _kind in inspection_target_spans(text):
        t = sp.text
        if SELF_REFERENCE_RE.match(t) or _GENERIC_TARGET_RE.match(t) or re.search(r"[\d个等]", t):
            continue
        if len(t) < 2 or len(t) > 40:
            continue
        spans.append(sp)
    spans = _resolve(spans)
    spans.extend(_conjuncts(text, spans))
    spans.extend(_workgroups(text, spans))
    spans = [s for s in spans if not (titles and _inside(titles, starts, s.start, s.end))]
    return _resolve(spans)


COMMON_WORDS: Final[frozenset[str]] = _load_words("common_words.txt")
_LEXICON: Final[dict[str, frozenset[str]]] = _load_sections("organ_names.txt")
_STEMS: Final[frozenset[str]] = _LEXICON.get("stems", frozenset())
_BARE: Final[frozenset[str]] = _LEXICON.get("bare", frozenset())
VERBS: Final[frozenset[str]] = _LEXICON.get("verbs", frozenset())
_FACILITY: Final[tuple[str, ...]] = tuple(_LEXICON.get("facility", ()))
_GENERIC_VOCAB: Final[frozenset[str]] = (
    _LEXICON.get("generic", frozenset()) | _GENERIC_NAMES | COMMON_WORDS
)
_MAX_STEM: Final[int] = max((len(w) for w in _STEMS | _GENERIC_VOCAB), default=1)


def is_generic_head(rest: str) -> bool:
    """Whether a head without its place words (:func:`remaining_name`) is only category words
    (物业, 综合执法, 公立 …): no proper name.

    >>> is_generic_head("物业"), is_generic_head("荔湾")
    (True, False)
    """
    return rest in _GENERIC_NAMES or _all_generic(rest)
