"""Scores the exported U-Net (one view, no rescale) on held-out sets under several histology grey planes: how the
served DAB term was chosen (canonical.py, docs/generalisation.md "Immunohistochemistry").

    python -m nucleispark_train.score_histology_planes --model-dir models/unet --sets <bench>/sets \
        --types histology,histology-restained,histology-ihc,histology-ihc-membrane [--planes alone,served]

<bench>/sets is what held_out_sets writes (--restain 2 --ihc 2 --ihc-membrane 2). Planes: alone (haematoxylin),
everywhere (the DAB term with no solid-region rule), solid (solid regions, no image gate), served (model.json's
rule). Prints the mean DSB score per type and plane.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import canonical, data, instances, reference_segment


def planes(meta):
    served = canonical.served_dab(meta["normalisation"]) or (canonical.DAB_ABOVE, canonical.DAB_GAIN,
                                                             canonical.DAB_SOLID, canonical.DAB_SOLID_SHARE)
    above, gain, solid, share = served
    return {"alone": None, "everywhere": (above, gain, float("inf"), 0.0), "solid": (above, gain, solid, 0.0),
            "served": served}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--sets", type=Path, required=True)
    p.add_argument("--types", default="histology,histology-ihc,histology-ihc-membrane")
    p.add_argument("--planes", default="alone,everywhere,solid,served")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = json.loads((args.model_dir / "model.json").read_text())
    model = torch.jit.load(str(args.model_dir / meta["file"])).eval()
    post = meta.get("postprocess", {})
    variants = {k: v for k, v in planes(meta).items() if k in args.planes.split(",")}
    for kind in args.types.split(","):
        root = args.sets / kind
        scores = {k: [] for k in variants}
        for folder in sorted(root.iterdir()):
            raw = data.read_raw(root, folder.name)[..., :3]
            truth = data.read_labels(root, folder.name, raw.shape[:2])
            for name, dab in variants.items():
                x = canonical.canonical(raw, "histology", dab)[0]
                p_ = reference_segment.probabilities(model, x, meta["size_multiple"])
                scores[name].append(instances.dsb_score(truth, reference_segment.labels_of(p_, post)))
        print(kind, len(scores[next(iter(scores))]), "  ".join(f"{k} {np.mean(v):.4f}" for k, v in scores.items()),
              flush=True)


if __name__ == "__main__":
    main()
