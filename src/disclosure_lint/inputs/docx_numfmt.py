"""Word's number formats (``w:numFmt``): how a list count is written.

``chineseCounting`` 一 … 十, 十一, 二十一; ``chineseLegalSimplified`` 壹贰叁;
``ideographTraditional`` 甲乙丙 (天干); ``decimalEnclosedCircle`` ①②③;
Roman numerals, letters (``aa`` after ``z``, as Word repeats them) and the
rest; a format not known here is written as a decimal number, and a count
past a format's symbols too (as Word does).
"""

from __future__ import annotations

from collections.abc import Callable

_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
# Word counts beyond the list of symbols as decimal.
_CIRCLED = [chr(0x2460 + i) for i in range(20)]  # ① … ⑳
_PAREN = [chr(0x2474 + i) for i in range(20)]  # ⑴ … ⒇
_FULLSTOP = [chr(0x2488 + i) for i in range(20)]  # ⒈ … ⒛


def _chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (counting style)."""
    if n <= 0:
        return digits[0]
    if n >= 10_000:
        return str(n)
    out = ""
    places = [(1000, units[2]), (100, units[1]), (10, units[0]), (1, "")]
    zero = False
    for size, unit in places:
        digit = n // size % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if not (size == 10 and digit == 1 and not out):
            out += digits[digit]
        out += unit
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = ""
    for size, sign in table:
        while n >= size:
            out += sign
            n -= size
    return out


def _letter(n: int) -> str:
    """Word's letters: a … z, then aa … zz, aaa … (repeated, not base 26)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _symbol(symbols: list[str] | str) -> Callable[[int], str]:
    def fmt(n: int) -> str:
        return symbols[n - 1] if 0 < n <= len(symbols) else str(n)

    return fmt


def _cyclic(symbols: str) -> Callable[[int], str]:
    def fmt(n: int) -> str:
        return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)

    return fmt


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalHalfWidth": str,
    "decimalFullWidth": lambda n: str(n).translate(
        {ord(d): 0xFF10 + int(d) for d in "0123456789"}
    ),
    "decimalFullWidth2": lambda n: str(n).translate(
        {ord(d): 0xFF10 + int(d) for d in "0123456789"}
    ),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter,
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "chineseLegalSimplified": lambda n: _chinese(n, _LEGAL_DIGITS, "拾佰仟"),
    "ideographLegalTraditional": lambda n: _chinese(n, _LEGAL_TRADITIONAL, "拾佰仟"),
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographTraditional": _cyclic(_TIANGAN),
    "ideographZodiac": _cyclic(_DIZHI),
    "decimalEnclosedCircle": _symbol(_CIRCLED),
    "decimalEnclosedCircleChinese": _symbol(_CIRCLED),
    "ideographEnclosedCircle": _symbol(["㊀㊁㊂㊃㊄㊅㊆㊇㊈㊉"[i] for i in range(10)]),
    "decimalEnclosedParen": _symbol(_PAREN),
    "decimalEnclosedFullstop": _symbol(_FULLSTOP),
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's number format ``fmt`` (unknown formats as decimal)."""
    return _FORMATS.get(fmt, str)(n)
