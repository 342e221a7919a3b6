"""Shared fixtures: the seed articles shipped in examples/, the labelled data in ../shared."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "examples" / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


def under_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment variable CI says so ("true" in any case, or "1")."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in {"true", "1"}


def missing(what: str, why: str, environ: Mapping[str, str] | None = None) -> NoReturn:
    """Skip a test whose prerequisite is absent, except under CI, where a skipped quality gate
    would pass unseen: there the absence is a failure that says what is missing."""
    if under_ci(environ):
        pytest.fail(
            f"{what} is missing, and CI is set: {why}, so under CI its absence fails the run "
            "instead of skipping the gate.",
            pytrace=False,
        )
    pytest.skip(f"{what} is missing")


def locate_shared_data(folder: Path, environ: Mapping[str, str] | None = None) -> Path:
    """``folder`` when it is there; otherwise skip, or fail under CI (see ``missing``)."""
    if not folder.is_dir():
        missing(
            f"the labelled data ../shared/data ({folder})",
            "the quality gates measure wiretrace on it",
            environ,
        )
    return folder


def require_semantic(available: bool, environ: Mapping[str, str] | None = None) -> None:
    """Go on when the fast sentence model can run; otherwise skip, or fail under CI."""
    if not available:
        missing(
            "the fast sentence model's dependencies (tokenizers, safetensors, blingfire: "
            "part of the core install, pip install -e .)",
            "the paraphrase and story gates measure the semantic stage",
            environ,
        )


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return locate_shared_data(SHARED_DATA)


@pytest.fixture(scope="session")
def semantic_extra() -> None:
    """For gates of the semantic stage: skips when it cannot run, fails under CI."""
    from wiretrace.semantic import semantic_available

    require_semantic(semantic_available())


@pytest.fixture(autouse=True)
def plain_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages are checked line by line: no forced terminal (colours, live progress bars)."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def benchmarks_on_path() -> Path:
    """The benchmark scripts import each other as top-level modules; quality gates reuse them."""
    import sys

    folder = str(REPO / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return REPO / "benchmarks"


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark (2 cores) for every Spark test: starting one costs ~5 s. Skips without
    the spark extra, fails under CI."""
    from wiretrace.spark import spark_available

    if not spark_available():
        missing(
            "the spark extra (pip install 'wiretrace[spark]')",
            "the Spark backend is tested against the local one",
        )
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("wiretrace-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # one JVM serves every Spark test (~600 stages): Spark's default heap of 1 GB ran out
        # in two CI runs, collecting a scan's Arrow batches late in the session
        # ("java.lang.OutOfMemoryError: Java heap space", and every later test refused)
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


BACKENDS = ("local", "spark")


@pytest.fixture(scope="module", params=BACKENDS)
def on_backend(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """splink's pattern: a test that takes this fixture runs on every backend. It gives a
    function that makes the backend to pass to ``scan`` (None: the local one)."""
    if request.param == "local":
        return lambda: None
    from wiretrace.spark import SparkBackend

    session = request.getfixturevalue("spark_session")
    return lambda: SparkBackend(spark=session)
