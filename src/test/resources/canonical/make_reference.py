"""Writes canonical_reference.json: what nucleispark_train/canonical.py makes of each sample image and of
ihc-1631352d.png (modality, grey bounds, input sums and probe values), as served (canonical.served(…, canonical.metadata())): the
network's input and the plane the nuclei are measured on (the haematoxylin one, for histology).
ihc-1631352d.png is the sample H&E image 1631352d as nuclear IHC (held_out_sets.ihc_stained, seed [0, 0]),
where the DAB term counts; ihc-membrane-1631352d.png the same as membranous IHC (membrane=True), where it must not. CanonicalInputTest checks Java against it and
tests/test_canonical.py checks that Python still produces it, so the two sides cannot drift apart.

    cd src/main/python && /usr/bin/python3 ../../test/resources/canonical/make_reference.py
"""
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO / "src" / "main" / "python"))
from nucleispark_train import canonical, data  # noqa: E402

SAMPLES = REPO / "sample-data" / "dsb"
IHC = HERE / "ihc-1631352d.png"
IHC_MEMBRANE = HERE / "ihc-membrane-1631352d.png"
PROBES = 64


def plane_reference(grey, x, idx):
    lo, hi = np.percentile(grey, [canonical.LOW_PERCENTILE, canonical.HIGH_PERCENTILE])
    flat = x.ravel()
    return {"low": float(lo), "high": float(hi), "sum": float(flat.astype(np.float64).sum()),
            "probe_value": [float(v) for v in flat[idx]]}


def reference():
    out = {}
    meta = canonical.metadata()
    dab = canonical.served_dab(meta)
    images = [(image_id, data.read_raw(SAMPLES, image_id)) for image_id in data.list_ids(SAMPLES)]
    for extra in (IHC, IHC_MEMBRANE):
        images.append((extra.name, np.array(Image.open(extra))))
    for image_id, raw in images:
        modality = canonical.detect(raw)
        x, _, measuring = canonical.served(raw, meta)
        idx = np.linspace(0, x[0].size - 1, PROBES).round().astype(int)
        grey = canonical.grey_plane(raw, modality, *dab, histology_input=canonical.served_histology_input(meta),
                                    membranous_share=meta["membranous_share"])
        out[image_id] = {"modality": modality, "probe_index": idx.tolist(), **plane_reference(grey, x[0], idx),
                         # the plane the nuclei are measured on: the haematoxylin one for histology
                         "measuring": plane_reference(canonical.grey_plane(raw, modality, *dab), measuring, idx)}
    return {"normalisation": meta, "images": out}


if __name__ == "__main__":
    (HERE / "canonical_reference.json").write_text(json.dumps(reference(), indent=1) + "\n")
