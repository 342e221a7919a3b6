"""What the fork server imports once, so that every worker it forks starts with it
(``wiretrace.processes.worker_context``): the stages the workers run, numba's tables for this
machine (~0.25 s, paid by the first compiled kernel a process loads) and the serial kernels
of cleaning, boilerplate and comparison. Nothing here starts a thread: a kernel that runs in
parallel (the sketch's) would start numba's, and a fork does not copy threads, so only
serial kernels run here; each worker loads the parallel ones itself."""

import signal

# Ctrl-C reaches the whole process group: the fork server ignores it once this module is
# loaded (its own handler, set after preloading), and must not print a KeyboardInterrupt's
# traceback from the middle of this import meanwhile: the command itself says "interrupted"
signal.signal(signal.SIGINT, signal.SIG_IGN)

from wiretrace import backend  # noqa: E402, F401
from wiretrace.clean import clean_text  # noqa: E402
from wiretrace.clean.boilerplate import find_boilerplate  # noqa: E402
from wiretrace.compare import pairs  # noqa: E402, F401
from wiretrace.compare.align import align, prepare  # noqa: E402
from wiretrace.compare.relation import overlap  # noqa: E402
from wiretrace.sketch import batch  # noqa: E402, F401

_TEXT = "Load the compiled kernels once, for every worker forked from here."
clean_text(_TEXT, offsets=False)
find_boilerplate(_TEXT)
_prepared = prepare(_TEXT, 5)
align(_prepared, _prepared, overlap(_prepared, _prepared).shared, 6)

# the workers forked from here take the handler the server had before its own: Python's,
# as in any process
signal.signal(signal.SIGINT, signal.default_int_handler)
