"""A `wiretrace serve` process for the service benchmarks: started on a port the system
gives, stopped by SIGTERM (in-flight requests finished)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WIRETRACE = [sys.executable, "-m", "wiretrace"]


@contextmanager
def serving(index: Path, key: str, log: Path) -> Iterator[str]:
    """The server's base URL while it runs (its output goes to ``log``)."""
    with log.open("w") as stream:
        server = subprocess.Popen(
            [*WIRETRACE, "serve", str(index), "--port", "0"],
            env={**os.environ, "WIRETRACE_API_KEYS": key},
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    try:
        port = None
        while port is None:
            if server.poll() is not None:
                raise RuntimeError(f"the server ended: {log.read_text()}")
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", log.read_text())
            port = found.group(1) if found else None
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=600)
