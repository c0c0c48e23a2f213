"""Scores what the networks see of colour histology, per held-out type: how normalisation.histology_input and
membranous_share were chosen (docs/generalisation.md, "The grey plane for histology").

    python -m nucleispark_train.score_histology_inputs --model-dir models/unet --sets <bench>/sets \
        --types histology,histology-restained,histology-x2,histology-ihc,histology-ihc-membrane [--views 4]
    python -m nucleispark_train.score_histology_inputs --model-dir models/maskrcnn --sets <bench>/sets --types histology

<bench>/sets is what held_out_sets writes (bin/bench-generalisation --restain 2 --magnify 2 --ihc 2 --ihc-membrane 2
builds it). Every plane is resized by the factor the served rule gives on the haematoxylin plane, as served; the U-Net
averages --views flips (1, 2: and rotated 180 degrees, 4: every flip) and separates instances by its model.json's
watershed; the Mask R-CNN runs one view with its served thresholds. Prints the mean DSB score per type and plane.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from skimage.transform import resize

from . import canonical, data, instances, maskrcnn, reference_segment, scale


def planes(raw, dab):
    """The candidate grey planes of one histology image, each normalised and replicated to 3 planes."""
    grey = {"haematoxylin": canonical.grey_plane(raw, "histology", *dab),
            "inverted mean": -canonical.rgb_planes(raw).mean(axis=0),
            "inverted mean, rings out": canonical.histology_grey(raw, dab[0], dab[2], dab[3]),
            "summed optical density": canonical.optical_density(raw).sum(axis=0)}
    return {k: np.repeat(canonical.normalise_plane(v).astype(np.float32)[None], 3, axis=0) for k, v in grey.items()}


def resized(x, size, f):
    return np.stack([resize(c, size, order=1, anti_aliasing=f < 1, preserve_range=True) for c in x]).astype(np.float32)


def unet_labels(model, meta, x, f, views):
    h, w = x.shape[1:]
    xs = resized(x, (max(1, round(h * f)), max(1, round(w * f))), f) if f != 1.0 else x
    p = reference_segment.probabilities(model, xs, meta["size_multiple"], reference_segment.VIEWS[:views])
    if f != 1.0:
        p = resized(p, (h, w), 1.0)
    post = meta["postprocess"]
    return instances.instances_from_probabilities(p, post.get("threshold", 0.5), post.get("min_object_px", 10),
                                                  post.get("border_threshold", 0.5), post.get("marker_margin"),
                                                  post.get("smooth_sigma", 0) / f)


def maskrcnn_labels(detect, meta, x, f, shape):
    h, w = x.shape[1:]
    if f == 1.0:
        boxes, scores, masks = detect(x)
    else:
        sh, sw = max(1, int(round(h * f))), max(1, int(round(w * f)))
        mode = dict(mode="area") if f < 1.0 else dict(mode="bilinear", align_corners=False)
        small = F.interpolate(torch.from_numpy(x)[None], size=(sh, sw), **mode)[0].numpy()
        boxes, scores, masks = detect(np.ascontiguousarray(small))
        boxes = boxes * np.array([w / sw, h / sh, w / sw, h / sh], dtype=np.float32)
    return maskrcnn.instances_from_detections(boxes, scores, masks, shape, meta["thresholds"]["score_threshold"])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--sets", type=Path, required=True)
    p.add_argument("--types", default="histology")
    p.add_argument("--views", type=int, choices=(1, 2, 4), default=1, help="U-Net flips averaged")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = json.loads((args.model_dir / "model.json").read_text())
    is_unet = meta["normalisation"].get("method") == "canonical"
    block = meta["normalisation"] if is_unet else meta["serving"]["canonical"]
    dab = canonical.served_dab(block) or (canonical.DAB_ABOVE, canonical.DAB_GAIN, canonical.DAB_SOLID,
                                          canonical.DAB_SOLID_SHARE)
    if is_unet:
        model = torch.jit.load(str(args.model_dir / meta["file"])).eval()
    else:
        from .predict_maskrcnn import load_detector
        detect = load_detector(args.model_dir / meta["file"])
    for kind in args.types.split(","):
        root = args.sets / kind
        scores = {}
        for folder in sorted(root.iterdir()):
            raw = data.read_raw(root, folder.name)[..., :3]
            truth = data.read_labels(root, folder.name, raw.shape[:2])
            measuring = canonical.canonical(raw, "histology", dab)[0][0]
            f = scale.served_factor(meta, measuring, raw.shape[1], raw.shape[0], modality="histology")
            for name, x in planes(raw, dab).items():
                labels = (unet_labels(model, meta, x, f, args.views) if is_unet
                          else maskrcnn_labels(detect, meta, x, f, raw.shape[:2]))
                scores.setdefault(name, []).append(instances.dsb_score(truth, labels))
        print(kind, len(next(iter(scores.values()))), "  ".join(f"{k} {np.mean(v):.4f}" for k, v in scores.items()),
              flush=True)


if __name__ == "__main__":
    main()
