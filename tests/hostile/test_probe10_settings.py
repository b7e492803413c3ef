"""Probe 10: a number from NumPy (a loop over np.arange, a value read from a DataFrame) is a number: k=np.int64(3)
was refused as "k must be a whole number between 1 and 50, not np.int64(3)"."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from conftest import write_tree
from hypothesis import given, strategies as st

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.errors import SettingError
from jupyter_docchat.settings import check_setting


@pytest.mark.parametrize("k", [np.int64(3), np.int32(3), np.uint8(3), np.float64(3.0), np.float32(3.0), np.float16(3.0), Fraction(3), Fraction(6, 2)])
def test_a_whole_number_of_any_numeric_type_is_taken(k: object) -> None:
    assert check_setting("k", k) == 3 and type(check_setting("k", k)) is int


@pytest.mark.parametrize("k", [np.bool_(True), np.float64(2.5), np.float64("nan"), np.int64(0), np.int64(51), "3", None,
                               10**400, -10**400, Fraction(10**400, 3), Fraction(5, 2), float("inf"), np.float64("-inf"), np.float32("inf"), np.float32(2.5)])
def test_what_is_no_whole_number_in_the_limits_is_refused(k: object) -> None:
    with pytest.raises(SettingError, match="k must be a whole number between 1 and 50"):
        check_setting("k", k)


def test_the_api_takes_numpy_numbers(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n",
                                          "rates.md": "# Rates\n\nRates rose quickly.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs, IndexOptions(chunk_size=np.int64(500), chunk_overlap=np.int64(50)))
        assert len(index.search("bank rates", k=np.int64(2), mode="lexical")) == 2
        assert len(index.ask("Why did the bank fail?", k=np.int64(1)).sources) == 1


@given(st.integers(-5, 60) | st.floats(allow_nan=True) | st.booleans())
def test_numpy_and_python_numbers_are_judged_alike(value: object) -> None:
    def verdict(v: object) -> object:
        try:
            return check_setting("k", v)
        except SettingError:
            return "refused"

    as_numpy = np.bool_(value) if isinstance(value, bool) else np.int64(value) if isinstance(value, int) else np.float64(value)
    assert verdict(as_numpy) == verdict(value)


def test_a_number_past_what_a_float_holds_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="lock timeout must be"):  # OverflowError: int too large to convert to float
        DocIndex(tmp_path / "store", lock_timeout=10**400)


def test_background_takes_a_numpy_number_of_chunks(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n"})
    with DocIndex(tmp_path / "store") as index:
        report = index.update(docs, background=np.int64(100))  # refused: "not np.int64(100)"
        assert report.added == 1 and not report.background  # one chunk: computed at once


def test_query_weights_may_be_numpy_numbers(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n",
                                          "rates.md": "# Rates\n\nRates rose quickly.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        for weight in (np.int64(1), np.float32(0.5)):  # "query must be a string or a list of (query, weight) pairs"
            hits = index.search([("bank", weight), ("rates", 1.0)], k=2, mode="lexical")
            assert {h.source for h in hits} == {"bank.md", "rates.md"}


def test_a_weight_past_what_a_float_holds_is_refused_in_one_line(tmp_path: Path) -> None:
    from jupyter_docchat.errors import DocChatError, StoreError

    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        with pytest.raises(DocChatError, match="weight must be a finite number") as caught:
            index.search([("bank", 10**400)], mode="lexical")  # "the store ... failed: int too large to convert to float"
        assert not isinstance(caught.value, StoreError)
