"""The service fuzzed from its own OpenAPI schema with schemathesis (every check), against a
real server on loopback over an index of the seed articles: the cases run, the failures, and
the 5xx answers the server logged.

    python benchmarks/service.py [--examples 100]

Needs schemathesis (`pip install schemathesis`) and the service extra.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fuzz(examples: int) -> dict[str, object]:
    key = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as work:
        index = Path(work) / "index"
        wiretrace = [sys.executable, "-m", "wiretrace"]
        subprocess.run([*wiretrace, "index", "create", str(index), "-q"], check=True)
        subprocess.run(
            [*wiretrace, "index", "add", str(index), str(REPO / "examples" / "seeds"), "-q"],
            check=True,
        )
        log = Path(work) / "server.log"
        with log.open("w") as stream:
            server = subprocess.Popen(
                [*wiretrace, "serve", str(index), "--port", "0"],
                env={**os.environ, "WIRETRACE_API_KEYS": key},
                stdout=stream,
                stderr=subprocess.STDOUT,
            )
        try:
            port = None
            while port is None and server.poll() is None:
                found = re.search(r"running on http://127\.0\.0\.1:(\d+)", log.read_text())
                port = found.group(1) if found else None
            run = subprocess.run(
                [
                    shutil.which("schemathesis")
                    or str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    f"http://127.0.0.1:{port}/openapi.json",
                    "--checks",
                    "all",
                    "-H",
                    f"Authorization: Bearer {key}",
                    "--max-examples",
                    str(examples),
                ],
                capture_output=True,
                text=True,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        lines = log.read_text().splitlines()
        cases = re.search(r"(\d+) generated, (\d+) (passed|found)", run.stdout)
        return {
            "schemathesis_exit": run.returncode,
            "cases": int(cases.group(1)) if cases else None,
            "summary": next(
                (line.strip() for line in run.stdout.splitlines() if "generated" in line), ""
            ),
            "server_5xx": sum(1 for line in lines if re.search(r'" 5\d\d ', line)),
            "requests": sum(1 for line in lines if "HTTP/1.1" in line),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    options = parser.parse_args()
    print(json.dumps(fuzz(options.examples), indent=1))


if __name__ == "__main__":
    main()
