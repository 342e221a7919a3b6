"""What the fork server imports once, so that every worker it forks starts with it
(``wiretrace.processes.worker_context``): the stages the workers run, numba's tables for this
machine (~0.25 s, paid by the first compiled kernel a process loads) and the serial kernels
of cleaning, boilerplate and comparison. Nothing here starts a thread: a kernel that runs in
parallel (the sketch's) would start numba's, and a fork does not copy threads, so only
serial kernels run here; each worker loads the parallel ones itself."""

from wiretrace import backend  # noqa: F401
from wiretrace.clean import clean_text
from wiretrace.clean.boilerplate import find_boilerplate
from wiretrace.compare import pairs  # noqa: F401
from wiretrace.compare.align import align, prepare
from wiretrace.compare.relation import overlap
from wiretrace.sketch import batch  # noqa: F401

_TEXT = "Load the compiled kernels once, for every worker forked from here."
clean_text(_TEXT, offsets=False)
find_boilerplate(_TEXT)
_prepared = prepare(_TEXT, 5)
align(_prepared, _prepared, overlap(_prepared, _prepared).shared, 6)
