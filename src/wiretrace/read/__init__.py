"""Read: sources (folders of text and HTML files, JSONL, CSV, Parquet, WARC) -> Documents."""

from wiretrace.read.files import FILE_REASONS, InputFile, discover
from wiretrace.read.sources import read_documents
from wiretrace.read.web import CRAWL_DATE

__all__ = ["CRAWL_DATE", "FILE_REASONS", "InputFile", "discover", "read_documents"]
