"""The service fuzzed from its own OpenAPI schema with schemathesis (every check), against a
real server on loopback over an index of the seed articles: the cases run, the failures, and
the 5xx answers the server logged.

    python benchmarks/service.py [--examples 100]

Needs schemathesis (`pip install schemathesis`) and the service extra.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from serving import WIRETRACE, serving  # noqa: E402


def fuzz(examples: int) -> dict[str, object]:
    key = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as work:
        index = Path(work) / "index"
        wiretrace = WIRETRACE
        subprocess.run([*wiretrace, "index", "create", str(index), "-q"], check=True)
        subprocess.run(
            [*wiretrace, "index", "add", str(index), str(REPO / "examples" / "seeds"), "-q"],
            check=True,
        )
        log = Path(work) / "server.log"
        with serving(index, key, log) as base:
            run = subprocess.run(
                [
                    shutil.which("schemathesis")
                    or str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    f"{base}/openapi.json",
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
