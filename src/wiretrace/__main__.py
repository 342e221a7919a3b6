"""``python -m wiretrace``, the ``wiretrace`` command, and the file ``spark-submit`` runs (it
takes a ``.py`` file):

spark-submit --master yarn "$(python -m wiretrace --entry-file)" scan ... --backend spark

The CLI is imported only when the command runs: a worker process imports the file its
parent was started from, and importing the CLI there would import every stage and library
(~1 s of each worker's start). A scan or dedup that will start workers starts their fork
server first, so that its imports and this process's run at once.
"""

import itertools
import sys
from pathlib import Path


def main() -> None:
    if sys.argv[1:] == ["--entry-file"]:
        print(Path(__file__).resolve())
        return
    if _may_start_workers(sys.argv[1:]):
        from wiretrace.processes import start_fork_server

        start_fork_server()  # its imports run while this process imports the CLI (~0.5 s)
    from wiretrace.cli import main as cli

    cli()


def _may_start_workers(args: list[str]) -> bool:
    """Whether the command is a scan or dedup that starts worker processes as soon as it
    reads (its files hold more than ``EARLY_POOL_BYTES``; not asked for help, for one
    process or for another backend)."""
    if args[:1] not in (["scan"], ["dedup"]) or {"-h", "--help", "--backend"} & set(args):
        return False
    one = ("--workers", "1")
    if "--workers=1" in args or one in itertools.pairwise(args):
        return False
    from wiretrace.processes import EARLY_POOL_BYTES, input_bytes

    return input_bytes(arg for arg in args[1:] if not arg.startswith("-")) >= EARLY_POOL_BYTES


if __name__ == "__main__":
    main()
