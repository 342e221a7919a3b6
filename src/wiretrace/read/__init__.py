"""Read: sources (folders of text files, JSONL, CSV, Parquet; plain or gzip) -> Documents."""

from wiretrace.read.sources import (
    InputFile,
    discover,
    read_documents,
)

__all__ = ["InputFile", "discover", "read_documents"]
