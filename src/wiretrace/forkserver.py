"""What the fork server imports once, so that every worker it forks starts with it
(``wiretrace.backend.worker_context``): the stages the workers run and numba's tables for
this machine (~0.25 s, paid by the first compiled kernel a process loads). Nothing here
starts a thread: a kernel that runs in parallel would start numba's, and a fork does not copy
threads, so only a serial kernel runs here."""

from wiretrace import backend  # noqa: F401
from wiretrace.clean import clean_text
from wiretrace.compare import pairs  # noqa: F401
from wiretrace.sketch import batch  # noqa: F401

clean_text("load the compiled kernels' tables", offsets=False)
