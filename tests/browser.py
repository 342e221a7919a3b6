"""Driving the HTML report in a real browser: headless Chromium (Debian's ``chromium``
package, which ``.ci/run`` installs) through Playwright's Python API. Nothing is downloaded:
Playwright is pointed at the installed browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import missing

if TYPE_CHECKING:
    from playwright.sync_api import Page


def chromium() -> str:
    """The browser to drive: $WIRETRACE_CHROMIUM, else ``chromium`` on the PATH; skips the test
    when there is none (fails under CI, where .ci/run installs it)."""
    found = os.environ.get("WIRETRACE_CHROMIUM") or shutil.which("chromium")
    if not found:
        missing(
            "a Chromium browser (apt-get install chromium)",
            "the report is tested in a real browser",
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright (pip install -e '.[dev]')", "it drives the browser")
    return found


@dataclass
class Session:
    """A page of the report with what it logged: console errors and every request made."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def show(self, fragment: str) -> None:
        """Go to a view by its URL fragment, and wait until it is drawn."""
        self.page.evaluate("(hash) => { location.hash = hash; }", fragment)
        self.wait_view(fragment.split("/", 1)[0])

    # Waits by selector, not by a predicate: Playwright polls predicates with eval, which the
    # report's Content-Security-Policy forbids.
    def wait_view(self, name: str) -> None:
        self.page.wait_for_selector(f"html[data-view='{name}']", state="attached")

    def wait_pair(self, a: str, b: str) -> None:
        """Until the texts of pair a~b are drawn (a, b in the match's order)."""
        self.page.wait_for_selector(f"html[data-pair-ready='{a}~{b}']", state="attached")

    def evaluate(self, script: str, argument: Any = None) -> Any:
        return self.page.evaluate(script, argument)


@contextmanager
def open_report(
    path: Path, width: int = 1400, height: int = 1000, dark: bool = False
) -> Iterator[Session]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                color_scheme="dark" if dark else "light",
            )
            page = context.new_page()
            session = Session(page)
            page.on(
                "console",
                lambda message: (
                    session.errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: session.errors.append(str(error)))
            page.on("request", lambda request: session.requests.append(request.url))
            page.goto(path.resolve().as_uri())
            page.wait_for_selector("html[data-ready='1']", state="attached")
            yield session
        finally:
            browser.close()
