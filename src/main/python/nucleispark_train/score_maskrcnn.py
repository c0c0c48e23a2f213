"""Score an exported Mask R-CNN as Java serves it (maskrcnn_serving), per image type, in Python.

    python -m nucleispark_train.score_maskrcnn --model-dir models/maskrcnn --sets /tmp/nucleispark-generalisation/sets \
        [--canonical-for fluorescence,brightfield,histology] [--types histology]

--sets is the folder of per-type DSB-layout corpora that held_out_sets.py builds (bin/bench-generalisation
builds it under $BENCH_DIR/sets). Prints the mean DSB 2018 score per type and the type mean. --canonical-for
overrides the serving block's modalities, to decide which input a model is served with before writing it
(maskrcnn_serving --canonical-for). The job's own figure (bin/bench-generalisation --models maskrcnn) equals
this one up to float rounding: MaskRcnnSegmenterTest checks Java against served_detections.
--checkpoint scores a train_maskrcnn checkpoint (all its detections above 0.05) served by --model-dir's
model.json, to follow a training run before exporting it; --score-threshold overrides model.json's.
--restain N also scores every image of the histology set N times re-stained by augment.jittered_stains (fixed
seeds): another lab's stains, the robustness a colour-histology archive needs.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import augment, data, instances, maskrcnn
from .maskrcnn_serving import served_detections
from .predict_maskrcnn import load_detector


def score_type(detect, meta, folder, threshold, restain=0):
    """DSB 2018 score of every image in one DSB-layout folder (symlinked images welcome); with restain,
    of restain re-stained copies of every image instead (draw k of image n seeded [k, n])."""
    scores = []
    for n, entry in enumerate(sorted(Path(folder).iterdir())):
        root = entry.resolve().parent
        raw = data.read_raw(root, entry.name)
        truth = data.read_labels(root, entry.name, raw.shape[:2])
        copies = [augment.jittered_stains(raw[..., :3], np.random.default_rng([k, n])) for k in range(restain)] or [raw]
        for image in copies:
            boxes, det_scores, masks = served_detections(detect, image, meta)
            pred = maskrcnn.instances_from_detections(boxes, det_scores, masks, raw.shape[:2], threshold)
            scores.append(instances.dsb_score(truth, pred))
    return scores


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--sets", type=Path, required=True)
    p.add_argument("--types", default=None, help="comma-separated subset of the type folders")
    p.add_argument("--canonical-for", default=None, help="override serving.canonical_for ('' = percentile RGB for all)")
    p.add_argument("--checkpoint", type=Path, default=None, help="a train_maskrcnn checkpoint instead of the export")
    p.add_argument("--score-threshold", type=float, default=None)
    p.add_argument("--restain", type=int, default=0, help="also score the histology set re-stained this many times")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = json.loads((args.model_dir / "model.json").read_text())
    if args.canonical_for is not None:
        meta["serving"]["canonical_for"] = [m for m in args.canonical_for.split(",") if m]
    detect = load_detector(args.checkpoint or args.model_dir / meta["file"])
    threshold = meta["thresholds"]["score_threshold"] if args.score_threshold is None else args.score_threshold
    types = args.types.split(",") if args.types else sorted(d.name for d in args.sets.iterdir() if d.is_dir())
    means = {}
    for kind in types:
        scores = score_type(detect, meta, args.sets / kind, threshold)
        means[kind] = float(np.mean(scores))
        print(f"{kind}\t{len(scores)}\t{means[kind]:.4f}", flush=True)
    if args.restain and "histology" in types:
        scores = score_type(detect, meta, args.sets / "histology", threshold, args.restain)
        print(f"histology re-stained x{args.restain}\t{len(scores)}\t{np.mean(scores):.4f} (not in the type mean)",
              flush=True)
    print(f"type mean\t{len(means)}\t{np.mean(list(means.values())):.4f}")


if __name__ == "__main__":
    main()
