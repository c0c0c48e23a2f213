"""Scores marker rules for the U-Net's instance separation on held-out sets, from one set of probabilities per
image: how postprocess.marker_margin was chosen (docs/generalisation.md, "Markers from the difference").

    python -m nucleispark_train.score_markers --model-dir models/unet --sets <bench>/sets \
        --types histology,fluorescence,brightfield,s-bsst265 [--cache DIR]

<bench>/sets is what held_out_sets writes. The U-Net runs one view on the canonical input, each image resized by
the served rule (scale.served_factor: model.json's serving block) and its probabilities resized back, as segment does
without TTA; --cache keeps them between runs. Sigmas are in the network's pixels (sigma / factor of the image's). Prints the mean DSB score per type and rule, and how many true nuclei
each rule's instances merge with a neighbour (the error the rules differ in).
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch
from skimage.transform import resize

from . import canonical, data, instances, reference_segment, scale

# name: (nucleus threshold, border threshold, marker margin, Gaussian sigma of nucleus - border)
RULES = {
    "thesis": (0.5, 0.5, None, 0),        # markers where border < 0.5, flood on -nucleus (until 2026-12-07)
    "border<0.3": (0.5, 0.3, None, 0),
    "margin 0.3": (0.5, 1.0, 0.3, 0),
    "margin 0.5": (0.5, 1.0, 0.5, 0),     # markers where nucleus - border > 0.5, flood on -(nucleus - border)
    "margin 0.7": (0.5, 1.0, 0.7, 0),
    "margin 0.5, sigma 1": (0.5, 1.0, 0.5, 1.0),
    "margin 0.5, sigma 2": (0.5, 1.0, 0.5, 2.0),  # served: the same, nucleus - border blurred first (network pixels)
    "margin 0.5, sigma 3": (0.5, 1.0, 0.5, 3.0),
}


def served_probabilities(model, meta, raw):
    """((2, H, W) probabilities of one view at the served scale, brought back to the image's pixels; the factor)."""
    x, modality, plane = canonical.served(raw, meta["normalisation"])
    h, w = x.shape[1:]
    f = scale.served_factor(meta, plane, w, h, modality=modality)  # model.json's serving rule, any model
    if f != 1.0:
        size = (max(1, round(h * f)), max(1, round(w * f)))
        x = np.stack([resize(c, size, order=1, anti_aliasing=f < 1, preserve_range=True) for c in x]).astype(np.float32)
    p = reference_segment.probabilities(model, x, meta["size_multiple"])
    if f != 1.0:
        p = np.stack([resize(c, (h, w), order=1, preserve_range=True) for c in p]).astype(np.float32)
    return p, f


def merged(truth, labels):
    """True nuclei that a predicted instance shares with another true nucleus (each covering > 30 % of its own area)
    and that no instance matches at IoU > 0.5."""
    truth = instances.relabel_sequential(truth)
    iou = instances.iou_matrix(truth, labels)
    n_true, n_pred = iou.shape
    if n_true == 0 or n_pred == 0:
        return 0
    joint = np.bincount(truth.ravel().astype(np.int64) * (n_pred + 1) + labels.ravel(),
                        minlength=(n_true + 1) * (n_pred + 1)).reshape(n_true + 1, n_pred + 1)[1:, 1:]
    covered = joint / np.maximum(joint.sum(axis=1, keepdims=True), 1) > 0.3
    shared = covered.sum(axis=0) >= 2
    return int(((covered & shared[None, :]).any(axis=1) & (iou.max(axis=1) <= 0.5)).sum())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--sets", type=Path, required=True)
    p.add_argument("--types", default="histology,fluorescence,brightfield,s-bsst265")
    p.add_argument("--cache", type=Path)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = json.loads((args.model_dir / "model.json").read_text())
    model = torch.jit.load(str(args.model_dir / meta["file"])).eval()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    for kind in args.types.split(","):
        root = args.sets / kind
        scores, merges, n_true = {k: [] for k in RULES}, {k: 0 for k in RULES}, 0
        for folder in sorted(root.iterdir()):
            raw = data.read_raw(root, folder.name)[..., :3]
            truth = data.read_labels(root, folder.name, raw.shape[:2])
            cached = args.cache / f"{kind}_{folder.name}.npz" if args.cache else None
            if cached and cached.exists():
                stored = np.load(cached)
                prob, f = stored["p"].astype(np.float32), float(stored["f"])
            else:
                prob, f = served_probabilities(model, meta, raw)
                if cached:
                    np.savez_compressed(cached, p=prob.astype(np.float16), f=f)
            n_true += len(np.unique(truth)) - 1
            for name, (t, b, margin, sigma) in RULES.items():
                # the sigma is in the network's pixels, as Java's ProbabilityWatershed takes it
                labels = instances.instances_from_probabilities(prob, t, instances.MIN_OBJECT_PX, b, margin, sigma / f)
                scores[name].append(instances.dsb_score(truth, labels))
                merges[name] += merged(truth, labels)
        print(kind, len(scores["thesis"]), n_true, "nuclei  " + "  ".join(
            f"{k} {np.mean(v):.4f} (merged {merges[k]})" for k, v in scores.items()), flush=True)


if __name__ == "__main__":
    main()
