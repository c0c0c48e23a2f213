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
