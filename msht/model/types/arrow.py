"""Arrow fast paths for the commonest shapes of dates, phones, postcodes and names.

Ingest normalises each distinct cell text once, in Python. A million-row file still holds
hundreds of thousands of distinct phone numbers and dates, nearly all in one or two tidy
shapes. These functions handle exactly those shapes with Arrow's vectorised kernels and
return null for everything else, which then goes through the Python normaliser as before.
Property tests check that each gives the Python normaliser's answer wherever it gives one.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: Punctuation a phone number may be written with ("07700 900123", "(01622) 690-690").
_PHONE_PUNCTUATION = r"[ \t\n\r\f()\-./]+"
_UK_TEN_DIGITS = r"^(?:0|(?:\+|00)440?)([1-9][0-9]{9})$"
_UK_POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$"
#: Day-first and ISO dates as most systems export them (a time after the date is ignored).
_DMY = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T.*| [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"


def _where(texts: pa.Array, pattern: str, values: pa.Array) -> pa.Array:
    """`values` where `texts` matches `pattern`, null elsewhere."""
    hit = pc.match_substring_regex(texts, pattern)
    return pc.if_else(hit, values, pa.scalar(None, values.type))


def uk_phones(texts: pa.Array) -> pa.Array:
    """E.164 of UK numbers with a ten-digit national number, as `normalise_phone` gives."""
    compact = pc.replace_substring_regex(texts, _PHONE_PUNCTUATION, "")
    e164 = pc.replace_substring_regex(compact, _UK_TEN_DIGITS, r"+44\1")
    return _where(compact, _UK_TEN_DIGITS, e164)


def uk_postcodes(texts: pa.Array) -> pa.Array:
    """Postcodes already in capitals, with or without their one space, tidied."""
    return _where(texts, _UK_POSTCODE, pc.replace_substring_regex(texts, _UK_POSTCODE, r"\1 \2"))


def _parsed(texts: pa.Array, pattern: str, fmt: str, day_at: int, month_at: int) -> pa.Array:
    head = pc.utf8_slice_codeunits(_where(texts, pattern, texts), 0, 10)
    stamps = pc.strptime(head, format=fmt, unit="s", error_is_null=True)
    # strptime rolls 29/02/2021 over to 1 March, and takes year 0: only a date whose day and
    # month are the ones written is kept; Python says what is wrong with the others.
    day = pc.utf8_slice_codeunits(head, day_at, day_at + 2).cast(pa.int64())
    month = pc.utf8_slice_codeunits(head, month_at, month_at + 2).cast(pa.int64())
    same = pc.and_(
        pc.and_(pc.equal(pc.day(stamps), day), pc.equal(pc.month(stamps), month)),
        pc.greater_equal(pc.year(stamps), 1),
    )
    return pc.if_else(same, stamps.cast(pa.date32()), pa.scalar(None, pa.date32()))


def dates(texts: pa.Array, styles: tuple[str, ...], formats: tuple[str, ...]) -> pa.Array | None:
    """Dates written dd/mm/yyyy or yyyy-mm-dd (time ignored), as `parse_date` reads them.

    None when explicit strptime `formats` are set: those are tried first and may read the
    same text differently. No other style reads these two shapes, so style order is moot.
    """
    if formats:
        return None
    out = pa.nulls(len(texts), pa.date32())
    if "dmy" in styles:
        out = pc.coalesce(out, _parsed(texts, _DMY, "%d/%m/%Y", day_at=0, month_at=3))
    if "iso" in styles:
        out = pc.coalesce(out, _parsed(texts, _ISO, "%Y-%m-%d", day_at=8, month_at=5))
    return out


#: "SMITH, John Paul": the way crime and custody systems often write a nominal.
_COMMA_NAME = r"^([A-Z]{2,}), ([A-Z][a-z]+(?: [A-Z][a-z]+)*)$"
#: "John Paul Smith", "Smith": words already written as `clean_name` writes them.
_PLAIN_NAME = r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*$"
#: A title anywhere ("Mr", "LADY"): `clean_name` may drop it, so Python decides.
_TITLE = r"(?i)(?:^|[ ,])(?:mr|mrs|ms|miss|mx|dr|prof|sir|lady|rev|master)(?:[ ,]|$)"
_NAME_KINDS = ("name", "forenames", "surname")


def names(texts: pa.Array, kind: str, order: str = "auto") -> pa.Array:
    """What `clean_name` (kind "name") or `split_name` (kind "forenames" or "surname", with
    `order`) gives for plain ASCII names in the two commonest shapes; null for the rest.

    A one-word name has no forenames; that answer (None) is left to Python too.
    """
    if kind not in _NAME_KINDS:
        raise ValueError(f"unknown name kind {kind!r}; expected one of {_NAME_KINDS}")
    untitled = pc.invert(pc.match_substring_regex(texts, _TITLE))
    if kind != "name" and order != "auto":  # only "auto" splits "SURNAME, Forenames" so
        comma = pa.repeat(False, len(texts))
    else:
        comma = pc.and_(untitled, pc.match_substring_regex(texts, _COMMA_NAME))
    plain = pc.and_(untitled, pc.match_substring_regex(texts, _PLAIN_NAME))
    surname = pc.utf8_capitalize(pc.replace_substring_regex(texts, _COMMA_NAME, r"\1"))
    forenames = pc.replace_substring_regex(texts, _COMMA_NAME, r"\2")
    if kind == "name":
        from_comma = pc.binary_join_element_wise(surname, forenames, " ")
        from_plain = texts
    else:
        # Plain words: the surname is the last word, or the first when written surname first.
        first = order == "surname_first"
        one = r"^([A-Z][a-z]+) (.+)$" if first else r"^(.+) ([A-Z][a-z]+)$"
        several = pc.match_substring_regex(texts, one)
        plain = pc.and_(plain, several) if kind == "forenames" else plain
        fore_words = pc.replace_substring_regex(texts, one, r"\2" if first else r"\1")
        sur_word = pc.replace_substring_regex(texts, one, r"\1" if first else r"\2")
        from_comma = forenames if kind == "forenames" else surname
        from_plain = fore_words if kind == "forenames" else pc.if_else(several, sur_word, texts)
    none = pa.scalar(None, pa.string())
    return pc.if_else(comma, from_comma, pc.if_else(plain, from_plain, none))
