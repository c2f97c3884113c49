"""The JSON writer writes exactly the wire dicts (``to_dict``), escaping and converting text as
msgspec does."""

from __future__ import annotations

import json
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
from tradetruce.wire import _encode as _write

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
def test_the_json_writer_writes_the_wire_dicts(data: st.DataObject) -> None:
    obj = data.draw(data.draw(st.sampled_from(DOCUMENTS))())
    text = _write.encode_json(obj, indent=None)
    assert json.loads(text) == tt.to_dict(obj)
    assert text == json.dumps(tt.to_dict(obj), ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=200, deadline=None)
@given(probes())
def test_the_json_writer_escapes_and_converts_as_msgspec_does(probe: Probe) -> None:
    try:
        expected: str | None = msgspec.json.encode(
            {"format": tt.FORMAT, **_write.unstructure(probe)}
        ).decode()
    except msgspec.EncodeError:  # lone surrogates: msgspec will not write them
        expected = None
    if expected is None:
        with pytest.raises(msgspec.EncodeError):
            _write.encode_json(probe, indent=None)
    else:
        assert _write.encode_json(probe, indent=None) == expected


def test_control_characters_quotes_and_non_ascii_text() -> None:
    text = "".join(map(chr, range(0x80))) + "é\u2028😀"
    probe = Probe(text=text, number=-(10**30), words=('a"b\\c', ""))
    written = _write.encode_json(probe, indent=None)
    assert (
        written == msgspec.json.encode({"format": tt.FORMAT, **_write.unstructure(probe)}).decode()
    )
    assert json.loads(written)["text"] == text


def test_a_subclass_is_written_by_its_base_class_fields() -> None:
    @attrs.frozen
    class SubRate(tt.Rate):
        pass

    terms = tt.Terms(rate=SubRate(Decimal("5")))
    assert tt.to_json(terms, indent=None) == '{"format":"tradetruce/1","rate":{"value":"5"}}'


@given(tst.hs_codes())
def test_a_read_hs_code_keeps_text_that_is_its_written_form(code: tt.HSCode) -> None:
    parsed = tt.HSCode.parse(str(code))
    assert (
        str(parsed) == str(code) == (f"{code.edition}:{code.code}" if code.edition else code.code)
    )
    assert parsed == code and hash(parsed) == hash(code)
