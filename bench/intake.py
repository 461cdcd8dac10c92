"""Matter suggestion benchmark; prints one JSON object.

The shipped model (the catalog's names and keywords plus ``rules/intake_texts/train``) is
measured on the separately written test split ``rules/intake_texts/test``: ``top1`` and
``top3`` are the shares whose matter is the first suggestion / among the first three,
``no_suggestion`` the share that gets none, ``ms_per_text`` the mean time of one
``suggest_matters`` call once the model is trained (``train_s`` says how long that took).
A ``per_domain`` breakdown shows where the misses are.

``--cross-sets`` adds ``cross_sets``: the training texts were written in independent sets
(``D05.tsv``, ``D05-2.tsv``, …); each set is held out in turn, a model trained on the others
and measured on it — what to expect on texts nobody here wrote.

Usage: ``python bench/intake.py [--catalog LABEL] [--cross-sets]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from responsibility_catalog.loader import load_catalog, shipped_data_path  # noqa: E402
from rules.intake_corpus import written_sets  # noqa: E402
from rules.suggest import evaluate, shipped_texts, suggest_matters, train_model  # noqa: E402

TARGETS = {"top3": 0.92, "top1": 0.80, "no_suggestion": 0.02, "ms_per_text": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="2022-06", help="catalog version label")
    parser.add_argument("--cross-sets", action="store_true", help="hold out each written set")
    args = parser.parse_args()
    catalog = load_catalog(shipped_data_path(), args.catalog)
    started = time.perf_counter()
    model = train_model(catalog, label="shipped")
    train_s = time.perf_counter() - started
    test = shipped_texts("test")
    result = evaluate(catalog, model, test).to_dict()
    misses: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in test:
        ranked = [s.matter_id for s in suggest_matters(catalog, case.text, limit=3, model=model)]
        domain = case.matter_id.split("-", 1)[0]
        misses[domain][0] += 1
        misses[domain][1] += case.matter_id in ranked
    result |= {
        "catalog": catalog.label,
        "train_texts": len(shipped_texts("train")),
        "test_texts": len(test),
        "matters": len(catalog.matters_by_id),
        "matters_with_test_texts": len({c.matter_id for c in test} & catalog.matters_by_id.keys()),
        "train_s": round(train_s, 2),
        "model_mb": round(model.size_bytes / 1e6, 1),
        "targets": TARGETS,
        "per_domain_top3": {d: round(hit / n, 3) for d, (n, hit) in sorted(misses.items())},
    }
    if args.cross_sets:
        sets = written_sets("train")
        result["cross_sets"] = {}
        for held_out, texts in sets.items():
            others = [t for name, group in sets.items() if name != held_out for t in group]
            held_model = train_model(catalog, label=f"without-{held_out}", shipped=others)
            result["cross_sets"][held_out] = evaluate(catalog, held_model, texts).to_dict()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
