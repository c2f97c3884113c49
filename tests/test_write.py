"""The writer writes exactly what the general (cattrs) path writes, for every kind of field, and
refuses what no document can hold."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
import tradetruce.strategies as tst
from tradetruce.model.entries import Evidence
from tradetruce.wire import _convert, _encode

GENERAL = tt.make_converter()
FORMAT = {"format": tt.FORMAT}

DOCUMENTS: list[Callable[[], st.SearchStrategy[Any]]] = [
    tst.rates,
    tst.quantities,
    tst.terms,
    tst.sources,
    tst.parties,
    tst.links,
    tst.consequences,
    tst.deal_terms,
    lambda: tst.entries("measure"),
    lambda: tst.entries("deadline"),
    lambda: tst.entries("negotiation"),
    tst.measures,
    tst.deadlines,
    tst.negotiations,
    tst.scenarios,
]


@attrs.frozen
class Probe:
    """Every kind of field the writers know, with text the model's validators would refuse."""

    text: str
    number: int
    flag: bool = False
    amount: Decimal = Decimal("0")
    evidence: Evidence = Evidence.REPORTED
    when: tt.When | None = None
    code: tt.HSCode | None = None
    words: tuple[str, ...] = ()
    inner: Probe | None = None
    note: str = ""


def probes() -> st.SearchStrategy[Probe]:
    leaf = st.builds(
        Probe,
        text=st.text(),
        number=st.integers(),
        flag=st.booleans(),
        amount=st.decimals(allow_nan=False, allow_infinity=False),
        evidence=st.sampled_from(Evidence),
        when=st.none() | tst.times(),
        code=st.none() | tst.hs_codes(),
        words=st.lists(st.text(max_size=5), max_size=3).map(tuple),
        note=st.text(max_size=5),
    )
    return st.builds(
        Probe, text=st.text(), number=st.integers(), inner=st.none() | leaf, words=st.just(())
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_json_writer_writes_what_the_general_path_writes(data: st.DataObject) -> None:
    obj = data.draw(data.draw(st.sampled_from(DOCUMENTS))())
    text = tt.to_json(obj, indent=None)
    expected = {**FORMAT, **GENERAL.unstructure(obj)}
    assert json.loads(text) == tt.to_dict(obj) == expected
    assert text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def general_writer() -> Any:
    """A converter whose hooks for Probe come from its wire plan, as for the model's classes."""
    converter = tt.make_converter()
    converter.register_unstructure_hook_factory(
        lambda tp: tp is Probe, _convert._unstructure_factory(converter)
    )
    return converter


PROBE_WRITER = general_writer()


@settings(max_examples=200, deadline=None)
@given(probes())
def test_the_writer_writes_every_kind_of_field_as_the_general_path_does(probe: Probe) -> None:
    try:
        expected: bytes | None = msgspec.json.encode({**FORMAT, **PROBE_WRITER.unstructure(probe)})
    except tt.InvalidValueError:  # a whole number beyond what the format writes
        expected = None
    except UnicodeEncodeError:  # lone surrogates: no UTF-8 text holds them
        expected = None
    if expected is None:
        with pytest.raises(tt.InvalidValueError):
            _encode.encode(probe, Probe)
    else:
        assert _encode.encode(probe, Probe) == expected


def test_control_characters_quotes_and_non_ascii_text() -> None:
    text = "".join(map(chr, range(0x80))) + "é\u2028😀"
    probe = Probe(text=text, number=-(2**63), words=('a"b\\c', ""))
    written = _encode.encode(probe, Probe)
    assert written == msgspec.json.encode({**FORMAT, **PROBE_WRITER.unstructure(probe)})
    assert json.loads(written)["text"] == text


@pytest.mark.parametrize(
    "number", [2**63, -(2**63) - 1, 10**5000], ids=["2**63", "-2**63-1", "10**5000"]
)
def test_the_writer_refuses_whole_numbers_beyond_what_readers_read(number: int) -> None:
    with pytest.raises(tt.InvalidValueError, match="out of range") as exc:
        _encode.encode(Probe(text="", number=number), Probe)
    assert exc.value.allowed == f"a whole number from {-(2**63)} to {2**63 - 1}"


def test_a_subclass_is_written_by_its_base_class_fields() -> None:
    @attrs.frozen
    class SubRate(tt.Rate):
        pass

    terms = tt.Terms(rate=SubRate(Decimal("5")))
    assert tt.to_json(terms, indent=None) == '{"format":"tradetruce/2","rate":{"value":"5"}}'


@given(tst.hs_codes())
def test_a_read_hs_code_keeps_text_that_is_its_written_form(code: tt.HSCode) -> None:
    parsed = tt.HSCode.parse(str(code))
    assert (
        str(parsed) == str(code) == (f"{code.edition}:{code.code}" if code.edition else code.code)
    )
    assert parsed == code and hash(parsed) == hash(code)


def test_a_traceback_through_a_generated_writer_shows_its_source() -> None:
    with pytest.raises(tt.InvalidValueError) as exc:
        _encode.encode(Probe(text="", number=2**63), Probe)
    generated = [
        frame
        for frame in traceback.extract_tb(exc.value.__traceback__)
        if frame.filename.startswith("<tradetruce wire writer")
    ]
    assert generated, traceback.format_tb(exc.value.__traceback__)
    assert "o.number" in (generated[-1].line or ""), generated[-1]
