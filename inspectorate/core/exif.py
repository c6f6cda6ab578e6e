"""The GPS position in a JPEG's EXIF block, read by hand (no imaging library needed).

`gps_position(data)` returns (lat, lon) as Decimals rounded to 6 places, or None when the file is not a JPEG, carries
no EXIF GPS block, or the block is malformed in any way. It never raises on bad input: every read is bounds-checked.
"""

from __future__ import annotations

import struct
from decimal import Decimal

_GPS_IFD_POINTER = 0x8825
_LAT_REF, _LAT, _LON_REF, _LON = 1, 2, 3, 4
_ASCII, _LONG, _RATIONAL = 2, 4, 5
_MAX_ENTRIES = 512


class _Malformed(Exception):
    """Internal: the EXIF block is not what it claims to be."""


class _Tiff:
    def __init__(self, data: bytes) -> None:
        if data[:2] == b"II":
            self.order = "<"
        elif data[:2] == b"MM":
            self.order = ">"
        else:
            raise _Malformed("byte order")
        self.data = data
        if self.u16(2) != 42:
            raise _Malformed("magic")

    def _unpack(self, fmt: str, offset: int) -> tuple[int, ...]:
        size = struct.calcsize(fmt)
        if offset < 0 or offset + size > len(self.data):
            raise _Malformed("out of bounds")
        return struct.unpack_from(self.order + fmt, self.data, offset)

    def u16(self, offset: int) -> int:
        return self._unpack("H", offset)[0]

    def u32(self, offset: int) -> int:
        return self._unpack("I", offset)[0]

    def entries(self, offset: int) -> dict[int, tuple[int, int, int]]:
        """tag → (type, count, offset of the value or of its 4-byte inline field)."""
        count = self.u16(offset)
        if count > _MAX_ENTRIES:
            raise _Malformed("too many entries")
        out: dict[int, tuple[int, int, int]] = {}
        for i in range(count):
            base = offset + 2 + 12 * i
            tag, typ, n = self._unpack("HHI", base)
            out[tag] = (typ, n, base + 8)
        return out

    def ascii(self, entry: tuple[int, int, int]) -> str:
        typ, n, field = entry
        if typ != _ASCII or n < 1:
            raise _Malformed("ascii")
        start = field if n <= 4 else self.u32(field)
        if start + n > len(self.data):
            raise _Malformed("ascii out of bounds")
        return self.data[start : start + n].split(b"\x00", 1)[0].decode("ascii", "replace").strip()

    def degrees(self, entry: tuple[int, int, int]) -> Decimal:
        typ, n, field = entry
        if typ != _RATIONAL or n != 3:
            raise _Malformed("rational")
        start = self.u32(field)
        parts = []
        for k in range(3):
            num, den = self._unpack("II", start + 8 * k)
            if den == 0:
                raise _Malformed("zero denominator")
            parts.append(Decimal(num) / Decimal(den))
        d, m, s = parts
        return d + m / 60 + s / 3600


def _exif_tiff(data: bytes) -> bytes | None:
    """The TIFF block of the first EXIF APP1 segment of a JPEG, or None."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata follows
            return None
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if length < 2 or pos + 2 + length > len(data):
            return None
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            return body[6:]
        pos += 2 + length
    return None


def gps_position(data: bytes) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) from a JPEG's EXIF GPS block, or None (no block, not a JPEG, or malformed)."""
    tiff = _exif_tiff(data)
    if tiff is None:
        return None
    try:
        t = _Tiff(tiff)
        ifd0 = t.entries(t.u32(4))
        pointer = ifd0.get(_GPS_IFD_POINTER)
        if pointer is None or pointer[0] != _LONG:
            return None
        gps = t.entries(t.u32(pointer[2]))
        if not all(tag in gps for tag in (_LAT_REF, _LAT, _LON_REF, _LON)):
            return None
        lat, lon = t.degrees(gps[_LAT]), t.degrees(gps[_LON])
        lat_ref, lon_ref = t.ascii(gps[_LAT_REF]).upper(), t.ascii(gps[_LON_REF]).upper()
    except _Malformed:
        return None
    if lat_ref not in ("N", "S") or lon_ref not in ("E", "W"):
        return None
    if lat_ref == "S":
        lat = -lat
    if lon_ref == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    q = Decimal("0.000001")
    return lat.quantize(q), lon.quantize(q)
