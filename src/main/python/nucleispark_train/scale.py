"""Typical nucleus diameter of an image, from its canonical input, without a network.

Recipe (Java's segment.NucleusDiameter repeats it): Otsu threshold (256 bins) of the canonical plane;
the Euclidean distance transform of that foreground; per 8-connected component of at least
MIN_COMPONENT_PX pixels its largest distance; diameter = 2 x the median of those maxima. The largest
distance of a clump of touching nuclei is about one nucleus' radius, so clumps do not inflate it as
component areas would.

The exported model records the median of this estimate over its training images
(model.json "nucleus_diameter"); serving rescales an image whose estimate is far from it.
"""
import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu

MIN_COMPONENT_PX = 10

# How serving rescales a canonical U-Net (its model.json "serving"; Java's segment.ScaleToModel): shrink when the
# image's nuclei look more than 1.5x the model's, never enlarge. Enlarging images whose nuclei looked under half the
# model's (the rule until 2026-12-07) lowered 7 of the 8 held-out images it touched, the 4 brightfield ones by about
# 0.1 mAP each: on those the estimate takes texture for tiny nuclei, and training's 0.5-2x scale augmentation covers
# what is left (docs/generalisation.md, "Never enlarge").
UNET_SERVING = {"shrink_above": 1.5, "enlarge": False}


def diameter(plane):
    """plane: (H, W) canonical input in [0, 1] -> float diameter in pixels, or nan (no nuclei)."""
    if plane.max() <= plane.min():
        return float("nan")
    foreground = plane > threshold_otsu(plane, nbins=256)
    labels, n = ndimage.label(foreground, structure=np.ones((3, 3)))
    if n == 0:
        return float("nan")
    sizes = np.bincount(labels.ravel())
    keep = [k for k in range(1, n + 1) if sizes[k] >= MIN_COMPONENT_PX]
    if not keep:
        return float("nan")
    dist = ndimage.distance_transform_edt(foreground)
    peaks = ndimage.maximum(dist, labels, keep)
    return float(2.0 * np.median(peaks))


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
