"""Read: sources (folders of text files, JSONL, CSV, Parquet; plain or gzip) -> Documents."""

from wiretrace.read.sources import (
    CRAWL_DATE,
    InputFile,
    discover,
    read_documents,
)

__all__ = ["CRAWL_DATE", "InputFile", "discover", "read_documents"]
