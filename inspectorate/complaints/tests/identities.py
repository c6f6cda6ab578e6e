"""Hypothesis strategies: a reporter's identity (name, phones, address, WeChat/QQ, ID number, plate, e-mail)
planted in a complaint text, and the check that none of it shows in a rendered page or file."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from inspectorate.complaints.redact import fold

# Surnames that redact.py recognises after 本人/举报人 (not 于/向/和: after 本人 those read as prepositions).
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "欧阳", "司马"]
# Rare characters for given names and street names: they occur in no page text, so a hit is a real leak.
RARE = "琰瑾璇翊骁珩昀玥彧晗钰琦皓淼霖煜翎璟珞芮琛瑜婕瑶瀚"
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋陕吉闽贵粤川琼"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
POLLUTION = "平江县城关镇某化工厂夜间偷排废水，河水发黑发臭"


def full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def id_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


@dataclass
class Identity:
    name: str
    mobile: str  # 11 digits, as stored in the reporter_phone field
    segments: list[str]
    markers: set[str] = field(default_factory=set)

    @property
    def fields(self) -> tuple[str, str]:
        return (self.name, self.mobile)

    def text(self, filler: str = "") -> str:
        return "，".join([s for s in (*self.segments, filler.strip(" ，")) if s]) + "。"

    def leaks(self, text: str) -> list[str]:
        folded = fold(text)
        return sorted(m for m in self.markers if m in text or fold(m) in folded)

    def assert_absent(self, text: str, label: str) -> None:
        leaked = self.leaks(text)
        assert not leaked, f"{label} shows {leaked}"


def _digits(n: int, first: str = "123456789") -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(first), st.text("0123456789", min_size=n - 1, max_size=n - 1)).map("".join)


@st.composite
def identities(draw: st.DrawFn) -> Identity:
    segments: list[str] = []
    markers: set[str] = set()
    # Name after 我叫 / 本人 / 举报人 / 姓名.
    name = draw(st.sampled_from(SURNAMES)) + draw(st.text(RARE, min_size=1, max_size=2))
    trigger = draw(st.sampled_from(["我叫", "本人", "举报人：", "姓名：", "举报人"]))
    segments.append(trigger + name)
    markers.add(name)
    # A mobile in one of the common forms (the field holds the bare digits).
    mobile = "1" + draw(st.sampled_from("3456789")) + draw(_digits(9, "0123456789"))
    d = mobile
    form = draw(
        st.sampled_from(
            [
                d,
                f"{d[:3]} {d[3:7]} {d[7:]}",
                f"{d[:3]}-{d[3:7]}-{d[7:]}",
                f"+86 {d}",
                f"+86{d}",
                f"+86 {d[:3]} {d[3:7]} {d[7:]}",
                f"0086{d}",
                full_width(d),
                full_width(f"{d[:3]}-{d[3:7]}-{d[7:]}"),
            ]
        )
    )
    segments.append(draw(st.sampled_from(["电话", "手机：", "有事打", "联系方式 "])) + form)
    markers |= {form, d, f"{d[:3]} {d[3:7]} {d[7:]}", f"{d[:3]}-{d[3:7]}-{d[7:]}"}
    # A landline.
    area = draw(st.sampled_from(["0730", "0731", "010", "021", "0755"]))
    local = draw(_digits(8 if len(area) == 3 else 7, "23456789"))
    line = draw(
        st.sampled_from(
            [
                f"({area}){local}",
                f"{area}-{local}",
                f"{area} {local}",
                f"{area}{local}",
                full_width(f"({area}){local}"),
                f"+86 {area[1:]} {local}",
            ]
        )
    )
    segments.append(draw(st.sampled_from(["座机", "家里电话", "固话："])) + line)
    markers |= {line, local, area + local, f"{area}-{local}"}
    # The home address, at house-number level (the town stays).
    street = draw(st.text(RARE, min_size=2, max_size=3)) + draw(st.sampled_from(["路", "街", "巷"]))
    number = draw(st.integers(1, 999))
    if draw(st.booleans()):
        flat = f"{draw(st.integers(1, 40))}栋{draw(st.integers(1, 6))}单元{draw(st.integers(101, 3204))}室"
        segments.append(f"住在平江县城关镇{street}{number}号{flat}")
        markers |= {f"{street}{number}号", flat}
    else:
        group = f"{draw(st.integers(1, 15))}组{number}号"
        segments.append(f"家住城关镇{draw(st.text(RARE, min_size=2, max_size=2))}村{group}")
        markers.add(group)
    # WeChat and QQ.
    wx = draw(
        st.one_of(
            st.text("abcdefghijkmnpqrstuvwxyz0123456789", min_size=6, max_size=10).map(lambda s: "wxid_" + s),
            st.tuples(
                st.sampled_from("abcdefghjkmnpqrstuvwxyz"), st.text("abcdefghjkmnpqrstuvwxyz0123456789_", min_size=6, max_size=12)
            ).map("".join),
        )
    )
    segments.append(draw(st.sampled_from(["微信：", "微信号", "vx ", "加微信 "])) + wx)
    markers.add(wx)
    qq = draw(_digits(draw(st.integers(8, 10))))
    segments.append(draw(st.sampled_from(["QQ ", "qq号：", "QQ"])) + qq)
    markers.add(qq)
    # A resident ID number with a valid check character.
    born = f"{draw(st.integers(1950, 2005))}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
    first17 = draw(st.sampled_from(["430621", "430626", "110105", "440305"])) + born + draw(_digits(3, "0123456789"))
    id_no = first17 + id_check(first17)
    segments.append(draw(st.sampled_from(["身份证", "证件号码", "身份证号："])) + id_no)
    markers.add(id_no)
    # A vehicle plate.
    body = draw(st.text(PLATE_CHARS, min_size=5, max_size=5))
    prov, letter = draw(st.sampled_from(PROVINCES)), draw(st.sampled_from("ABCDEFGH"))
    plate = prov + letter + draw(st.sampled_from(["·", "", " "])) + body
    segments.append(draw(st.sampled_from(["车牌", "开", "车牌号："])) + plate)
    markers |= {plate, prov + letter + body}
    # An e-mail address.
    email = (
        draw(st.text("abcdefghijkmnpqrstuvwxyz", min_size=5, max_size=9))
        + draw(st.sampled_from(["", ".", "_"]))
        + draw(st.text("abcdefghijkmnpqrstuvwxyz0123456789", min_size=2, max_size=4))
        + "@"
        + draw(st.sampled_from(["qq.com", "163.com", "example.cn"]))
    )
    segments.append(draw(st.sampled_from(["邮箱", "email: ", "电子邮件 "])) + email)
    markers.add(email)
    segments = draw(st.permutations(segments))
    return Identity(name=name, mobile=mobile, segments=[POLLUTION, *segments], markers=markers)
