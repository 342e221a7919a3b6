"""``python -m wiretrace``, the ``wiretrace`` command, and the file ``spark-submit`` runs (it
takes a ``.py`` file):

spark-submit --master yarn "$(python -m wiretrace --entry-file)" scan ... --backend spark

The CLI is imported only when the command runs: a worker process that the pool spawns
imports the file its parent was started from, and importing the CLI there would import every
stage and library (~1 s of each worker's start).
"""

import sys
from pathlib import Path


def main() -> None:
    if sys.argv[1:] == ["--entry-file"]:
        print(Path(__file__).resolve())
        return
    from wiretrace.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
