"""Redacting complaint text before it leaves the inspection team (DOMAIN.md §10, issue 8 point 5).

`redact(text, names)` masks the parts of a free text that identify the person who wrote it and keeps what the
complaint is about.  Every text shown to the public (disclosure tables, tracking page, Open311) or to a handling
unit (case summary and case page, transfer notices, case file) goes through it; the clear text stays with the
team and is shown to others only through the audited reveal (`actions.reveal_reporter`).

What goes (each replaced by ``***``):

- the reporter's name and phone from the complaint's own fields, wherever they appear in the text, the phone in
  any spacing (``139 8765 4321``) or with a country code;
- names after 我叫 / 姓名 / 名叫 (two to four characters, up to a word such as 住/在/电话 that follows a name),
  and after 本人 / 举报人 / 联系人 / 投诉人 / 反映人 / 来电人 when a surname follows (``本人住在…``,
  ``本人于今日…`` keep their words); 我姓X masks the surname;
- mobile numbers (``13987654321``, ``139 8765 4321``, ``139-8765-4321``, ``+86 139…``, ``+8613987654321``,
  ``0086…``), landlines (``0730-8123456``, ``(0730)8123456``, ``07308123456``, ``+86 730 8123456``, with an
  extension), and any number of seven or more digits right after 电话 / 手机 / 座机 / 联系方式 / tel;
- WeChat and QQ ids after 微信 / 微信号 / vx / wx / wechat / QQ / 扣扣;
- resident ID numbers (18 characters with the date of birth inside, also spaced as 6-8-4, and the old 15-digit
  form after 身份证);
- vehicle plates (``湘F·12345``, ``湘F12345``, ``湘FD12345``);
- e-mail addresses;
- house-number-level address detail: a road / street / lane with its number (``幸福路18号``, ``人民街12-3号``,
  ``解放巷5弄``), building, entrance and flat (``3栋2单元501室``, ``5号楼``, ``12幢``), and the group and house
  number inside a village (``幸福村3组12号`` keeps ``幸福村``).

What stays: administrative places (province, city, county, district, town, sub-district, village, residential
compound names), road names without a number, the polluter's name, pollution facts, numbered things that are
not homes (``2号排污口``, ``3号车间``), dates, amounts and measurements.  The place of the pollution is the point
of a complaint, and a place at town or village level does not single out a household; the door number does.
A road number is masked whoever lives there (the text cannot tell a reporter's door from a polluter's gate):
the handling unit locates the polluter from the polluter's name, the map position and the registry entry.

Matching runs on a copy with full-width characters folded to ASCII (``１３９``, ``＋８６``, ``（０７３０）``,
``＠``) so that every form is caught; the masks are applied to the original text at the same positions, so the
rest of the text keeps its own punctuation.  Redacting twice gives the same result as redacting once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "***"

# Full-width ASCII forms (！ … ～) and the ideographic space, folded one character to one character.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({ord(c): ord("-") for c in "－—–‐‑−"})
_FOLD.update({ord(c): ord(".") for c in "·•・‧"})

_HAN = r"\u4e00-\u9fff"
_SEP = r"[ .\-]{0,2}"  # between digit groups of a phone number
_NUM = r"(?:\d+|[一二三四五六七八九十百零〇两]+)"

# Common surnames (single and compound), used only to tell a name from an ordinary phrase after 本人/举报人.
_SURNAMES_2 = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|南宫|独孤|西门"
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
    "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公"
    "哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_SURNAME = "(?:" + _SURNAMES_2 + "|[" + _SURNAMES_1 + "])"

_NAME_CHAR = rf"(?![省市县区镇乡村路街])[{_HAN}]"  # a place suffix ends a name
# Characters that end a name when they follow it (住在, 电话, 是…): the shortest name before one of them is taken.
_AFTER_NAME = rf"(?=[^{_HAN}]|$|[住在电手联身微现是的系反举投居要从因想已就也都对说称等今年])"
# Words after 本人/举报人 that are not names although they start with a surname character.
_NOT_A_NAME = "于|向|和|常年|常住|常常|曾经|曾多|曾在|曾于|曾向|原来|原是|原住|原在|强烈|平时|全家|高度|万分|姓名"

# (pattern, group): the group's span is masked (0 = the whole match).
_PATTERNS: list[tuple[re.Pattern[str], int]] = [
    # Names after a phrase that always introduces one.
    (
        re.compile(
            rf"(?:我叫|名叫|姓名|真名)[ :是为]*((?:{_NAME_CHAR}){{2,4}}?{_AFTER_NAME}|(?:{_NAME_CHAR}){{2,3}})"
            rf"(?![省市县区镇乡村路街])"
        ),
        1,
    ),
    # Names after a phrase that may also start an ordinary sentence: only when a surname follows.
    (
        re.compile(
            rf"(?:本人|举报人|联系人|投诉人|反映人|来电人|来信人)[ :是为]*(?!{_NOT_A_NAME})"
            rf"({_SURNAME}(?:(?:{_NAME_CHAR}){{1,2}}?{_AFTER_NAME}|(?:{_NAME_CHAR}){{1,2}}))(?![省市县区镇乡村路街])"
        ),
        1,
    ),
    (re.compile(rf"我姓({_SURNAME})"), 1),
    (re.compile(r"(?i:\bmy name is) ([A-Z][a-z]+(?: [A-Z][a-z]+)*)"), 1),
    # E-mail addresses.
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"), 0),
    # Resident ID numbers: 18 characters with a birth date (also spaced 6-8-4), or anything after 身份证.
    (
        re.compile(
            r"(?<![0-9A-Za-z])[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![0-9A-Za-z])"
        ),
        0,
    ),
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), 0),
    (re.compile(r"身份证(?:号码|号)?[ :是为]*([0-9Xx ]{15,21})"), 1),
    # Mobile numbers with an optional country code.
    (re.compile(rf"(?<![0-9A-Za-z+])(?:(?:\+|00)?86{_SEP}|\(\+?86\) ?)?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)"), 0),
    # Landlines: (0730)8123456, 0730-8123456, +86 730 8123456, with an optional extension.
    (
        re.compile(
            r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ \-]?\(?[1-9]\d{1,2}\)?|\( ?0\d{2,3} ?\)|0\d{2,3})[ \-]?[1-9]\d{6,7}"
            r"(?:[ \-]?(?:转|ext\.?|x|-) ?\d{1,5})?(?!\d)"
        ),
        0,
    ),
    # Any longer number right after a phone keyword.
    (re.compile(r"(?i)(?:电话|手机|座机|联系方式|号码|(?<![a-z])tel|(?<![a-z])phone)[ :是为号码]*(\+?\d[\d .\-()]{5,}\d)"), 1),
    # WeChat and QQ ids.
    (
        re.compile(
            r"(?i)(?:微信|wechat|weixin|vx|wx|v信|qq|扣扣)(?:号码|号|id)?[ :是为]*"
            r"([A-Za-z0-9][A-Za-z0-9_\-]{4,19})(?![A-Za-z0-9_\-])"
        ),
        1,
    ),
    # Vehicle plates.
    (
        re.compile(
            r"(?i)[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][ .\-]?[A-Z0-9]{5,6}(?![A-Za-z0-9])"
        ),
        0,
    ),
    # A road, street or lane with its number, and what follows it (building, entrance, flat).
    (
        re.compile(
            rf"[^\W\d_省市县区镇乡村在住于到近的和与及、]{{0,4}}(?:路|街|巷|弄|大道|胡同)"
            rf"{_NUM}(?:[-之]{_NUM})?(?:号院|号楼|号|弄|巷|栋|幢)(?:(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|座|单元|楼|层|室|户|号))*"
        ),
        0,
    ),
    # Building, entrance and flat without a road: 3栋2单元501室, 5号楼, 12幢, 501室.
    (
        re.compile(
            rf"(?:(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|座|单元|楼|层|室|户|号))*"
            rf"(?:(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|单元|室|户)|[A-Za-z]座)(?:{_NUM}(?:号楼|栋|幢|座|单元|楼|层|室|户|号)?)*"
        ),
        0,
    ),
    # The group and house number inside a village (the village's name stays).
    (re.compile(rf"(?:村|社区|屯)((?:{_NUM}(?:组|队|社))?{_NUM}号|{_NUM}(?:组|队|社))"), 1),
    (re.compile(rf"{_NUM}(?:组|队){_NUM}号"), 0),
]


def fold(text: str) -> str:
    """Full-width forms folded to ASCII, one character for one (positions stay the same)."""
    return text.translate(_FOLD)


def _literal(value: str) -> re.Pattern[str] | None:
    """A pattern for a value from the complaint's own fields: a name as written, a phone in any spacing."""
    value = fold((value or "").strip())
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and len(digits) >= len(value.replace(" ", "")) - 4:  # a phone number
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        return re.compile(r"(?<!\d)" + r"[ .\-()]{0,2}".join(map(re.escape, digits)) + r"(?!\d)")
    if len(value) >= 2:
        return re.compile(re.escape(value), re.IGNORECASE)
    return None


def spans(text: str, names: Iterable[str] = ()) -> list[tuple[int, int]]:
    """The (start, end) ranges to mask in `text`, merged and sorted."""
    folded = fold(text)
    found: list[tuple[int, int]] = []
    patterns = [(p, 0) for p in (_literal(n) for n in names) if p is not None] + _PATTERNS
    for pattern, group in patterns:
        for m in pattern.finditer(folded):
            a, b = m.span(group)
            if b > a:
                found.append((a, b))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def redact(text: str, names: Iterable[str] = ()) -> str:
    """`text` with the reporter's identity masked (see the module docstring for what goes and what stays)."""
    text = text or ""
    out, pos = [], 0
    for a, b in spans(text, [n for n in names if n]):
        out.append(text[pos:a])
        if not (out and out[-1].endswith(MASK)):
            out.append(MASK)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def summarise(text: str, names: Iterable[str] = (), limit: int = 300) -> str:
    """The redacted text on one line, cut to `limit` characters (redacted first, so no cut leaves half a number)."""
    s = redact(" ".join((text or "").split()), names)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def reporter_of(complaint: Any) -> tuple[str, str]:
    """The identity fields of a complaint (or of a case's origin complaint) that its texts are redacted against."""
    if complaint is None:
        return ("", "")
    return (complaint.reporter_name or "", complaint.reporter_phone or "")


def complaint_text(complaint: Any) -> str:
    """A complaint's free text as handling units and the public see it: the whole text, redacted."""
    return redact(complaint.text, reporter_of(complaint))


# The texts of a disclosure-table row that people wrote (the complaint summary, the unit's findings and measures).
ROW_TEXTS = ("summary", "facts", "handling", "verdict_note")


def redact_row(row: dict[str, Any], names: Iterable[str] = ()) -> dict[str, Any]:
    """A disclosure-table row with its free texts redacted (rows frozen before a redaction rule was added included)."""
    names = tuple(names)
    return {k: redact(v, names) if k in ROW_TEXTS and isinstance(v, str) else v for k, v in row.items()}
