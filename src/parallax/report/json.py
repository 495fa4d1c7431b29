"""The report as the contract JSON (schema parallax.report/1)."""

from __future__ import annotations

import json

from parallax.model import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """Indented, non-ASCII kept as written so quotes and names stay readable."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
