from typing import Any

class Unsupported(Exception): ...

def plan(cls: type, fields: tuple[tuple[str, str, int, Any, int, Any, bool], ...], /) -> Any: ...
def encode(obj: object, plans: dict[type, Any], head: bytes, /) -> str: ...
def when_reader(
    when: type,
    datetime: type,
    zone: Any,
    calendar: Any,
    open_lower: int,
    open_upper: int,
    min_year: int,
    max_year: int,
    /,
) -> object: ...
def read_when(text: str, reader: object, /) -> Any: ...
