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
PASTES = ["torchvision"]


def score_image(job):
    """(pastes, scores, masks) DSB scores of one image; each mask is pasted once per paste."""
    labels, boxes, scores, masks = job
    result = []
    for paste in PASTES:
        pasted = [maskrcnn.PASTES[paste](masks[k], boxes[k], *labels.shape) for k in range(len(scores))]
        per_score = []
        for s in SCORES:
            keep = np.flatnonzero(scores >= s)
            per_score.append([instances.dsb_score(labels, maskrcnn.instances_from_pasted(
                [pasted[k] for k in keep], keep + 1, labels.shape, m)) for m in MASKS])
        result.append(per_score)
    return result


def detections(model, raw, image_id, cache):
    """The model's detections of one image, from the cache folder when it holds them (a sweep of
    post-processing need not run the network again)."""
    path = cache / f"{image_id}.npz" if cache else None
    if path and path.exists():
        z = np.load(path)
        return z["boxes"], z["scores"], z["masks"]
    boxes, scores, masks = maskrcnn.detect(model, data.normalise(raw))
    keep = scores >= min(SCORES)
    boxes, scores, masks = boxes[keep], scores[keep], masks[keep]
    if path:
        np.savez_compressed(path, boxes=boxes, scores=scores, masks=masks.astype(np.float16))
    return boxes, scores, masks.astype(np.float32)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--device", default="cpu")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--cache", type=Path, help="folder for each image's detections (read when present)")
    p.add_argument("--scores", help="comma-separated score thresholds")
    p.add_argument("--masks", help="comma-separated mask thresholds")
    p.add_argument("--pastes", help="comma-separated paste methods (" + ", ".join(maskrcnn.PASTES) + ")")
    args = p.parse_args(argv)
    global SCORES, MASKS, PASTES
    SCORES = [float(v) for v in args.scores.split(",")] if args.scores else SCORES
    MASKS = [float(v) for v in args.masks.split(",")] if args.masks else MASKS
    PASTES = args.pastes.split(",") if args.pastes else PASTES
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    ckpt = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    model = maskrcnn.build_model(ckpt["model_config"])
    model.load_state_dict(ckpt["model"])
    model = model.to(args.device).eval()
    ids = data.list_ids(args.data)
    jobs = []
    with torch.no_grad():
        for n, image_id in enumerate(ids, start=1):
            raw = data.read_raw(args.data, image_id)
            boxes, scores, masks = detections(model, raw, image_id, args.cache)
            keep = scores >= min(SCORES)
            shape = raw.shape[:2]
            jobs.append((data.read_labels(args.data, image_id, shape), boxes[keep], scores[keep], masks[keep]))
            if n % 20 == 0:
                print(f"detected {n}/{len(ids)}", flush=True)
    with Pool(args.workers) as pool:
        per_image = np.array(pool.map(score_image, jobs))  # (images, pastes, scores, masks)
    mean = per_image.mean(axis=0)
    keys = [(p, i, s, j, m) for p, paste in enumerate(PASTES) for i, s in enumerate(SCORES) for j, m in enumerate(MASKS)]
    result = {"checkpoint": str(args.checkpoint), "images": len(ids),
              "mAP": {f"{PASTES[p]}|{s}|{m}": round(float(mean[p, i, j]), 4) for p, i, s, j, m in keys},
              "sum": {f"{PASTES[p]}|{s}|{m}": float(per_image[:, p, i, j].sum()) for p, i, s, j, m in keys}}
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["mAP"]))


if __name__ == "__main__":
    main()
