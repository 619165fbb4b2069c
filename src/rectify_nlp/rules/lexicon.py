"""Measure words and units of the genre, and a regex that finds them (longest first).

The list is generous on purpose: rectification notices count people (人次, 名), places (处, 个),
things (台, 辆, 份), cases (宗, 起, 件), events (场次, 次), money (元, 万元), areas (平方米, 亩),
rates (%, 个百分点, 成, 倍) and rankings.  A unit is the measure word *without* a numeric
multiplier: 66.57万元 is 665700 元, but 万元 is listed too so that a lone 万元 after a bare
number is still recognised by :data:`UNIT_PATTERN`.

Words that look like units but mostly label or date things (年, 月, 日, 号, 级, 类, 大, 届, 轮 in
"第七轮") are deliberately left out or handled by the outcome rule.

>>> "人次" in UNITS
True
>>> import re
>>> re.match(UNIT_PATTERN, "人次参与").group()
'人次'
"""

from __future__ import annotations

import re

_COUNT_WORDS = """
人 人次 人/次 人·次 名 名次 位 个 个次 家 家次 户 户次 宗 宗次 件 件次 起 次 场 场次 车次 台 台次
辆 辆次 架 架次 艘 艘次 船次 份 份次 张 条 条次 项 项次 篇 篇次 批 批次 期 期次 所 座 处 处次 间
套 栋 幢 层 棵 株 盏 块 根 本 册 部 轮 轮次 档 只 匹 羽 枚 幅 封 通 笔 支 组 队 箱 袋 桶 瓶 包 车
吨次 趟 遍 堂 节 个点位 点位 班 班次 所次
""".split()

_MEASURE_WORDS = """
米 延米 千米 公里 平方米 平米 万平方米 平方公里 平方千米 立方米 万立方米 方 亩 万亩 公顷 吨 万吨 千克
公斤 斤 克 升 千瓦 千瓦时 度 元 万元 亿元 美元 万美元 亿美元 港元 人民币 小时 天 个工作日 工作日
学时 课时 分钟 周 个月 % ‰ 个百分点 百分点 成 倍
""".split()

UNITS: frozenset[str] = frozenset(_COUNT_WORDS + _MEASURE_WORDS)

UNIT_PATTERN: str = "(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=lambda u: (-len(u), u))) + ")"

#: Units that measure time; a number with one of these that *describes* something
#: (14小时巡回保洁, 两个月内) is not a result, so the outcome rule only keeps them at clause end.
TIME_UNITS: frozenset[str] = frozenset({"小时", "天", "个工作日", "工作日", "学时", "课时", "分钟", "周", "个月"})

#: Measure words that after a *Chinese* numeral mostly name or describe rather than count
#: (一期工程, 两张皮, 一套制度, 一部分, 三方); the outcome rule keeps them only after Arabic digits.
AMBIGUOUS_UNITS: frozenset[str] = frozenset(
    {"方", "批", "期", "轮", "层", "本", "部", "块", "根", "条", "张", "套", "支", "组", "队", "节",
     "堂", "班", "档", "通", "遍", "趟", "包", "车", "周", "度", "位", "只", "封"}
)

#: Units that express a rate or share rather than a count.
RATE_UNITS: frozenset[str] = frozenset({"%", "‰", "个百分点", "百分点", "成", "倍"})

__all__ = ["AMBIGUOUS_UNITS", "RATE_UNITS", "TIME_UNITS", "UNITS", "UNIT_PATTERN"]
