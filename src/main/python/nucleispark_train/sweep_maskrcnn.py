"""Out-of-fold sweep of the Mask R-CNN's post-processing thresholds (score and mask) on held-out images.

Detections are computed once per image; every (score, mask) threshold pair then turns them into
instances exactly as Java does (maskrcnn.instances_from_detections, which the Java segmenter
reproduces pixel for pixel) and is scored with the DSB metric against the ground truth. Training
picked its score threshold on 32 images from 0.3..0.8, and every fold chose the top of that range;
this measures the range above it on all held-out images.

    python -m nucleispark_train.sweep_maskrcnn --checkpoint <fold K .pt> --data <fold K images, DSB layout> \
        --out sweep_foldK.json --device cuda --workers 16
"""
import argparse
import json
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch

from . import data, instances, maskrcnn

SCORES = [0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95]
MASKS = [0.4, 0.5, 0.6]


def score_image(job):
    labels, boxes, scores, masks = job
    return [[instances.dsb_score(labels, maskrcnn.instances_from_detections(boxes, scores, masks, labels.shape, s, m))
             for m in MASKS] for s in SCORES]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--device", default="cpu")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    ckpt = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    model = maskrcnn.build_model(ckpt["model_config"])
    model.load_state_dict(ckpt["model"])
    model = model.to(args.device).eval()
    ids = data.list_ids(args.data)
    jobs = []
    with torch.no_grad():
        for image_id in ids:
            raw = data.read_raw(args.data, image_id)
            boxes, scores, masks = maskrcnn.detect(model, data.normalise(raw))
            keep = scores >= min(SCORES)
            jobs.append((data.read_labels(args.data, image_id, raw.shape[:2]), boxes[keep], scores[keep], masks[keep]))
    with Pool(args.workers) as pool:
        per_image = np.array(pool.map(score_image, jobs))  # (images, scores, masks)
    mean = per_image.mean(axis=0)
    result = {"checkpoint": str(args.checkpoint), "images": len(ids),
              "mAP": {f"{s}|{m}": round(float(mean[i, j]), 4) for i, s in enumerate(SCORES) for j, m in enumerate(MASKS)},
              "sum": {f"{s}|{m}": float(per_image[:, i, j].sum()) for i, s in enumerate(SCORES) for j, m in enumerate(MASKS)}}
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["mAP"]))


if __name__ == "__main__":
    main()
