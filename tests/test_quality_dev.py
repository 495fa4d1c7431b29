"""Quality gate over the labelled dev sets and the hand-annotated stories in ../shared.

Every set is scored by the shared scorers themselves (eval/measure.py, data/ecbplus/score.py,
eval/score_report.py, loaded by path), so a gate figure is what the README's measurement
command prints for the same records (`measure.py TASK DATA --limit N`). Where a whole set
would take CI too long, the gate scores a fixed prefix of it (`limit` records, pinned with
its figures; docs/measurements.md gives the timings and the whole-set figures).

A figure below its pinned value less the file's tolerance fails. So does a set whose data
or scorer changed (sha256), which has to be re-pinned before its figures mean anything:

    .venv/bin/python -m tests.test_quality_dev               # measure and print, write nothing
    .venv/bin/python -m tests.test_quality_dev --pin [SET]   # re-measure, rewrite quality_floors.json
    .venv/bin/python -m tests.test_quality_dev --full [SET]  # the whole sets (for the docs)

Raise a floor when the code gets better; never lower one to let a change pass. A deliberate
trade (precision for recall, say) is re-pinned and named in the commit message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import SHARED

__all__ = ["SETS", "DevSet", "digest", "load_scorer", "main", "measure", "pin"]

FLOORS = Path(__file__).with_name("quality_floors.json")
MEASURE = SHARED / "eval" / "measure.py"
SCORE_REPORT = SHARED / "eval" / "score_report.py"
DATA = SHARED / "data"
ECBPLUS_SCORE = DATA / "ecbplus" / "score.py"
PIN = ".venv/bin/python -m tests.test_quality_dev --pin"
# Scorer outputs that are not quality figures: timings, and what predicting every pair would get.
NOT_GATED = {"seconds", "scoring_seconds", "all_pairs_precision", "all_pairs_f1"}


@dataclass(frozen=True)
class DevSet:
    """One gated set: the scorer task, the files its figures depend on and the records scored."""

    task: str  # a measure.py task, "ecbplus_claims" (data/ecbplus/score.py) or "story" (score_report.py)
    data: Path  # what the scorer reads records from
    files: tuple[Path, ...]  # every file the figures depend on, scorer included (the pinned digest)
    limit: int | None = None  # score the first `limit` records only (measure.py --limit); None: all


def _measure_set(task: str, data: str, *extra: str, limit: int | None = None) -> DevSet:
    path = DATA / data
    return DevSet(task, path, (MEASURE, path, *(DATA / e for e in extra)), limit)


def _story(folder: Path) -> DevSet:
    gold = folder / "gold.json"
    texts = (
        [folder / a["file"] for a in json.loads(gold.read_text(encoding="utf-8"))["articles"].values()]
        if gold.exists()
        else []
    )
    return DevSet("story", folder / "story.jsonl", (SCORE_REPORT, folder / "story.jsonl", gold, *texts))


# Whole sets would take CI about 40 minutes; these fixed prefixes (whole documents and stories)
# take about 13 minutes on a 2-core machine. Timings and whole-set figures: docs/measurements.md.
SETS: dict[str, DevSet] = {
    "mrpc": _measure_set("mrpc", "mrpc/dev.jsonl", limit=200),
    "quotes": _measure_set("quotes", "polnear/dev.jsonl", limit=30),
    "timex": _measure_set("timex", "timex/dev.jsonl", limit=40),
    "ner": _measure_set("ner", "ner/dev.jsonl", limit=1202),  # sentence lines: the first 70 documents
    "stories_newswcl50": _measure_set("stories", "newswcl50/dev.jsonl"),
    "framing": _measure_set("framing", "newswcl50/dev.jsonl", "newswcl50/framing.json"),
    "stories_ecbplus": _measure_set("stories", "ecbplus/dev_articles.jsonl", limit=231),  # topics 1-10
    "ecbplus_claims": DevSet(
        "ecbplus_claims",
        DATA / "ecbplus" / "dev.jsonl",
        (ECBPLUS_SCORE, DATA / "ecbplus" / "dev.jsonl"),
        limit=10,  # stories: topics 1-5
    ),
} | {f"story/{p.parent.name}": _story(p.parent) for p in sorted(DATA.glob("stories/*/story.jsonl"))}

pytestmark = [
    pytest.mark.quality,
    pytest.mark.model,
    pytest.mark.skipif(not MEASURE.exists(), reason=f"{SHARED} (scorers and dev sets) is absent"),
]


def load_scorer(path: Path) -> ModuleType:
    """A shared scorer, imported from its file (../shared is not a package)."""
    spec = importlib.util.spec_from_file_location(f"shared_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def digest(dev_set: DevSet) -> str:
    """sha256 over the set's files: a changed reference or scorer makes old figures meaningless."""
    h = hashlib.sha256()
    for path in dev_set.files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _ecbplus_claims(score: ModuleType, dev_set: DevSet, limit: int | None) -> dict[str, Any]:
    """score.py's measure, with compare run in this process instead of a fresh one per call."""
    from parallax import Article, compare

    stories = score.rows(str(dev_set.data), limit)
    results = {}
    for story in stories:
        articles = [
            Article(
                text=a["text"],
                title=a.get("title"),
                outlet=a.get("outlet"),
                published=a.get("published"),
                id=a["id"],
            )
            for a in story["articles"]
        ]
        report = json.loads(json.dumps(compare(articles).to_dict(), default=str))
        results[story["story"]] = {"report": report}
    figures: dict[str, Any] = score.evaluate(stories, results, log=sys.stderr)
    return figures


def _story_scores(score_report: ModuleType, dev_set: DevSet) -> dict[str, Any]:
    """score_report.py on the report of `parallax compare story.jsonl` (the API on the same file)."""
    from parallax import compare

    gold = json.loads((dev_set.data.parent / "gold.json").read_text(encoding="utf-8"))
    gold["_dir"] = str(dev_set.data.parent)
    report = json.loads(json.dumps(compare(str(dev_set.data)).to_dict()))
    figures: dict[str, Any] = score_report.score(report, gold)
    return figures


def measure(dev_set: DevSet, *, full: bool = False) -> dict[str, float]:
    """The set's quality figures (higher is better), from its shared scorer."""
    limit = None if full else dev_set.limit
    if dev_set.task == "story":
        figures = _story_scores(load_scorer(SCORE_REPORT), dev_set)
    elif dev_set.task == "ecbplus_claims":
        figures = _ecbplus_claims(load_scorer(ECBPLUS_SCORE), dev_set, limit)
    else:
        scorer = load_scorer(MEASURE)
        scorer.DATA_PATH = str(dev_set.data)  # framing finds framing.json beside the data
        figures = getattr(scorer, dev_set.task)(scorer.rows(str(dev_set.data), limit))
    return {k: v for k, v in figures.items() if isinstance(v, float) and k not in NOT_GATED}


def _pinned() -> dict[str, Any]:
    floors: dict[str, Any] = json.loads(FLOORS.read_text(encoding="utf-8"))
    return floors


def test_every_pinned_set_still_exists() -> None:
    gone = sorted(set(_pinned().get("dev_sets", {})) - set(SETS))
    assert not gone, f"pinned sets no longer in ../shared or the gate: {gone}; re-pin with `{PIN}`"


@pytest.mark.parametrize("name", list(SETS))
def test_dev_set_stays_above_its_floors(name: str) -> None:
    pinned = _pinned()
    dev_set = SETS[name]
    entry = pinned.get("dev_sets", {}).get(name)
    assert entry, f"{name} has no pinned figures; measure and pin it with `{PIN} {name}`"
    missing = [str(p) for p in dev_set.files if not p.exists()]
    assert not missing, f"{name}: {missing} are gone; if the set moved, re-pin with `{PIN} {name}`"
    assert entry["limit"] == dev_set.limit and entry["sha256"] == digest(dev_set), (
        f"{name}: its data, scorer or subset changed since its figures were pinned (sha256 or limit); "
        f"re-measure and pin with `{PIN} {name}`, and say so in the commit"
    )
    figures = measure(dev_set)
    tolerance = pinned["tolerance"]
    below = {
        metric: (round(figures.get(metric, 0.0), 3), floor)
        for metric, floor in entry["floors"].items()
        if figures.get(metric, 0.0) < floor - tolerance
    }
    assert not below, f"{name}: below the pinned floors (figure, floor; tolerance {tolerance}): {below}"


def _code_commit() -> str:
    """The commit of the parallax being measured, '+dirty' when its tree has changes."""
    import parallax

    where = Path(parallax.__file__).parent

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--", ".") else "")


def main(argv: list[str] | None = None) -> int:
    """Measure the gate's sets and print their figures and times; --pin rewrites their floors."""
    parser = argparse.ArgumentParser(prog="python -m tests.test_quality_dev", description=main.__doc__)
    parser.add_argument("sets", nargs="*", metavar="SET", help="default: all of " + ", ".join(SETS))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--pin", action="store_true", help="write the figures as floors into quality_floors.json"
    )
    mode.add_argument("--full", action="store_true", help="score the whole sets, not the gate's subsets")
    args = parser.parse_args(argv)
    unknown = set(args.sets) - set(SETS)
    if unknown:
        parser.error(f"unknown sets {sorted(unknown)}; known: {', '.join(SETS)}")
    commit = _code_commit()
    for name in args.sets or SETS:
        dev_set = SETS[name]
        t0 = time.perf_counter()
        figures = measure(dev_set, full=args.full)
        seconds = time.perf_counter() - t0
        scored = "all" if args.full or dev_set.limit is None else f"first {dev_set.limit}"
        print(f"{name} ({scored}, {seconds:.0f} s): " + " ".join(f"{k}={v:.3f}" for k, v in figures.items()))
        if args.pin:
            pin(name, figures, commit)
    return 0


def pin(name: str, figures: dict[str, float], commit: str) -> None:
    """Write one set's figures, digest and subset into quality_floors.json as its new floors.

    Entries of sets the gate no longer has are dropped.
    """
    dev_set = SETS[name]
    pinned = _pinned()
    pinned["dev_sets"] = {k: v for k, v in pinned.get("dev_sets", {}).items() if k in SETS}
    pinned["dev_sets"][name] = {
        "commit": commit,
        "pinned": dt.date.today().isoformat(),
        "limit": dev_set.limit,
        "sha256": digest(dev_set),
        "floors": {k: round(v, 3) for k, v in figures.items()},
    }
    FLOORS.write_text(json.dumps(pinned, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
