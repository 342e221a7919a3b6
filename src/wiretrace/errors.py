"""The one exception tree of wiretrace.

Every error the library raises on purpose derives from :class:`WiretraceError`; the CLI turns
these into a one-line message and exit code 2. The class names say what the caller should do:

- :class:`InputError`: fix the input (a path that does not exist, a field that is missing:
  :class:`FieldError`).
- :class:`ConfigError`: fix the configuration (a threshold out of range, a bad option).
- :class:`MissingExtraError`: install an optional part (the message names the ``pip install``).
"""

from __future__ import annotations


class WiretraceError(Exception):
    """Root of every error wiretrace raises on purpose."""


class InputError(WiretraceError):
    """The input cannot be read as asked; the message names the file, line or field and the fix."""


class FieldError(InputError):
    """A file's records lack the fields the options name: ``found`` says so, ``fix`` names the
    options to use and ``hint`` the ones that would name the fields it has that look like ours
    (``--text-field body``; empty when none does)."""

    def __init__(self, found: str, fix: str, hint: str) -> None:
        super().__init__(f"{found}; {fix}" + (f" (perhaps {hint})" if hint else ""))
        self.found = found
        self.hint = hint


class IndexBusyError(InputError):
    """Another process is writing to the index: the same call may succeed once it is done."""


class ConfigError(WiretraceError):
    """A configuration value is invalid; the message says what was received and what is allowed."""


class WorkerError(WiretraceError):
    """A worker process stopped before its work was done; the message says what stops one."""


class MissingExtraError(WiretraceError):
    """An optional dependency is not installed; the message names the ``pip install`` to run."""
