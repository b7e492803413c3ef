"""HeadingTrail: a chunk's heading text and its parts, joined and split in one place (types.py)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

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


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(list("aiklnLINKıK ¶#§\t") + ["link", "Link", "LINK", "lınk", "lin\u212a",
                                                                  "permalink to this headline", "Permanent link", "PERMANENT LINK",
                                                                  "LINK TO THIS SECTION", "permanent lınk", "Direct Lin\u212a to this Term"]),
                     max_size=20).map("".join))
def test_a_heading_is_cleaned_as_the_permalink_pattern_always_cleaned_it(text: str) -> None:
    """clean_heading skips the permalink pattern for plain ASCII without "link" in any case: the same as running it."""
    from jupyter_docchat.indexing.readers.base import LEADING_MARKS, PERMALINK_TITLE, clean_heading, without_trailing_marks

    always = LEADING_MARKS.sub("", without_trailing_marks(PERMALINK_TITLE.sub(" ", " ".join(text.split())))).strip()
    assert clean_heading(text) == always


def test_a_trail_of_the_same_heading_is_the_same_trail() -> None:
    """HeadingTrail.of remembers the trails it made: equal to one made anew, a subclass's its own."""
    heading = "Guide > Usage > Limits"
    assert HeadingTrail.of(heading) == HeadingTrail(("Guide", "Usage", "Limits")) == HeadingTrail.of(heading)
    assert HeadingTrail.of("") == HeadingTrail(())

    class Trail(HeadingTrail):
        pass

    assert type(Trail.of(heading)) is Trail
