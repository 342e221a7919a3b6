"""How much text the boilerplate rules take out of real articles (ECB+ development part).

ECB+ articles are article bodies (many ``ecbplus`` files start with the source URL, headline
and date as their first sentences): the cleaner should mark almost nothing. Prints the median
and 95th percentile of the share of characters marked, and the documents with the most marked,
with every marked span, for a person to inspect.

    python benchmarks/boilerplate_share.py                # ../shared/data/ecbplus-dev
    python benchmarks/boilerplate_share.py --show 20
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from evaldata import ecbplus_documents

from wiretrace import ScanConfig, scan

DEFAULT_ECB = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev" / "ECB+"


def measure(root: Path) -> tuple[dict[str, float], list[tuple[float, str, list[tuple[str, str]]]]]:
    """Shares of characters marked as boilerplate, and per document (share, id, spans)."""
    documents = {document.id: document.text for document in ecbplus_documents(root)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ecbplus.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for doc_id, text in documents.items():
                stream.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        result = scan([path], ScanConfig(semantic=False))  # boilerplate is what is measured
    rows = result.documents
    shares = []
    marked = []
    kinds: Counter[str] = Counter()
    for doc_id, spans in zip(rows.id, rows.boilerplate, strict=True):
        text = documents[str(doc_id)]
        share = sum(span.end - span.start for span in spans) / max(1, len(text))
        shares.append(share)
        kinds.update(span.kind for span in spans)
        pieces = [(span.kind, text[span.start : span.end]) for span in spans]
        marked.append((share, str(doc_id), pieces))
    figures = {
        "documents": len(shares),
        "documents_with_boilerplate": sum(1 for share in shares if share > 0),
        "median_share": float(np.median(shares)),
        "p95_share": float(np.percentile(shares, 95)),
        "max_share": float(max(shares)),
        **{f"spans_{kind}": count for kind, count in sorted(kinds.items())},
    }
    marked.sort(key=lambda item: -item[0])
    return figures, marked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_ECB, help="the ECB+ folder")
    parser.add_argument("--show", type=int, default=10, help="documents to show")
    args = parser.parse_args(argv)
    if not args.ecbplus.is_dir():
        print(f"no ECB+ folder at {args.ecbplus}; give it with --ecbplus", file=sys.stderr)
        return 2
    figures, marked = measure(args.ecbplus)
    for name, value in figures.items():
        print(f"{name:28} {value:.4f}" if isinstance(value, float) else f"{name:28} {value}")
    print(f"\nthe {args.show} documents with the most marked:")
    for share, doc_id, pieces in marked[: args.show]:
        print(f"\n{doc_id}: {share:.1%}")
        for kind, piece in pieces:
            print(f"  {kind:12} {piece[:110]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
