"""HeadingTrail: a chunk's heading text and its parts, joined and split in one place (types.py)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from jupyter_docchat.indexing.readers.base import HeadingStack
from jupyter_docchat.types import HeadingTrail

part = st.text(min_size=1, max_size=12).filter(lambda p: ">" not in p)


@given(st.text(max_size=60))
def test_any_heading_text_reads_back_as_itself(text: str) -> None:
    assert str(HeadingTrail.of(text)) == text


@given(st.lists(part, max_size=5), st.lists(part, max_size=3))
def test_a_trail_holds_exactly_the_trails_below_it(outer: list[str], below: list[str]) -> None:
    trail, inner = HeadingTrail(tuple(outer)), HeadingTrail(tuple(outer + below))
    assert HeadingTrail.of(str(inner)) == inner and trail.holds(inner)
    assert inner.upto(len(outer)) == trail and (inner.title == (outer + below or [""])[-1])
    assert inner.nested == (len(outer + below) > 1)
    if below:
        assert not inner.holds(trail)


def test_a_readers_stack_renders_through_the_trail() -> None:
    stack = HeadingStack("Manual")
    stack.enter(1, "Install")
    assert stack.enter(2, "On Linux") == str(HeadingTrail(("Manual", "Install", "On Linux")))
    assert HeadingTrail.of(stack.text).title == "On Linux" and HeadingTrail.of("").parts == ()
