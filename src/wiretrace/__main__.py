"""``python -m wiretrace``, and the file ``spark-submit`` runs (it takes a ``.py`` file):

spark-submit --master yarn "$(python -m wiretrace --entry-file)" scan ... --backend spark
"""

import sys
from pathlib import Path

from wiretrace.cli import main

if __name__ == "__main__":
    if sys.argv[1:] == ["--entry-file"]:
        print(Path(__file__).resolve())
    else:
        main()
