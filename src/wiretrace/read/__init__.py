"""Read: sources (folders of text and HTML files, JSONL, CSV, Parquet, WARC) -> Documents."""

from wiretrace.read.sources import (
    InputFile,
    discover,
    read_documents,
)
from wiretrace.read.web import CRAWL_DATE

__all__ = ["CRAWL_DATE", "InputFile", "discover", "read_documents"]
