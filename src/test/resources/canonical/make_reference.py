"""Writes canonical_reference.json: what nucleispark_train/canonical.py makes of each sample image
(modality, grey bounds, input sums and probe values). CanonicalInputTest checks Java against it and
tests/test_canonical.py checks that Python still produces it, so the two sides cannot drift apart.

    cd src/main/python && /usr/bin/python3 ../../test/resources/canonical/make_reference.py
"""
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO / "src" / "main" / "python"))
from nucleispark_train import canonical, data  # noqa: E402

SAMPLES = REPO / "sample-data" / "dsb"
PROBES = 64


def reference():
    out = {}
    for image_id in data.list_ids(SAMPLES):
        raw = data.read_raw(SAMPLES, image_id)
        modality = canonical.detect(raw)
        grey = canonical.grey_plane(raw, modality)
        lo, hi = np.percentile(grey, [canonical.LOW_PERCENTILE, canonical.HIGH_PERCENTILE])
        x, _ = canonical.canonical(raw)
        flat = x[0].ravel()
        idx = np.linspace(0, flat.size - 1, PROBES).round().astype(int)
        out[image_id] = {"modality": modality, "low": float(lo), "high": float(hi),
                         "sum": float(flat.astype(np.float64).sum()),
                         "probe_index": idx.tolist(), "probe_value": [float(v) for v in flat[idx]]}
    return {"normalisation": canonical.metadata(), "images": out}


if __name__ == "__main__":
    (HERE / "canonical_reference.json").write_text(json.dumps(reference(), indent=1) + "\n")
