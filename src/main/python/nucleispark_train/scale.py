"""Typical nucleus diameter of an image, from its canonical input, without a network.

Recipe (Java's segment.NucleusDiameter repeats it): Otsu threshold (256 bins) of the canonical plane;
the Euclidean distance transform of that foreground; per 8-connected component of at least
MIN_COMPONENT_PX pixels its largest distance; diameter = 2 x the median of those maxima. The largest
distance of a clump of touching nuclei is about one nucleus' radius, so clumps do not inflate it as
component areas would.

The exported model records the median of this estimate over its training images
(model.json "nucleus_diameter"); serving rescales an image whose estimate is far from it. Colour histology
is measured by weighted_diameter against the median of that estimate over the training histology
(nucleus_diameter.histology; served_diameters).

    python -m nucleispark_train.scale --model-dir models/unet --data <stage1_train> [--extra <s-bsst265/train>]

adds that histology block to a U-Net exported before it was recorded (main).
"""
import argparse
import json
from pathlib import Path

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu

from . import canonical, data, folds

MIN_COMPONENT_PX = 10

# How serving rescales a canonical U-Net (its model.json "serving"; Java's segment.ScaleToModel): shrink when the
# image's nuclei look more than 1.5x the model's, never enlarge. Enlarging images whose nuclei looked under half the
# model's (the rule until 2026-12-07) lowered 7 of the 8 held-out images it touched, the 4 brightfield ones by about
# 0.1 mAP each: on those the estimate takes texture for tiny nuclei, and training's 0.5-2x scale augmentation covers
# what is left (docs/generalisation.md, "Never enlarge"). Images detected as histology are measured by
# weighted_diameter against the histology training median (model.json nucleus_diameter.histology), an estimate
# reliable enough (sd of log 0.20 against the truth) to shrink whenever their nuclei look more than 1.1x it: on the
# held-out DSB histology 0.259 -> 0.266 with 1.5x, 0.268 with 1.01x; enlarged 2x 0.241 -> 0.246 (docs/generalisation.md,
# "Histology at other magnifications"). Histology whose nuclei look less than 1/1.5 of that median is enlarged to it:
# the held-out histology shrunk to half its size (20x-like) 0.252 -> 0.262, the Mask R-CNN's 0.153 -> 0.189, at its
# own size 0.268 -> 0.267 and 0.222 -> 0.227.
UNET_SERVING = {"shrink_above": 1.5, "enlarge": False, "shrink_above_histology": 1.1, "enlarge_histology_below": 1.5}


def component_peaks(plane):
    """Per Otsu foreground component of at least MIN_COMPONENT_PX pixels its largest distance to the background
    (float64 array, empty when there is none)."""
    if plane.max() <= plane.min():
        return np.zeros(0)
    foreground = plane > threshold_otsu(plane, nbins=256)
    labels, n = ndimage.label(foreground, structure=np.ones((3, 3)))
    if n == 0:
        return np.zeros(0)
    sizes = np.bincount(labels.ravel())
    keep = [k for k in range(1, n + 1) if sizes[k] >= MIN_COMPONENT_PX]
    if not keep:
        return np.zeros(0)
    dist = ndimage.distance_transform_edt(foreground)
    return np.asarray(ndimage.maximum(dist, labels, keep), dtype=np.float64)


def diameter(plane):
    """plane: (H, W) canonical input in [0, 1] -> float diameter in pixels, or nan (no nuclei)."""
    peaks = component_peaks(plane)
    return float(2.0 * np.median(peaks)) if peaks.size else float("nan")


def weighted_diameter(plane):
    """The estimate for colour histology: 2 x the median of the component peaks, each weighted by its peak squared
    (the area of its inscribed disc), i.e. the diameter the typical nucleus pixel belongs to; nan without nuclei.

    The haematoxylin plane of H&E is speckled (chromatin, stroma): Otsu keeps many specks next to the nuclei. The
    plain median counts each speck as a nucleus, and which specks pass MIN_COMPONENT_PX depends on the
    magnification, so on the held-out DSB histology enlarged 2x and 3x it read 0.65, 0.39 and 0.32 of the true
    median diameter and never asked for a shrink. Weighted by their discs the specks hardly count: 1.01, 1.01 and
    0.99 of the truth, spread (sd of log) 0.20 against 0.45-0.74. On fluorescence the plain median stays better
    (sd 0.35 against 0.51: there a few large bright clumps would dominate), so only histology uses this one
    (docs/generalisation.md, "Histology at other magnifications")."""
    peaks = component_peaks(plane)
    if not peaks.size:
        return float("nan")
    order = np.sort(peaks)
    cumulative = np.cumsum(order ** 2)
    return float(2.0 * order[np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def histology_median(planes_and_modalities):
    """model.json's nucleus_diameter.histology block over (canonical plane, modality) pairs of the training images,
    or None without histology among them."""
    estimates = [weighted_diameter(p) for p, m in planes_and_modalities if m == "histology"]
    estimates = [e for e in estimates if e == e]
    if not estimates:
        return None
    return {"median_estimate": round(float(np.median(estimates)), 3), "images": len(estimates),
            "recipe": "nucleispark_train/scale.py weighted_diameter over its training images detected as histology"}


def training_planes(images):
    """(canonical plane, modality) of each (root, image id): what the training medians are measured on."""
    return [(x[0], m) for x, m in (canonical.canonical(data.read_raw(r, i)) for r, i in images)]


def histology_rule(modality, nucleus_diameter):
    """The model's nucleus_diameter.histology block when it applies to an image of this modality, else None: then
    the image is measured like every other (Java: ScaleToModel.factor's histology branch)."""
    return (nucleus_diameter or {}).get("histology") if modality == "histology" else None


def served_diameters(plane, modality, nucleus_diameter, image_diameter=None):
    """(image diameter, model diameter) for the rescale: an image detected as histology is measured by
    weighted_diameter against the histology training median when the model records one
    (nucleus_diameter.histology), every other image by diameter against the overall median. image_diameter: the
    user's pixels instead of the estimate (compared with the same model figure)."""
    block = histology_rule(modality, nucleus_diameter)
    model_d = (block or nucleus_diameter or {}).get("median_estimate")
    if image_diameter is None:
        image_diameter = weighted_diameter(plane) if block else diameter(plane)
    return float(image_diameter), model_d


def truth_diameter(labels):
    """Median equivalent-circle diameter of a label image's nuclei (for checking the estimate)."""
    areas = np.bincount(labels.ravel())[1:]
    areas = areas[areas > 0]
    return float(np.median(2.0 * np.sqrt(areas / np.pi))) if areas.size else float("nan")


def factor(image_diameter, model_diameter, width, height, shrink_above=1.5, enlarge_below=2.0,
           min_factor=0.1, max_factor=2.0, min_side=64):
    """The resize factor serving applies (Java's segment.ScaleToModel.factor): model / image diameter, but
    1 while the image's nuclei are within [model / enlarge_below, model * shrink_above]; enlarge_below None
    never enlarges. Clamped to [min_factor, max_factor] and never below min_side pixels a side."""
    if not (image_diameter > 0) or not (model_diameter > 0):
        return 1.0
    f = model_diameter / image_diameter
    if f > 1.0 / shrink_above and (enlarge_below is None or f < enlarge_below):
        return 1.0
    f = max(min_factor, min(max_factor, f))
    return max(f, min(1.0, min_side / min(width, height)))


def served_factor(meta, plane, width, height, diameter=None, modality=None):
    """What serving resizes an image by, for any model whose model.json has a serving block (U-Net or Mask R-CNN;
    Java: segment.ScaleToModel.factor). diameter: None = estimate from the canonical plane, 0 = never rescale, else
    the user's pixels; modality: the one the canonical input took (histology is measured against its own training
    median, served_diameters)."""
    serving = meta.get("serving")
    if not serving or plane is None or diameter == 0:
        return 1.0
    image_d, model_d = served_diameters(plane, modality, meta.get("nucleus_diameter"), diameter)
    if model_d is None:
        return 1.0
    trigger = serving["shrink_above"]
    enlarge_below = None if not serving.get("enlarge", False) else 2.0
    if histology_rule(modality, meta.get("nucleus_diameter")):
        trigger = serving.get("shrink_above_histology", trigger)
        enlarge_below = serving.get("enlarge_histology_below", enlarge_below)
    return factor(image_d, model_d, width, height, shrink_above=trigger, enlarge_below=enlarge_below)


def main(argv=None):
    """Adds nucleus_diameter.histology to an exported U-Net's model.json (models exported before it was recorded):
    the weighted_diameter median over the model's training images (--data without the model's fold, and --extra)
    detected as histology, and serving.shrink_above_histology. Weights, sha256 and the overall median stay as they
    are. (The Mask R-CNN's blocks are written by maskrcnn_serving.)"""
    p = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--data", required=True, help="the DSB-layout training data")
    p.add_argument("--extra", default=None, help="the --extra-data the model was trained with, if any")
    p.add_argument("--shrink-above-histology", type=float, default=UNET_SERVING["shrink_above_histology"])
    p.add_argument("--enlarge-histology-below", type=float, default=UNET_SERVING["enlarge_histology_below"])
    args = p.parse_args(argv)
    path = args.model_dir / "model.json"
    meta = json.loads(path.read_text())
    if "nucleus_diameter" not in meta:
        raise SystemExit(f"{path} records no nucleus_diameter: the model is not served with rescaling")
    images = [(args.data, i) for i in folds.training_ids(args.data, meta.get("training", {}).get("fold"))]
    if args.extra:
        images += [(args.extra, i) for i in data.list_ids(args.extra)]
    block = histology_median(training_planes(images))
    if block is None:
        raise SystemExit("no training image detected as histology")
    meta["nucleus_diameter"]["histology"] = block
    if "serving" in meta:
        meta["serving"]["shrink_above_histology"] = args.shrink_above_histology
        meta["serving"]["enlarge_histology_below"] = args.enlarge_histology_below
    path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"histology nucleus diameter {block['median_estimate']} over {block['images']} training images")


if __name__ == "__main__":
    main()
