"""Outlet series: reuse inside one outlet is marked and counted apart from cross-outlet reuse."""

from __future__ import annotations

import json
import random
from pathlib import Path

from wiretrace import ScanConfig, scan


def _corpus(path: Path) -> Path:
    chooser = random.Random(11)
    vocabulary = [f"w{number}" for number in range(3000)]
    story = " ".join(chooser.choice(vocabulary) for _ in range(300))
    records = [
        {"id": "herald-1", "outlet": "Herald", "text": story},
        {"id": "herald-2", "outlet": "herald", "text": story},  # the outlet's own follow-up
        {"id": "gazette-1", "outlet": "Gazette", "text": story},
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    return path


def test_matches_inside_one_outlet_carry_its_series(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "series.jsonl")
    result = scan([corpus], ScanConfig(semantic=False))
    series = {(match.a, match.b): match.series for match in result.matches}
    assert series == {
        ("gazette-1", "herald-1"): None,
        ("gazette-1", "herald-2"): None,
        ("herald-1", "herald-2"): "Herald",  # outlet names compare without case
    }
    counts = result.summary["counts"]
    assert counts["series_matches"] == 1
    assert counts["series_matches_by_relation"] == {"exact": 1}


def test_series_can_be_turned_off(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "series.jsonl")
    result = scan([corpus], ScanConfig(semantic=False, series=False))
    assert all(match.series is None for match in result.matches)
    assert result.summary["counts"]["series_matches"] == 0
