"""The Arrow CSV fast path: same header and row numbers as the careful reader, or gives up."""

from __future__ import annotations

import pytest

from msht.ingest.csvarrow import UTF8_BOM, read_csv_arrow
from msht.ingest.mapping import Mapping


def _mapping(encoding: str = "utf-8-sig") -> Mapping:
    return Mapping.model_validate(
        {
            "source": "s",
            "files": "*.csv",
            "format": "csv",
            "encoding": encoding,
            "record_id": "Ref",
            "entities": {"p": {"type": "Person", "properties": {"surname": {"column": "Name"}}}},
        }
    )


def test_byte_order_mark_and_quoted_header() -> None:
    data = UTF8_BOM + b'"Ref","Name"\r\nA1,"Smith"\r\nA2,Jones\r\n'
    result = read_csv_arrow(_mapping(), data)
    assert result is not None
    header, table, numbers = result
    assert header == ["Ref", "Name"]
    assert table.to_pylist() == [{"Ref": "A1", "Name": "Smith"}, {"Ref": "A2", "Name": "Jones"}]
    assert numbers == [2, 3]


def test_line_breaks_inside_fields_are_counted() -> None:
    data = b'Ref,Name\nA1,"two\nlines"\nA2,"three\r\nmore\nlines"\nA3,x\n'
    result = read_csv_arrow(_mapping("utf-8"), data)
    assert result is not None
    assert result[2] == [2, 4, 7]


@pytest.mark.parametrize(
    "data",
    [
        b"Ref,Name\rA1,x\rA2,y\r",  # lone \r line ends
        b"Ref,Name\nA1,x\n\nA2,y\n",  # a blank line
        b'Ref,Name\nA1,Sm"ith\n',  # a stray quote
        b"Ref,Name\nA1,x,extra\n",  # a wrong column count
        b"Ref,Ref\nA1,x\n",  # a repeated header name
    ],
    ids=["lone CR", "blank line", "stray quote", "column count", "repeated header"],
)
def test_gives_up_on_what_the_careful_reader_must_explain(data: bytes) -> None:
    assert read_csv_arrow(_mapping("utf-8"), data) is None


def test_byte_order_mark_in_another_encoding_is_cut_off() -> None:
    data = UTF8_BOM + "Ref,Name\nA1,Caf\u00e9\n".encode("cp1252")
    result = read_csv_arrow(_mapping("cp1252"), data)
    assert result is not None
    assert result[0] == ["Ref", "Name"]
    assert result[1].to_pylist() == [{"Ref": "A1", "Name": "Caf\u00e9"}]


def test_crlf_line_ends_are_one_line_each() -> None:
    result = read_csv_arrow(_mapping("utf-8"), b"Ref,Name\r\nA1,x\r\nA2,y\r\nA3,z\r\n")
    assert result is not None
    assert result[2] == [2, 3, 4]
