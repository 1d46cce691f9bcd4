import pytest

from tariffrules.errors import InvalidCodeError
from tariffrules.hts import code_prefixes, normalize_code, normalize_prefix


@pytest.mark.parametrize("text", ["8703.23.01", "87032301", " 8703.2301 "])
def test_eight_digit_forms_normalise_alike(text):
    assert normalize_code(text) == "87032301"


def test_ten_digit_code():
    assert normalize_code("8703.23.01.90") == "8703230190"


@pytest.mark.parametrize("text", ["8703", "870323", "870323019", "87a32301", "", None, 87032301, "8703-23-01"])
def test_malformed_codes_raise_naming_the_argument(text):
    with pytest.raises(InvalidCodeError) as info:
        normalize_code(text)
    assert str(info.value).startswith("hts=")
    assert info.value.argument == "hts"


def test_lengths_come_from_the_caller():
    assert normalize_code("870323", lengths=(6,)) == "870323"


@pytest.mark.parametrize("text,expected", [("87", "87"), ("8703.23", "870323"), ("1", None), ("12345678901", None),
                                           ("x1", None)])
def test_prefixes(text, expected):
    assert normalize_prefix(text) == expected


def test_code_prefixes_cover_every_length():
    assert code_prefixes("8703230190")[-1] == "8703230190"
    assert len(code_prefixes("8703230190")) == 9


@pytest.mark.parametrize("typed,lengths,example", [
    ("1201", (8,), "1201 and 4 more digits"),
    ("1201.9011.00", (8,), "12019011 if that is the line"),
    ("8703", (8, 10), "8703 and 4 more digits, or 8703 and 6 more digits"),
    ("12x01", (6,), "6 digits with optional dots, e.g. 123456"),
])
def test_code_errors_give_examples_of_the_rule_sets_lengths(typed, lengths, example):
    with pytest.raises(InvalidCodeError) as info:
        normalize_code(typed, lengths)
    assert example in str(info.value)
    assert "8703.23.01" not in str(info.value)


def test_a_chapter_98_number_as_the_goods_code_is_refused_naming_the_fact():
    # issue 14: "9801.00.10" JP and "9802.00.80" MX were answered as ordinary goods with chapter98 assumed "none";
    # a chapter 98 provision is claimed beside the chapter 1-97 number (CBP CSMS #64649265, HTSUS SEQUENCE)
    import pytest
    import tariffrules
    from tariffrules.errors import UnknownCodeError
    us = tariffrules.builtin("us")
    for code, origin, when in (("9801.00.10", "JP", "2025-04-16"), ("9802.00.80", "MX", "2025-07-01")):
        with pytest.raises(UnknownCodeError) as caught:
            us.resolve(code, origin, when)
        message = str(caught.value)
        assert "chapter 98 provision is claimed beside" in message
        assert "the fact chapter98 (one of none, excepted, 9802.00.40" in message
    with pytest.raises(UnknownCodeError, match="chapter 99 note 1"):  # the chapter 99 refusal keeps its own words
        us.resolve("9903.01.25", "JP", "2025-04-16")
