"""The public surface: exported names and the error tree as documented."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest

import parallax
from parallax import errors

DOCS = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def test_exported_members() -> None:
    """Every public name of the package is in __all__ and nothing else is (modules aside)."""
    public = {
        name
        for name in dir(parallax)
        if not name.startswith("_") and not isinstance(getattr(parallax, name), types.ModuleType)
    } - {"PackageNotFoundError", "version"}  # imported only to read the installed version
    assert set(parallax.__all__) == public | {"__version__"}
    assert parallax.__all__ == sorted(parallax.__all__)


def _drawn_tree(text: str) -> dict[str, int]:
    """Class name -> depth, from a box-drawing tree."""
    tree = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([│ ]*(?:[├└]── )?)(\w+Error)\b", line)
        if m:
            tree[m.group(2)] = len(m.group(1)) // 4
    return tree


def test_error_tree_drawings_match_the_classes() -> None:
    real = {
        name: cls.__mro__.index(errors.ParallaxError)
        for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.ParallaxError)
    }
    assert _drawn_tree(errors.__doc__ or "") == real
    assert _drawn_tree(DOCS.read_text(encoding="utf-8")) == real
    assert issubclass(errors.ConfigError, ValueError)


def test_compare_fetches_urls_safely_and_refuses_private_hosts() -> None:
    with pytest.raises(errors.FetchError) as info:
        parallax.compare(["http://127.0.0.1/story.html"])
    assert info.value.refused
