"""Hostile input to validators, entities, codes and terms: huge, repeated, unwritable or oddly
typed (time values: ``test_when.py``).

Every bad value gets an :class:`InvalidValueError` naming its field and what is allowed, in time
linear in its size; nothing else escapes (no ``ValueError`` from writing a huge integer, no
``OverflowError``, no ``TypeError``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tradetruce as tt
from _hostile import ANYTHING, HUGE, finishes_within
from tradetruce import (
    Calendar,
    HSCode,
    InvalidValueError,
    Link,
    LinkKind,
    Measure,
    MeasureKind,
    Negotiation,
    Party,
    PartyKind,
    Quantity,
    Rate,
    TradeTruceError,
    When,
)
from tradetruce.model.negotiation import Round
from tradetruce.values import _validate, codes, terms
from tradetruce.values import when as when_module


def tariff(**changes: Any) -> Measure:
    fields: dict[str, Any] = {
        "id": "us-100pct",
        "kind": MeasureKind.TARIFF,
        "imposed_by": "us",
        "targets": ("cn",),
        "rate": Rate.percent("100"),
        "at": "2025-10-10[America/New_York]",
        "source": "art",
    }
    fields.update(changes)
    return Measure.propose(**fields)


def talks(**changes: Any) -> Negotiation:
    fields: dict[str, Any] = {
        "id": "talks",
        "title": "Trade talks",
        "parties": ("us", "cn"),
        "at": "2025-10[Asia/Kuala_Lumpur]",
        "source": "s",
    }
    fields.update(changes)
    return Negotiation.schedule(**fields)


# ------------------------------------------------------------------------ repeated and long


def test_a_hundred_thousand_copies_of_one_id_are_refused_in_linear_time() -> None:
    with finishes_within(10), pytest.raises(InvalidValueError) as info:
        tariff(targets=("cn",) * 100_000)
    assert info.value.field == "targets"
    assert str(info.value) == "targets: repeated ids cn (allowed: each id once)"


def test_repeated_ids_are_each_named_once_in_sorted_order() -> None:
    with pytest.raises(InvalidValueError) as info:
        tariff(targets=("eu", "cn", "jp", "eu", "cn", "cn"))
    assert str(info.value).startswith("targets: repeated ids cn, eu ("), str(info.value)


def test_a_hundred_thousand_distinct_ids_are_accepted_in_linear_time() -> None:
    many = tuple(f"p{i}" for i in range(100_000))
    with finishes_within(10):
        assert tariff(targets=many).targets == many


def test_rounds_out_of_order_are_refused_naming_the_first_pair_out_of_order() -> None:
    rounds = tuple(Round(number=n) for n in (1, 2, 5, 4, 6, 3))
    with pytest.raises(InvalidValueError) as info:
        talks(rounds=rounds)
    assert info.value.field == "rounds"
    assert "round 4 follows round 5" in str(info.value), str(info.value)


def test_a_hundred_thousand_rounds_in_reverse_get_a_short_message() -> None:
    rounds = tuple(Round(number=n) for n in range(100_000, 0, -1))
    with finishes_within(10), pytest.raises(InvalidValueError) as info:
        talks(rounds=rounds)
    assert len(str(info.value)) < 300, len(str(info.value))


def test_a_hundred_thousand_aliases_are_checked_in_linear_time() -> None:
    aliases = tuple(f"alias {i}" for i in range(100_000))
    with finishes_within(10):
        assert Party(id="us", name="US", kind=PartyKind.STATE, aliases=aliases).aliases == aliases


def test_a_long_bad_id_is_cut_short_in_the_message() -> None:
    with pytest.raises(InvalidValueError) as info:
        Party(id="X" * 1_000_000, name="US", kind=PartyKind.STATE)
    assert info.value.field == "id"
    assert len(str(info.value)) < 400, len(str(info.value))


def test_checking_ids_leaves_no_memo_behind() -> None:
    def mutable_state() -> dict[str, object]:
        return {
            name: repr(sorted(value) if isinstance(value, set) else value)
            for name, value in vars(_validate).items()
            if isinstance(value, set | dict | list)
        }

    before = mutable_state()
    for i in range(100):
        _validate.check_id(f"never-seen-before-{i}")
    assert mutable_state() == before


def test_the_values_modules_offer_no_way_to_empty_a_memo() -> None:
    # Their only memos are bounded caches of pure functions: nothing a caller must clear.
    for module in (_validate, codes, terms, when_module):
        forgetters = [name for name in vars(module) if name.startswith("forget")]
        assert forgetters == [], module.__name__


def test_every_memo_of_the_values_modules_is_bounded() -> None:
    for module in (_validate, codes, terms, when_module):
        for name, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if info is not None and value.__wrapped__.__code__.co_argcount:
                assert info().maxsize is not None, f"{module.__name__}.{name}"


# ---------------------------------------------------------------- text UTF-8 cannot encode

SURROGATES = ["\ud800", "\udfff", "a\udc80b", "\ud83d\ude00"]  # the last: a pair, still two


@pytest.mark.parametrize("bad", SURROGATES)
@pytest.mark.parametrize(
    ("field", "build"),
    [
        ("name", lambda s: Party(id="us", name=s, kind=PartyKind.STATE)),
        ("title", lambda s: Party(id="us", name="US", kind=PartyKind.STATE, title=s)),
        ("aliases[1]", lambda s: Party(id="us", name="US", kind=PartyKind.STATE, aliases=("a", s))),
        ("title", lambda s: tariff(title=s)),
        ("scope", lambda s: tariff(scope=s)),
        ("currency", lambda s: Rate.specific("5", currency=s, per="ton")),
        ("unit", lambda s: Quantity.of("5", s)),
        ("issues[0]", lambda s: talks(issues=(s,))),
        ("outcome", lambda s: Round(number=1, outcome=s)),
    ],
)
def test_text_that_utf8_cannot_encode_is_refused_naming_the_field(
    field: str, build: Callable[[str], object], bad: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build(bad)
    assert info.value.field == field
    assert "UTF-8" in info.value.allowed, info.value.allowed
    assert "surrogate" in str(info.value), str(info.value)


@pytest.mark.parametrize("bad", SURROGATES)
def test_ids_that_utf8_cannot_encode_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        tariff(targets=("cn", bad))
    assert info.value.field == "targets[1]"


def test_text_with_characters_from_every_plane_is_accepted() -> None:
    name = "Türkiye 中国 \U0001f600 e\u0301"
    assert Party(id="tr", name=name, kind=PartyKind.STATE).name == name


def test_aliases_with_control_characters_are_refused_like_any_text() -> None:
    with pytest.raises(InvalidValueError) as info:
        Party(id="us", name="US", kind=PartyKind.STATE, aliases=("USA", "U\x00S"))
    assert info.value.field == "aliases[1]"
    assert "control" in str(info.value)


@pytest.mark.parametrize("bad", [(" ",), ("",), ("ok", 3), ["a"], "abc"])
def test_aliases_must_be_a_tuple_of_non_empty_text(bad: Any) -> None:
    with pytest.raises(InvalidValueError) as info:
        Party(id="us", name="US", kind=PartyKind.STATE, aliases=bad)
    assert info.value.field.startswith("aliases")


# ------------------------------------------------------------------------- bounded numbers


def test_round_numbers_are_bounded_by_the_largest_whole_number_the_writers_write() -> None:
    assert _validate.MAX_WHOLE_NUMBER == 2**31 - 1
    assert Round(number=_validate.MAX_WHOLE_NUMBER).number == 2**31 - 1
    for bad in (0, -1, _validate.MAX_WHOLE_NUMBER + 1, HUGE, -HUGE):
        with pytest.raises(InvalidValueError) as info:
            Round(number=bad)
        assert info.value.field == "number"
        assert str(_validate.MAX_WHOLE_NUMBER) in info.value.allowed


# None is allowed: a leaders' meeting or a call need not be a numbered round.
@pytest.mark.parametrize("bad", [True, 1.0, "1", Decimal(1), 0])
def test_round_numbers_are_whole_numbers_only(bad: Any) -> None:
    with pytest.raises(InvalidValueError, match="number"):
        Round(number=bad)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Round(number=HUGE),
        lambda: Party(id=HUGE, name="US", kind=PartyKind.STATE),
        lambda: Party(id="us", name=HUGE, kind=PartyKind.STATE),
        lambda: Party(id="us", name="US", kind=HUGE),
        lambda: Party(id="us", name="US", kind=PartyKind.STATE, jurisdiction=HUGE),
        lambda: Link(LinkKind.SUSPENDS, HUGE),
        lambda: HSCode(HUGE),
        lambda: HSCode("12", HUGE),
        lambda: HSCode.parse(HUGE),
        lambda: Rate(HUGE),
        lambda: Rate.percent(-HUGE),
        lambda: Quantity(Decimal(1), "t", HUGE),
        lambda: Calendar(HUGE),
        lambda: Calendar(2025, HUGE),
        lambda: Calendar(2025, 1, HUGE),
        lambda: Calendar(2025, 2**64),
        lambda: Calendar(2025, 1, -(2**64)),
        lambda: tt.Consequence("x", HUGE),
        lambda: tariff(targets=(HUGE,)),
    ],
)
def test_a_huge_integer_anywhere_gets_a_short_invalid_value_error(
    build: Callable[[], object],
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build()
    assert len(str(info.value)) < 600, str(info.value)[:600]


# ------------------------------------------------------------------------------ HS editions


def test_only_editions_that_exist_are_accepted() -> None:
    assert codes.EDITIONS == (
        "HS1988",
        "HS1992",
        "HS1996",
        "HS2002",
        "HS2007",
        "HS2012",
        "HS2017",
        "HS2022",
        "HS2027",
    )
    for edition in codes.EDITIONS:
        assert HSCode.parse(f"{edition}:1201").edition == edition
    for bad in ("HS2030", "HS1999", "HS2023", "HS1900", "hs2022", "HS22", "HS2022 "):
        with pytest.raises(InvalidValueError) as info:
            HSCode("1201", bad)
        assert info.value.field == "edition"
        assert "HS2027" in info.value.allowed


def test_the_edition_pattern_is_built_from_the_list_of_editions() -> None:
    for year in range(1900, 2100):
        name = f"HS{year}"
        assert (codes._EDITION_RE.fullmatch(name) is not None) == (name in codes.EDITIONS), name


@pytest.mark.parametrize("bad", ["\u0661\u0662", "\uff11\uff12\uff13\uff14", "HS2022:\u0661\u0662"])
def test_hs_codes_in_digits_of_other_scripts_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValueError, match="digit string"):
        HSCode.parse(bad)


def test_the_text_of_a_read_hs_code_is_worked_out_from_its_fields() -> None:
    read = HSCode.parse("HS2022:120190")
    built = HSCode("120190", "HS2022")
    filled = {s for s in ("code", "edition", "_text") if _has_slot(read, s)}
    assert filled == {s for s in ("code", "edition", "_text") if _has_slot(built, s)}
    assert str(read) == str(built) == "HS2022:120190"


def test_codes_with_and_without_an_edition_sort_with_no_edition_first() -> None:
    mixed = [HSCode("12", "HS2022"), HSCode("12"), HSCode("1201"), HSCode("12", "HS2017")]
    assert [str(c) for c in sorted(mixed)] == ["12", "HS2017:12", "HS2022:12", "1201"]


def _has_slot(obj: object, name: str) -> bool:
    try:
        type(obj).__dict__[name].__get__(obj, type(obj))
    except AttributeError:
        return False
    return True


# ----------------------------------------------------------------------------------- fuzzing

NUMBERISH = st.one_of(
    st.text(),
    st.from_regex(r"\A[ +-]?[0-9_]{0,8}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,12})?\s?\Z"),
    st.sampled_from(["NaN", "sNaN", "Infinity", "-0", "1e999999999999999999", "\ud800"]),
)
READERS: list[tuple[str, Callable[[Any], object]]] = [
    ("When.parse", When.parse),
    ("Calendar.parse", Calendar.parse),
    ("HSCode.parse", HSCode.parse),
    ("Rate.percent", Rate.percent),
    ("Rate.specific", functools.partial(Rate.specific, currency="USD", per="ton")),
    ("Quantity.of", functools.partial(Quantity.of, unit="tonne")),
    ("Quantity.of unit", functools.partial(Quantity.of, "5")),
    ("parse_instant", when_module.parse_instant),
]


@pytest.mark.parametrize(("name", "read"), READERS, ids=[n for n, _ in READERS])
@given(value=st.one_of(ANYTHING, NUMBERISH))
def test_readers_raise_only_tradetruce_errors_whatever_they_are_given(
    name: str, read: Callable[[Any], object], value: object
) -> None:
    with contextlib.suppress(TradeTruceError):
        read(value)


@given(value=ANYTHING)
def test_every_validator_raises_only_invalid_value_error(value: object) -> None:
    field = attrs.fields(Party).name
    validators: list[Callable[[object, Any, object], None]] = [
        _validate.an_id,
        _validate.an_optional_id,
        _validate.ids,
        _validate.text,
        _validate.nonempty_text,
        _validate.optional_text,
        _validate.texts,
        _validate.instance(PartyKind),
        _validate.instance(int, optional=True),
        _validate.tuple_of(HSCode),
        _validate.WholeNumber(1),
    ]
    for check in validators:
        with contextlib.suppress(InvalidValueError):
            check(None, field, value)


@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_names_in_the_zone_database_that_are_no_place_are_refused(name: str) -> None:
    with pytest.raises(tt.InvalidTimeError, match="unknown time zone"):
        tt.When.parse(f"2025-01-01[{name}]")


@pytest.mark.parametrize("text", [" 7.5 ", "1_000", "\u0667", "7.5\n", "\uff17"])
def test_a_rate_written_as_text_takes_ascii_digits_only_as_the_wire_does(text: str) -> None:
    with pytest.raises(tt.InvalidValueError, match="not a finite decimal"):
        tt.Rate.percent(text)


@pytest.mark.parametrize(
    ("text", "parse"),
    [
        ("\u0662\u0660\u0662\u0665-01-01[UTC]", tt.When.parse),
        ("P\u0661Y", tt.Duration.parse),
    ],
)
def test_time_values_and_durations_take_ascii_digits_only(text: str, parse: Any) -> None:
    with pytest.raises(tt.InvalidTimeError if parse is tt.When.parse else tt.InvalidValueError):
        parse(text)
