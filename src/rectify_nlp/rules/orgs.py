"""The ORG rule: specific organisations, found from their designation suffix.

An organisation is tagged with its full designation as written, place prefix included
([区委第三巡察组], [龙穴街道党工委], [区住建局], [广州市乐丰渔业养殖有限公司]).  The rule is
suffix-driven: a suffix (党工委, 党委, 党组, 委员会, 巡察组, 局, 办公室, 社区, 公司, 学校 …) is
found, its head is read leftwards up to a boundary (punctuation, a preposition or a verb of
the genre), and the candidate is kept only when the head makes it *specific*:

* a proper name (龙穴街道党工委, 南沙开发区党工委, 中共莞城街道工作委员会), or
* a department after a level word (区住建局, 区纪委监委, 街道党建办公室), or
* a number (区委第三巡察组, 市委巡察三组, 区委4个巡察组).

Bare generic words that only refer back (街道, 党工委, 区委, 省委, 开发区党工委, 各单位,
各社区党组织) are not tagged, nor task phrases (整改工作领导小组), nor anything inside 《》.
A place name is tagged where it stands for the inspected organisation (对[广州市荔湾区]进行了
巡视); elsewhere it is a place.  Precision comes before recall.

>>> [s.text for s in find_orgs("7月30日,区委第三巡察组向龙穴街道党工委反馈了巡察意见。")]
['区委第三巡察组', '龙穴街道党工委']
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from typing import Final

from rectify_nlp.spans import Span

logger = logging.getLogger(__name__)

__all__ = ["INSPECTOR_PATTERN", "find_orgs", "find_inspectors", "inspection_target_spans",
           "is_specific_org"]

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
    "人大常委会": "organ", "人大": "organ", "政协": "organ", "街道办事处": "organ",
    "办事处": "organ", "委": "organ",
    "纪委监委": "functional", "纪工委": "functional", "纪委": "functional", "监委": "functional",
    "纪检监察工委": "functional", "人民法院": "functional", "法院": "functional",
    "人民检察院": "functional", "检察院": "functional", "公安局": "functional",
    "公安分局": "functional", "派出所": "functional", "司法所": "functional",
    "组织部": "functional", "宣传部": "functional", "统战部": "functional", "武装部": "functional",
    "政法委": "functional", "编办": "functional", "财政所": "functional",
    "局": "dept", "分局": "dept", "厅": "dept", "办公室": "dept", "办": "dept", "中心": "dept",
    "所": "dept", "站": "dept", "大队": "dept", "中队": "dept", "支队": "dept", "队": "dept",
    "部": "dept", "处": "dept", "科": "dept",
    "社区居委会": "name", "居委会": "name", "村委会": "name", "村民委员会": "name",
    "居民委员会": "name", "社区": "name", "股份经济合作社": "name", "经济联合社": "name",
    "经联社": "name", "合作社": "name", "股份有限公司": "name", "有限责任公司": "name",
    "有限公司": "name", "公司": "name", "集团": "name", "学校": "name", "小学": "name",
    "中学": "name", "大学": "name", "学院": "name", "幼儿园": "name", "医院": "name",
    "卫生院": "name", "银行": "name", "支行": "name", "协会": "name", "商会": "name",
}
# what must not follow a suffix for it to be one (委托, 办理, 局面, 部分, 中心工作 …)
_NOT_AFTER: Final[dict[str, str]] = {
    "委": "员托派屈任婉身", "局": "面势限部", "办": "理法公事学好实结案成件到", "所": "有属以在需谓得长",
    "站": "在起岗位点稳", "队": "伍员列", "部": "分门署长署位", "处": "理置罚分于在长事",
    "中心": "城区工组任镇环", "科": "学技长研", "厅": "长", "社区": "居", "党组": "织",
}
# what must not precede a suffix (布局, 常委, 干部, 场所, 网站, 中小学 …)
_NOT_BEFORE: Final[dict[str, str]] = {
    "局": "布格结当骗赌开大全时政邮药", "委": "常支编", "部": "干全内外局头底面顶细俱本",
    "所": "场厕住诊处", "站": "网车", "处": "好之到各此坏深益难", "科": "学理工文本专医外内",
    "中心": "为", "办": "督承创举主兴开代包协", "队": "排团", "小学": "中", "公司": "子", "学校": "小",
}
_SUFFIX_RE = re.compile(
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
    "对向由在从与和及并或为将把被给是的了等以至到同跟让使请其该各全本我你他她它这此每之即也已再又还"
    "就才均皆共受往按据依令要需应能可得着过后时内外有不没若则而但且"
)
# … unless followed by (和平区, 住房和城乡建设局, 人力资源和社会保障局, 从化区, 同安区 …)
_BOUNDARY_EXCEPT: Final[dict[str, tuple[str, ...]]] = {
    "和": ("平", "城乡", "信息", "社会", "田", "林", "旅游", "体育", "计划", "改革"),
    "同": ("安", "心"), "内": ("江", "蒙", "乡"), "外": ("滩",), "从": ("化", "江"),
    "向": ("阳",), "全": ("州", "椒", "南"), "共": ("青",),
}
_BOUNDARY_WORDS: Final[frozenset[str]] = frozenset("""
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
""".split())
_MAX_HEAD = 20
# words that make a head a phrase rather than a name
_BAD_HEAD_RE = re.compile(
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
_LEAD_COUNT_RE = re.compile(r"第?[〇零一二两三四五六七八九十百]+(?:季度|个|批|轮|次|项|名|家|年|月|日|届|期)")
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
_GENERIC_TARGET_RE = re.compile(r"^(?:所属|下属|各|相关|有关|部分|其|该|本|辖区|全部|所辖)")
_PRONOUN_RE = re.compile(r"^我(?:省|市|县|区|乡|镇|街道?|单位|局|委|办|院|校|公司|部|厅|社区|村|中心|党委|党组)$")
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
        if i - n >= 0 and text[i - n:i] in _BOUNDARY_WORDS:
            return n
    ch = text[i - 1]
    if ch in _BOUNDARY_CHARS:
        if text.startswith(_BOUNDARY_EXCEPT.get(ch, ()), i):
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
        elif text[h:h + 2] in _COMMON_WORDS and s - h >= 2:
            h += 2
        elif text[h] in _CUT_CHARS:
            h += 1
        else:
            break
    return h


def _remaining_name(head: str) -> str:
    return _LEVEL_RE.sub("", head)


def is_specific_org(head: str, suffix: str) -> bool:
    """Whether ``head`` + ``suffix`` designates a specific organisation (see module doc).

    >>> is_specific_org("龙穴街道", "党工委"), is_specific_org("街道", "党工委")
    (True, False)
    >>> is_specific_org("区住建", "局"), is_specific_org("区", "纪委监委")
    (True, True)
    """
    kind = _SUFFIXES.get(suffix, "dept")
    if not head:
        return False
    if _BAD_HEAD_RE.search(head):
        return False
    rest = _remaining_name(head)
    has_place = head.startswith("中共") or bool(_PLACE_UNIT_RE.search(head))
    if kind == "functional":
        return has_place or len(rest) >= 2
    if not rest or rest in _GENERIC_NAMES:
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
                if len(_remaining_name(head)) < 2 or _BAD_HEAD_RE.search(head):
                    continue
                start = h
        else:
            h, _ = _head_start(text, start, limit=12)
            h = _cut_leading(text, h, start)
            head = text[h:start]
            if head and not _BAD_HEAD_RE.search(head) and len(_remaining_name(head)) >= 2:
                start = h
        out.append(Span(start, m.end(), "ORG", text[start:m.end()]))
    return out


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
        # mask parentheticals so their punctuation does not split
        masked = _PAREN_RE.sub(lambda m: "_" * len(m.group()), piece)
        subs: list[tuple[int, int]] = []
        p = 0
        for m in _WEAK_SPLIT_RE.finditer(masked):
            subs.append((p, m.start()))
            p = m.end()
        subs.append((p, len(piece)))
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


def _suffix_candidates(text: str) -> Iterable[Span]:
    for m in _SUFFIX_RE.finditer(text):
        s, e = m.start(), m.end()
        h, _stop = _head_start(text, s)
        h = _cut_leading(text, h, s)
        if h > 0 and text[h - 1] in "各全该本我其每" and text[h - 2:h] != "中共":
            continue  # 各社区党组织, 全区各单位, 该局: references, not names
        head = text[h:s]
        if len(head) >= 2 and head[:2] in ("有关", "相关", "所属", "下属"):
            continue
        if not is_specific_org(head, m.group()):
            continue
        yield Span(h, e, "ORG", text[h:e])


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
        if _PRONOUN_RE.match(t) or _GENERIC_TARGET_RE.match(t) or re.search(r"[\d个等]", t):
            continue
        if len(t) < 2 or len(t) > 40:
            continue
        spans.append(sp)
    spans = [s for s in spans if not (titles and _inside(titles, starts, s.start, s.end))]
    return _resolve(spans)


_COMMON_WORDS: Final[frozenset[str]] = frozenset("""
一举 一些 一再 一切 一同 一向 一大 一如 一定 一小 一幅 一律 一心 一批 一旦 一早 一时 一期 一来 一样 一直 一致 一般 一边 一齐 三甲 上乘 上书 上任 上前 上升 上午
上去 上年 上报 上来 上涨 上演 上班 上空 上级 上网 上行 上课 上述 下乡 下令 下列 下午 下去 下属 下岗 下手 下来 下楼 下水 下滑 下班 下落 下设 下调 下跌 下车 下载
下辖 下达 下降 下雨 下马 不一 不下 不中 不久 不乏 不了 不予 不仅 不会 不但 不住 不便 不停 不光 不免 不再 不准 不利 不到 不及 不变 不可 不吃 不合 不同 不善 不在
不堪 不够 不好 不如 不妨 不安 不定 不宜 不对 不小 不少 不尽 不屈 不已 不幸 不当 不得 不必 不忍 不怕 不惜 不想 不成 不敢 不断 不时 不明 不易 不是 不曾 不服 不止
不满 不然 不理 不用 不留 不知 不禁 不等 不算 不管 不肯 不胜 不能 不致 不良 不行 不见 不觉 不解 不让 不许 不论 不该 不负 不败 不足 不过 不远 不错 不难 不顾 与会
与其 与否 专注 且说 东汉 丢失 严厉 严峻 严格 严禁 严肃 严重 丧失 个个 中期 丰富 临时 临死 临近 为主 为了 为何 为准 为名 为害 为期 为止 为民 为生 为着 为重 为难
为首 主任 主动 主持 主要 举办 举动 举报 举措 举止 举行 乃是 乃至 之一 之中 之类 乐于 乘坐 乘着 也许 买卖 乱打 了解 予以 争取 争吵 争夺 争执 争论 事先 二则 于是
互动 互相 五代 五年 交付 交往 交待 交战 交换 交替 交涉 交纳 交给 交谈 交错 亦可 产于 产卵 产能 享受 享有 享用 亲临 亲切 亲手 亲眼 亲自 什么 仅仅 今后 今天 今年
今日 今晚 介于 介入 介绍 仍旧 仍然 从不 从业 从中 从事 从容 从小 从未 从来 从此 从而 仔细 他人 他们 他家 付出 代替 代谢 以为 以便 以免 以及 以外 以往 以此 以求
以示 以至 以致 以防 任何 任免 任意 任用 任职 仿佛 休息 休闲 优于 优秀 优美 优越 会上 会合 会同 会晤 会计 会谈 伟大 传入 传出 传到 传来 传真 传给 传达 传送 传递
传销 伤亡 伤害 伪装 估计 伴有 伴生 伴随 伸出 伸展 伸手 伺候 似乎 似地 但愿 但是 位于 位居 位置 低下 低于 体检 体现 何不 何以 何况 何处 何必 何时 何等 作为 作出
作战 作用 你们 你家 佩服 使出 使劲 使命 使得 使用 例外 例如 例行 供养 供奉 供求 依托 依据 依次 依然 依照 依赖 依附 依靠 侦察 侧身 侧重 侮辱 侵入 侵占 侵犯 侵略
侵蚀 便于 便利 便宜 便是 促使 促成 促进 促销 俗名 俗称 保住 保佑 保全 保卫 保存 保守 保护 保持 保留 保管 保证 信奉 信封 修养 修复 修建 修改 修炼 修理 修筑 修缮
修葺 修行 修订 俯身 倒下 倒退 倘使 倘若 借以 借助 借着 借鉴 倡导 值得 值班 值钱 倾向 倾听 倾斜 假使 假如 假定 假若 偏偏 偏离 做事 做出 做到 做好 做成 做梦 做法
做饭 停下 停战 停止 停滞 停留 停顿 健全 健康 健身 偶尔 偶然 偷偷 偷袭 偿还 催促 催化 像是 兀自 允许 元年 充分 充实 充满 充足 先后 先是 先进 克制 克服 免得 免疫
免除 兑换 入侵 入手 入睡 入选 全新 全然 全部 八年 公共 公办 公布 公开 公然 公认 共享 共同 共有 共计 关于 关切 关注 关照 关闭 兴奋 兴建 兴致 兴衰 兴起 其一 其中
其他 其余 其后 其它 其实 其时 其次 其间 具体 具备 具有 养成 兼任 兼备 兼并 兼有 兼职 兼顾 内讧 再三 再也 再度 再有 再次 再现 再生 再行 再说 写下 写作 写信 写出
写成 写道 冠以 冤枉 冬季 冲出 冲开 冲着 决不 决定 决心 决意 决战 决计 况且 冶炼 冷却 冷战 冷静 准备 准确 减小 减少 减弱 减肥 减轻 凝聚 凝视 几乎 几何 几经 凡是
凭借 凭着 出于 出任 出入 出兵 出击 出动 出卖 出去 出发 出台 出名 出国 出土 出差 出席 出征 出手 出来 出现 出生 出自 出色 出血 出行 出言 出路 出身 出门 击中 击落
击败 函报 分为 分享 分别 分割 分布 分开 分成 分手 分散 分明 分泌 分离 分行 分裂 分解 分辨 切割 切实 切断 切除 刊登 划分 列为 列举 列入 列强 刚刚 刚好 刚才 创制
创办 创建 创意 创新 创立 创造 初期 初步 判决 判处 判官 判断 利于 利害 利用 别人 别处 别的 别说 到位 到处 到底 到来 到达 制备 制定 制成 制服 制止 制订 制造 刺激
刻有 削减 削弱 前列 前去 前往 前来 前行 前身 剥削 剥夺 剧烈 剩下 剩余 割据 劝说 劝阻 加上 加之 加以 加入 加剧 加大 加强 加快 加油 加深 加热 加班 加紧 加速 加重
务实 动摇 动荡 助推 努力 势必 勇敢 勉强 募集 勾当 勾结 包含 包围 包括 包装 包裹 化为 化解 匹配 十足 升值 升起 升降 升高 协助 协定 协调 单独 单纯 南移 占地 占据
占有 占用 占领 危及 危急 危险 即位 即使 即便 即可 即将 即时 却是 却说 卷起 历来 历经 厉声 厉害 压低 压倒 压实 压抑 压紧 压缩 压迫 厌恶 原先 原始 原有 原来 厮杀
去世 去处 去年 县级 参与 参加 参战 参照 参考 参见 参谋 参赞 及其 及时 及至 友好 反之 反倒 反共 反击 反复 反对 反射 反弹 反思 反感 反手 反抗 反映 反正 反而 反馈
反驳 发光 发出 发射 发布 发扬 发抖 发挥 发掘 发放 发明 发泄 发现 发生 发病 发行 发表 发觉 发言 发起 发达 发送 取代 取决 取出 取名 取得 取消 取胜 受伤 受到 受命
受理 受益 受过 变为 变得 变成 变换 变更 叙述 叛乱 古代 古怪 另外 另行 叩头 只好 只得 只怕 只是 只有 只管 只能 只要 只见 只顾 叫作 叫做 叫化 叫卖 叫声 召回 召开
召见 召集 叮嘱 可不 可以 可口 可可 可怕 可怜 可惜 可是 可比 可爱 可用 可知 可笑 可能 可行 可见 可谓 可靠 号召 号称 叹息 吃法 吃饭 各个 各人 各位 各国 各地 各处
各家 各市 各方 各族 各校 各派 各界 各省 各种 各类 各级 各自 各路 各部 各项 吆喝 合乎 合同 合并 合成 合适 同一 同年 同意 同时 同样 同步 名为 名叫 后悔 后期 后来
后退 向上 向下 向前 向往 向来 向着 否则 否定 否认 吩咐 含有 听从 听到 听取 听听 听见 听话 听说 启发 启用 启示 吸取 吸引 吸收 吸烟 呈现 告别 告知 告诉 告辞 呐喊
呕吐 周到 周年 周期 呻吟 呼叫 呼吁 呼吸 呼呼 呼啸 呼喊 命中 咬牙 咱们 咳嗽 响应 响起 哪个 哪些 哪儿 哪怕 哪里 哭泣 哽咽 唐代 唤起 唯一 善于 喊道 喘息 喜事 喜欢
喜爱 喝茶 喝道 喝酒 喧哗 喷出 嘉靖 嘱咐 嘲笑 回事 回到 回升 回去 回复 回头 回应 回归 回忆 回想 回报 回收 回旋 回来 回答 回身 回过 回避 回顾 因为 因此 因而 困扰
困难 围住 围剿 围困 围攻 围棋 围着 围绕 固体 固定 固然 国有 在于 在位 在场 在外 在家 在座 在建 在手 在校 在职 均匀 坐下 坐在 坐标 坐落 坚决 坚守 坚定 坚实 坚强
坚持 垂直 垄断 埋伏 埋怨 培养 基于 堆积 堪称 堵塞 塑造 填写 填报 填补 增产 增值 增加 增发 增多 增大 增强 增收 增殖 增添 增至 增设 增进 增速 增长 增高 壮丽 处于
处在 处处 处死 处理 处罚 处置 处长 备受 复习 复仇 复制 复合 复杂 复苏 复辟 夏天 外出 多个 多么 多于 多样 大为 大举 大于 大典 大叫 大哭 大型 大大 大将 大小 大幅
大成 大概 大清 大笑 大约 大致 大连 大选 天天 天然 夯实 失去 失望 失误 失调 失败 失踪 夸张 夹击 夺冠 夺取 夺得 奇怪 奈何 奉命 奉献 奉行 奋力 奋斗 奋起 奔腾 奔走
奔跑 奔驰 奠定 她们 好像 好吃 好处 好好 好比 好生 好看 好评 好转 如下 如今 如何 如同 如是 如果 如此 妄图 妊娠 妥协 妥善 妨碍 始于 始建 始终 委屈 存在 存放 孝敬
孤立 学习 学到 它们 守卫 守好 守护 安定 安心 安慰 安排 安放 安置 安装 宋代 完全 完善 完备 完工 完成 完整 完毕 完美 定为 定居 定然 宛如 实为 实习 实在 实录 实战
实施 实现 实用 实行 实话 实践 审定 审批 审核 审议 审讯 宣布 宣扬 宣称 宣读 害怕 害死 宴请 容易 容许 宽阔 寄托 寄生 密切 密布 富于 富含 富有 察看 察觉 对了 对于
对峙 对待 对手 对抗 对敌 对此 对比 对照 对称 对立 寻常 寻找 寻求 导演 导致 导航 封建 封闭 将来 尊严 尊敬 尊重 小于 少于 尚且 尚无 尚有 尚未 尤为 尤其 就医 就是
就此 就算 就要 就让 就读 尴尬 尽力 尽头 尽快 尽数 尽管 尽量 居于 居住 居多 居然 届时 展出 展开 展现 展示 展览 属下 属于 履行 岂能 崛起 崩溃 巡逻 巨大 巩固 差别
已成 已有 已然 已知 已经 希望 带上 带兵 带到 带动 带回 带头 带有 带来 带给 带走 带领 帮主 帮助 帮忙 常住 常常 常年 常用 常见 常驻 干净 干吗 干扰 干旱 干涉 干燥
干脆 干预 平反 平均 平常 平日 平时 平等 平衡 平静 年代 年初 年底 年纪 年轻 年间 并且 并入 并列 并未 并肩 并行 并购 并非 广大 广泛 广阔 庄严 庆祝 应力 应变 应城
应届 应当 应有 应用 应聘 应该 庞大 废除 度假 度过 延伸 延续 延长 建于 建交 建制 建好 建成 建有 建立 建议 建起 建造 开会 开出 开创 开办 开去 开头 开始 开封 开展
开工 开幕 开心 开拓 开挖 开支 开放 开来 开设 开车 开辟 开通 开采 开门 开阔 开除 异常 引入 引发 引导 引桥 引用 引起 引进 引领 弥漫 弥补 弯曲 弹劾 强制 强化 强占
强大 强烈 强行 强调 强迫 归于 归属 归来 归纳 归结 归还 当下 当今 当代 当作 当做 当初 当前 当即 当天 当年 当成 当日 当时 当然 当真 当着 当选 录取 录用 形似 形制
形成 彻底 彼此 往事 往往 往来 往返 征服 征求 征集 径直 很大 很小 很快 得以 得出 得分 得到 得力 得名 得意 得来 得知 得罪 徘徊 御驾 微微 微软 心跳 必备 必定 必将
必然 必要 必读 必需 必须 忍受 忍耐 忘记 忧虑 快乐 快步 快速 忽地 忽然 忽略 忽视 怀孕 怀念 怀抱 怀疑 怀着 怎么 怎地 怎样 思考 急于 急剧 急忙 总之 总得 总是 总管
恋爱 恐怕 恐怖 恐惧 恢复 恰好 恰当 恰恰 恶劣 恶化 恼怒 悠久 悬挂 惊人 惊叫 惊呼 惊讶 惧怕 想像 想到 想必 想想 想来 想法 想着 想要 想起 愈合 愉快 意外 感冒 感到
感动 感受 感叹 感应 感慨 感染 感激 感谢 愤怒 愿意 愿望 慌忙 慢慢 慰问 懂得 成为 成交 成功 成化 成排 成效 成熟 成立 成长 我们 我国 我家 我校 或是 或者 或许 截止
截至 所为 所以 所在 所属 所得 所有 所知 所致 所说 所谓 手持 手续 手足 才能 打下 打仗 打倒 打入 打出 打击 打印 打发 打听 打工 打开 打扮 打扰 打断 打架 打死 打着
打破 打算 打败 打造 打量 扛牢 执掌 执政 执行 扩充 扩大 扩展 扩建 扩张 扩散 扫描 扭曲 扭转 扮演 扶持 扶贫 批准 批判 批复 批评 找出 找到 承包 承受 承担 承认 承诺
抉择 把头 把握 抑制 抓住 抓好 抓紧 抓起 投入 投奔 投放 投诉 投降 抗拒 抗敌 折合 折射 折断 折磨 折腾 抚摸 抛弃 抢先 抢劫 抢救 护送 报上 报仇 报名 报复 报答 报考
报道 抨击 披露 抬头 抬起 抬高 抱住 抱怨 抵制 抵御 抵挡 抵触 抵达 抽出 抽烟 抽象 担任 担保 担当 担心 担忧 担负 拆开 拆除 拈阄 拉开 拍卖 拍手 拍拍 拍摄 拒绝 拓展
拔出 拖延 拚命 招办 招呼 招待 招手 招收 招生 招聘 拜见 拟定 拥戴 拥护 拥挤 拥有 拦住 拦截 拨款 拯救 拱手 拼命 拾荒 拿下 拿出 拿到 拿来 持有 持续 持股 指出 指定
指引 指挥 指明 指望 指着 指示 指责 按住 按摩 按时 按照 按着 挑起 挑选 挖掘 挡住 挣扎 挥动 挥手 挥舞 振奋 挺进 挽回 挽救 捍卫 捐款 捕捉 捕捞 捕食 捕鱼 损伤 损坏
损害 换上 据悉 据此 据说 掀开 掀起 授予 授权 掌握 掌管 掏出 排出 排列 排名 排放 排斥 排水 排长 排除 掠夺 掠过 探明 探测 探索 探讨 接到 接受 接口 接应 接收 接替
接着 接管 接纳 接见 接触 接过 接近 接连 控制 控告 控股 推举 推出 推力 推动 推向 推广 推开 推拿 推断 推测 推理 推算 推翻 推荐 推行 推进 推迟 推送 推销 掩护 掩盖
掩饰 描写 描绘 描述 提交 提供 提倡 提出 提到 提前 提升 提及 提取 提名 提拔 提案 提示 提议 提请 提起 提醒 提问 提防 提高 插入 握住 揭发 揭开 揭示 揭露 搅拌 搜索
搜集 搞好 搞笑 搭配 携带 携手 摆动 摆在 摆手 摆脱 摇头 摊开 摔倒 摘要 摧毁 摸清 摸索 摸透 撇开 撞击 撤出 撤离 撤退 撤销 播放 播种 撰写 擅长 操作 操心 操纵 操练
擒拿 擦亮 攀升 支付 支出 支持 支援 支撑 收入 收到 收取 收回 收复 收拾 收敛 收缩 收获 收藏 收购 收集 改为 改制 改变 改名 改善 改建 改成 改称 改编 改良 改装 改进
改造 攻克 攻入 攻关 攻击 攻占 攻打 攻破 攻读 放下 放入 放出 放到 放在 放声 放大 放射 放开 放弃 放心 放手 放松 放火 放置 放过 故意 敏感 敞开 敢于 散发 散布 敬重
整个 整修 整合 整改 整齐 料到 料想 料理 斩首 断定 断绝 断裂 新型 新增 新婚 新建 新高 方便 施主 施加 施行 旁人 旋转 无不 无从 无以 无偿 无关 无可 无声 无处 无奈
无意 无比 无用 无疑 无知 无穷 无能 无言 无论 无限 无需 无非 无须 既有 既然 日前 日常 日月 日期 日渐 日趋 旨在 旨意 早就 早已 早期 早知 时常 明代 明天 明日 明显
明朝 明清 明知 明确 昏迷 易于 春秋 昨天 昨日 是从 是否 是非 显出 显得 显然 显现 显示 显著 显露 晃动 晓得 晚上 普遍 暂时 暗中 暗暗 暗示 暗自 暴动 暴行 暴露 曲折
更为 更加 更名 更好 更换 更改 更新 更是 曾经 替换 最为 最低 最初 最大 最小 最新 最早 最终 最高 有些 有人 有利 有名 有如 有害 有待 有意 有效 有无 有时 有望 有毒
有用 有着 有趣 有钱 有限 服从 服侍 望去 望望 望见 朝着 期待 期望 未免 未必 未曾 未有 未来 未知 未经 未能 本书 本事 本人 本国 本地 本届 本报 本月 本来 本次 本版
本省 本着 本科 本章 本级 本身 杀伤 杀害 杀手 杀死 来临 来信 来到 来历 来回 来往 来得 来自 来讲 来访 杰出 极为 极了 极其 极大 极好 极少 极度 构建 构成 构造 果实
果然 某个 某些 某种 查出 查处 查看 查询 树牢 树立 栖息 根据 根本 格外 检举 概括 概述 模仿 模拟 模糊 横向 横扫 横贯 横跨 次日 欢乐 欢呼 欢喜 欢迎 欣慰 欣赏 欲望
欺侮 欺负 欺骗 歌颂 正中 正在 正好 正常 正式 正当 正是 正确 正要 正说 正门 正面 此举 此事 此人 此刻 此后 此地 此处 此外 此时 此次 此类 此言 歧视 死亡 死伤 死刑
死去 死活 歼敌 歼灭 殊死 残酷 殿试 毁灭 每个 每人 每周 每天 每年 每当 每日 每月 每次 每股 每逢 比分 比如 比起 比较 毕竟 毫不 毫无 民办 氧化 永不 永远 求助 求得
求知 求职 求解 汇合 汇集 沉吟 沉浸 沉淀 沉着 沉重 沉默 沟通 没事 没收 没有 没法 没用 沦为 治所 治权 治理 治疗 治病 沿用 沿着 泄漏 泄露 泛滥 注入 注册 注定 注射
注意 注视 注释 注重 洗澡 活着 派出 派别 派遣 流下 流亡 流入 流出 流失 流血 流行 流露 测定 浏览 浓厚 浓缩 浓郁 消灭 消除 涉及 涌出 涌现 涨停 涵盖 淘汰 深入 深刻
深厚 深受 深知 深远 混乱 淹没 添加 清代 清晰 清朝 清楚 清洁 清洗 清炖 清理 清醒 清除 渐渐 渗透 渡过 温和 温暖 温柔 渴望 游行 源于 溶于 溶解 滚动 满意 满脸 满足
滥用 漂亮 演习 演出 演化 演变 演唱 演奏 演讲 演说 漕运 澄清 激动 激励 激发 激战 激活 激烈 激起 灭亡 灭绝 灵活 炒作 点亮 点头 点燃 点着 点缀 点评 烦恼 烧毁 烧烤
热烈 热闹 烹制 烹调 烹饪 然后 然而 照射 照明 照样 照耀 照顾 熟悉 燃烧 爆发 爆炸 爱护 片面 牢牢 牵制 牵头 牵引 牵扯 特别 特定 特意 特殊 牺牲 犹如 犹豫 狠狠 独有
独特 独立 独自 独裁 狭窄 猛地 猛烈 猛然 猜想 献策 献给 率先 率领 玩笑 环绕 现代 现出 现在 现已 现成 现有 珍稀 珍贵 理应 理清 理睬 理解 理财 理顺 琢磨 瓦解 甚么
甚至 生于 生出 生存 生怕 生意 生成 生死 用于 用以 用作 用好 用意 用来 由于 由此 申诉 申请 畅销 畏惧 留下 留在 留学 留守 留心 留意 留给 略有 疑惑 疑问 疯狂 疲劳
病变 病死 痛哭 痛苦 瘫痪 登上 登台 登录 登时 登记 登陆 的确 监视 盗版 盘旋 盘活 盘算 盛开 盛行 目前 目睹 直到 直奔 直接 直立 直至 直辖 直达 相互 相交 相会 相传
相似 相信 相关 相助 相反 相同 相处 相对 相差 相应 相当 相接 相救 相望 相比 相符 相等 相继 相聚 相见 相识 相距 相近 相连 相通 相遇 相邻 盼望 省级 看似 看作 看出
看到 看好 看守 看待 看成 看望 看来 看法 看清 看病 看看 看着 看见 看过 看重 真实 真是 真正 真的 真相 眼下 眼前 眼看 着实 着急 着想 着手 着重 着陆 睡眠 睡着 睡觉
督办 督察 瞄准 瞧瞧 瞧见 瞩目 瞻仰 矛盾 知名 知晓 知觉 知识 知足 知道 破产 破坏 破碎 破裂 破译 确保 确切 确定 确实 确有 确立 确认 碰上 碰到 碰撞 磕头 示意 示范
祈祷 神往 神秘 祭祀 禀告 禀报 禁忌 禁止 离去 离婚 离开 种植 积分 积极 积累 称为 称作 称呼 称谓 称赞 移交 移居 移植 稀有 稍微 稍稍 稳定 稳步 究竟 空降 穿越 穿过
突出 突发 突变 突然 立刻 立即 立时 立法 立足 站住 站立 站长 竟是 竟然 竣工 竭力 笑笑 符合 笼罩 等于 等到 等待 等级 筑城 筑成 筑牢 答复 答应 答话 答道 答问 筹备
筹建 签名 签字 签约 签署 签订 签证 简介 简化 简单 简历 简直 简称 算了 算是 管好 管辖 簇拥 类似 粉碎 精确 精细 精美 精选 素有 素来 紧密 紧张 紧急 紧紧 紧闭 累计
繁殖 繁衍 纠正 纠缠 约定 纳入 纳闷 纵横 纵然 纵贯 纵身 纷纷 练习 组合 组建 组成 组长 细看 织密 终于 终止 终究 终结 终身 经受 经常 经由 经过 结交 结合 结婚 结成
结束 结算 绕过 给予 给出 绝不 绝对 绝无 绝望 统治 统称 统筹 统辖 统领 继位 继承 继续 继而 维修 维护 维持 绵延 缓慢 缓缓 缓解 缔结 编写 编制 编成 编纂 缘由 缩小
缩短 缴纳 缺乏 缺少 缺陷 罕见 罢免 罢工 置于 羁縻 美好 羡慕 翻修 翻译 翻身 翻过 老大 考上 考卷 考取 考察 考生 考虑 考证 而且 而后 而是 而立 而言 而论 耗费 耽搁
耽误 联名 联想 联手 聘请 聚合 聚居 聚集 聪明 肯定 背叛 胜负 胜过 能否 能够 脱手 脱离 脱落 脱身 腐蚀 腐败 膨胀 自主 自从 自信 自卫 自发 自古 自家 自己 自幼 自愿
自成 自我 自有 自杀 自此 自治 自由 自知 自称 自立 自给 自行 自觉 自身 至于 至今 至尊 至少 至此 致使 致命 致富 舍得 舒服 良好 艰苦 艰难 节制 节日 若非 苦笑 获准
获取 获奖 获得 获悉 获胜 萌芽 萎缩 营建 营救 落下 落入 落到 落后 落实 落成 落细 著名 著述 蒸发 蓦地 蔓延 蕴藏 虚拟 虽然 虽说 蜿蜒 融入 行为 行走 行进 行驶 衔接
衡量 补充 补给 表决 表彰 表明 表演 表现 表示 表达 表述 衰落 衰退 被俘 被叫 被捕 被迫 袭击 裁决 装修 裸露 西晋 要么 要命 要害 要是 要死 要求 要紧 要说 覆盖 见于
见到 见得 见解 见证 见识 见长 观察 观看 观赏 视为 视察 觉得 觉悟 觉醒 角逐 解决 解剖 解开 解散 解毒 解答 解脱 解读 解释 解除 触及 誉为 警察 警惕 譬如 计算 计较
订立 认为 认出 认可 认同 认定 认得 认真 认知 认识 讨厌 讨好 讨论 记住 记得 记载 记述 讲求 讲解 讲述 论断 论述 讽刺 设在 设定 设有 设立 访谈 访问 评为 评选 识别
诊断 译成 试图 诞生 诡计 询问 该书 该市 该校 详细 诧异 误解 诱惑 说出 说好 说完 说明 说服 说来 说法 说话 说起 说道 请安 请愿 请教 请来 请求 请示 请问 读完 谁知
谈到 谋求 谨慎 谴责 象征 象是 豪华 负担 负责 质疑 质询 贩卖 贪污 贫困 贬值 购买 贮存 贮藏 贯彻 贯穿 贯通 贿赂 赋予 赌博 赔偿 赚钱 赛季 赞叹 赞同 赞成 赞扬 赞赏
赠送 赢得 走上 走出 走向 走来 走访 走过 走近 走进 赶上 赶到 赶回 赶忙 赶快 赶来 赶着 赶紧 起义 起伏 起兵 起初 起到 起床 起来 起草 起诉 起身 起飞 趁机 趁着 超出
超市 超越 超过 越发 越是 趋于 足以 足够 趴在 跃上 跃起 跟着 跟踪 跟随 跨越 跪下 跪倒 路过 跳出 跳跃 跻身 踌躇 踏上 蹂躏 身为 身亡 身受 身披 身着 身穿 身高 躬身
躲避 转为 转入 转制 转动 转化 转发 转变 转向 转头 转念 转折 转换 转移 转而 转让 转身 转过 转运 轰动 轰炸 轻声 轻易 轻松 轻轻 较为 较大 较量 辈出 辉煌 辐射 输入
输出 输电 输送 辛苦 辞去 辞职 达到 达成 迁徙 迁移 迁都 迄今 迅猛 迅速 过于 过剩 过去 过来 过渡 过滤 迈出 迈进 迎战 迎接 迎来 迎面 运行 运送 近代 近日 返回 还原
还好 还是 还有 还要 这个 这么 这些 这儿 这块 这天 这家 这时 这样 这次 这种 这笔 这般 这话 这边 这部 这里 这项 进京 进修 进入 进兵 进军 进出 进化 进去 进发 进城
进宫 进攻 进来 进步 进深 进而 进行 进门 进驻 远离 远远 远销 违反 违背 连声 连夜 连忙 连接 连续 连连 连长 迟疑 迫使 迫害 迷信 迷恋 迷惑 追击 追加 追求 追溯 追究
追赶 追逐 追问 追随 退休 退出 退化 退却 退回 送到 送往 送来 送给 适中 适于 适合 适宜 适应 适当 适时 适用 逃亡 逃出 逃命 逃脱 逃走 逃跑 逃避 选举 选任 选出 选定
选手 选拔 选择 选用 选集 透明 透过 透露 逐年 逐步 逐渐 递增 递给 通常 通往 通用 通知 通称 通过 通道 通高 逝世 造价 造反 造就 造成 造纸 逮捕 逼近 遇上 遇到 遇见
遍及 遍地 遍布 遏制 道歉 遗憾 遣使 遭到 遭受 遵守 遵循 避免 避开 避暑 邀请 那个 那么 那些 那位 那儿 那天 那年 那日 那时 那样 那次 那种 那边 那里 邻居 邻近 部分
配合 配备 配套 配置 酝酿 酿成 醒来 采取 采用 采矿 采纳 采访 采购 采集 释放 重伤 重复 重大 重建 重新 重用 重申 重要 重视 重重 鉴于 鉴别 针对 钻进 铸造 锻炼 镇上
镇压 镇定 镇长 长久 长叹 长期 长远 闪动 闪烁 闪电 闪避 闭会 问起 闹事 闻到 闻名 阅读 阐明 阐述 防卫 防备 防守 防御 防护 防止 防水 防治 防范 阵亡 阻拦 阻挠 阻挡
阻止 阻碍 附加 陆续 降临 降低 降落 限于 限制 限定 除了 除外 除非 险些 陪同 陷于 陷入 隆起 随之 随从 随便 随即 随同 随后 随意 随手 随时 随机 随着 隐居 隐瞒 隐藏
隔离 隶属 难以 难免 难受 难度 难得 难忘 难怪 难过 难道 集中 集合 集成 集结 雇主 雇佣 需求 需要 震惊 震撼 震荡 露出 露天 青年 青睐 静止 非但 非常 靠着 靠近 面临
面对 面试 顺从 顺便 顺利 顺手 顺治 顺着 顾及 顾虑 顿时 颁发 颁布 预备 预定 预算 预言 预订 预防 领取 频繁 频频 颠倒 颤抖 飞奔 飞扬 飞行 飞跃 饲养 饿死 首先 首相
首都 马上 驰名 驱逐 驻华 驻守 驻扎 驻足 驾驶 验收 验证 骚扰 高举 高于 高低 高兴 高出 高呼 高大 高效 高标准 高涨 高端 高等 高级 高考 高质量 高速 鲜明 鲜美 鸟瞰
麻布 麻烦 默默 鼓励 鼓吹 鼓舞
""".split())
