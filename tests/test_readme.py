"""The README's two commands stay true: CI runs exactly the README's test command."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _commands() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_ci_runs_the_readme_test_command() -> None:
    first, second = _commands()[:2]
    assert "wiretrace scan examples/seeds" in first
    assert "pytest" in second
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert second in ci.splitlines()


def test_seed_articles_are_shipped() -> None:
    assert len(list((REPO / "examples" / "seeds").glob("*.txt"))) == 4
