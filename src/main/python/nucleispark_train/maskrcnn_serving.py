"""How the Mask R-CNN is served beyond the input it was trained on: the canonical input for some
modalities, and a shrink of images whose nuclei are far larger than its training nuclei. Java's
segment.MaskRcnnSegmenter repeats it from model.json's "serving" and "nucleus_diameter".

    python -m nucleispark_train.maskrcnn_serving --model-dir models/maskrcnn \
        --data <stage1_train> --canonical-for fluorescence,brightfield,histology --shrink-above 3

writes those two blocks into the model folder's model.json; the weights are untouched. The shipped model
was fine-tuned on the canonical input (train_maskrcnn --canonical) and takes it for every modality.

Why (measured on the generalisation benchmark's held-out images, Python, docs/generalisation.md "The Mask
R-CNN served like the U-Net" and "The Mask R-CNN trained on the canonical input"):
- a Mask R-CNN trained on percentile-normalised RGB sees brightfield nuclei dark on bright, as only 16 of
  664 training images look. Fed the canonical plane (nuclei bright, replicated to RGB) it sees them as the
  fluorescence it learned from: brightfield mAP 0.080 -> 0.294. On grey fluorescence the canonical plane
  is the percentile input (identical scores, 135 images). On DSB histology its own RGB input stayed better
  (0.208 against 0.172), so until it was fine-tuned on the canonical input histology kept it
  (--canonical-for fluorescence,brightfield);
- DSB's nuclei span about 10-60 px and the Mask R-CNN learned them all (its anchors run 8-128 px), so
  shrinking an image whose nuclei are 1.5-3x the median costs it (fluorescence 0.525 -> 0.502); S-BSST265's
  are 5-10x and it finds almost none (0.147) unless they are shrunk to its scale (0.440 with a 3x trigger).
  So it shrinks only beyond 3x and never enlarges.
- colour histology is measured by scale.weighted_diameter against the median of that estimate over its training
  histology (nucleus_diameter.histology) and shrunk beyond --shrink-above-histology (2x): the plain estimate
  counts haematoxylin specks as nuclei and missed the held-out histology enlarged 2x (0.202 -> 0.235); histology whose
  nuclei look less than 1/1.5 of it is enlarged (--enlarge-histology-below: held-out histology at half its size
  0.153 -> 0.189; at its own size 0.222 -> 0.227).
Boxes found on the shrunk image are mapped back to the image's pixels and its 28x28 masks pasted there:
a box's mask is relative to the box, so nothing else is resampled.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import canonical, data, folds, scale


def serving_metadata(canonical_for, shrink_above, shrink_above_histology=None, enlarge_histology_below=None,
                     trained_on=None):
    """model.json's "serving" block; trained_on: the training's histology input (canonical.metadata)."""
    for m in canonical_for:
        if m not in canonical.MODALITIES:
            raise ValueError(f"unknown modality {m!r}; expected one of {canonical.MODALITIES}")
    for trigger in (shrink_above, shrink_above_histology, enlarge_histology_below):
        if trigger is not None and not trigger >= 1.0:
            raise ValueError(f"shrink triggers must be at least 1, got {trigger}")
    return {"canonical_for": list(canonical_for), "canonical": canonical.metadata(trained_on=trained_on),
            "shrink_above": float(shrink_above), "enlarge": False,
            **({} if shrink_above_histology is None else {"shrink_above_histology": float(shrink_above_histology)}),
            **({} if enlarge_histology_below is None else {"enlarge_histology_below": float(enlarge_histology_below)}),
            "note": ("images detected (or forced by --modality) as a canonical_for modality get the canonical plane "
                     "replicated to R, G, B instead of the percentile RGB; images whose estimated nucleus diameter "
                     "is above shrink_above x nucleus_diameter.median_estimate are shrunk to it first; images detected "
                     "as histology are measured by scale.weighted_diameter against nucleus_diameter.histology and "
                     "shrunk above shrink_above_histology, enlarged below 1 / enlarge_histology_below "
                     "(nucleispark_train/maskrcnn_serving.py)")}


def training_diameter(root, image_ids):
    """model.json's nucleus_diameter block: the median scale.diameter of the canonical input over these images (as
    train_unet records its own), and its histology block (scale.histology_median)."""
    planes = scale.training_planes([(root, i) for i in image_ids])
    ds = [d for d in (scale.diameter(p) for p, _ in planes) if d == d]
    block = {"median_estimate": round(float(np.median(ds)), 3), "images": len(ds),
             "recipe": "nucleispark_train/scale.py over the canonical input of its training images"}
    histology = scale.histology_median(planes)
    return {**block, "histology": histology} if histology else block


def served_input(raw, meta, modality="auto"):
    """(3, H, W) float32 input, the modality and the canonical plane (for the size estimate), or the
    percentile RGB with modality None for a model.json without a serving block."""
    serving = meta.get("serving")
    if not serving:
        return data.normalise(raw), None, None
    x, used, plane = canonical.served(raw, serving["canonical"], modality)
    if used not in serving["canonical_for"]:
        return data.normalise(raw), used, plane
    return x, used, plane


def served_detections(detect, raw, meta, modality="auto", diameter=None):
    """detect: predict_maskrcnn.load_detector's function. Boxes in the image's own pixels."""
    x, used, plane = served_input(raw, meta, modality)
    h, w = x.shape[1:]
    f = scale.served_factor(meta, plane, w, h, diameter, used)
    if f == 1.0:
        return detect(x)
    sh, sw = max(1, int(round(h * f))), max(1, int(round(w * f)))
    # area averaging when shrinking (Java: OpenCV INTER_AREA; equal for integer factors, close otherwise); bilinear
    # with half-pixel centres when enlarging histology (Java: INTER_LINEAR; torch's "area" would repeat pixels)
    mode = dict(mode="area") if f < 1.0 else dict(mode="bilinear", align_corners=False)
    small = F.interpolate(torch.from_numpy(x)[None], size=(sh, sw), **mode)[0].numpy()
    boxes, scores, masks = detect(np.ascontiguousarray(small))
    boxes = boxes * np.array([w / sw, h / sh, w / sw, h / sh], dtype=np.float32)
    return boxes, scores, masks


def main(argv=None):
    p = argparse.ArgumentParser(description="Write the Mask R-CNN's serving block into its model.json.")
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--data", required=True, help="the DSB-layout training data, for the training nucleus diameter")
    p.add_argument("--canonical-for", default=None,
                   help="modalities given the canonical input (default: all three for a model trained on it "
                        "(train_maskrcnn --canonical), else fluorescence,brightfield)")
    p.add_argument("--shrink-above", type=float, default=3.0)
    p.add_argument("--shrink-above-histology", type=float, default=2.0,
                   help="the trigger for images detected as histology, measured against the histology training median")
    p.add_argument("--enlarge-histology-below", type=float, default=1.5,
                   help="enlarge images detected as histology whose nuclei look less than 1 / this of that median")
    args = p.parse_args(argv)
    path = args.model_dir / "model.json"
    meta = json.loads(path.read_text())
    diameters = training_diameter(args.data, folds.training_ids(args.data, meta.get("training", {}).get("fold")))
    if args.canonical_for is None:
        trained_canonical = meta.get("training", {}).get("canonical", False)
        args.canonical_for = ",".join(canonical.MODALITIES) if trained_canonical else "fluorescence,brightfield"
    histology = "histology" in diameters
    meta["serving"] = serving_metadata([m for m in args.canonical_for.split(",") if m], args.shrink_above,
                                       args.shrink_above_histology if histology else None,
                                       args.enlarge_histology_below if histology else None,
                                       meta.get("training", {}).get("histology_input"))
    meta["nucleus_diameter"] = diameters
    path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"nucleus diameter {diameters['median_estimate']:.3f} over {diameters['images']} training images "
          f"(histology {diameters.get('histology')}); serving {meta['serving']['canonical_for']}, "
          f"shrink above {args.shrink_above}x (histology {meta['serving'].get('shrink_above_histology')}x)")


if __name__ == "__main__":
    main()
