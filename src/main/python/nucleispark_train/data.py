"""Reading DSB-layout samples, the input normalisation the Java side reimplements, and the targets.

Layout: <root>/<id>/images/<id>.png and <root>/<id>/masks/*.png (one binary PNG per nucleus).
Normalised images and targets are cached per image as .npz so that training epochs only crop arrays.
"""
import os
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.morphology import disk

from . import canonical

# The percentiles and the clip are part of the model contract: model.json repeats them and Java
# (org.nucleispark.image) must produce the same float32 values for the same PNG.
LOW_PERCENTILE = 1.0
HIGH_PERCENTILE = 99.8
MIN_RANGE = 1e-6
DEFAULT_BORDER_RADIUS = 2
# Bump when the cached arrays change meaning, so stale caches are never read.
CACHE_VERSION = 1
# Cached inputs of the canonical kind (see canonical.py) carry this tag in their file name.
CANONICAL_TAG = "c1"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "nucleispark" / "unet_cache"


def list_ids(root):
    """Image ids of a DSB-layout folder, sorted so every consumer sees the same order."""
    root = Path(root)
    return sorted(p.name for p in root.iterdir() if (p / "images" / f"{p.name}.png").is_file())


def read_raw(root, image_id):
    """Raw sample values as an (H, W, C) array: alpha dropped, C = 1 or 3, dtype as stored."""
    img = Image.open(Path(root) / image_id / "images" / f"{image_id}.png")
    if img.mode == "P":  # palette images carry no meaningful indices; expand them first
        img = img.convert("RGBA")
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.shape[2] in (2, 4):  # LA / RGBA: the last channel is alpha
        arr = arr[:, :, :-1]
    return arr


# (H, W, C) raw values -> (3, H, W) float64, a grey image replicated: one definition for both input contracts.
to_rgb_planes = canonical.rgb_planes


def normalise(raw):
    """The model's input normalisation, returned as float32 (3, H, W) in [0, 1].

    lo/hi are numpy.percentile (default 'linear') over all 3*H*W values together (after grey
    replication, which matters for the interpolation positions). Arithmetic is float64, rounded to
    float32 at the end.
    """
    planes = to_rgb_planes(raw)
    lo, hi = np.percentile(planes, [LOW_PERCENTILE, HIGH_PERCENTILE])
    x = (planes - lo) / max(hi - lo, MIN_RANGE)
    return np.clip(x, 0.0, 1.0).astype(np.float32)


def read_labels(root, image_id, shape):
    """Instance label image (uint16, 0 = background) from the per-nucleus mask PNGs.

    Masks are taken in file-name order; where two masks overlap the later one wins.
    """
    labels = np.zeros(shape, dtype=np.uint16)
    mask_dir = Path(root) / image_id / "masks"
    for i, name in enumerate(sorted(os.listdir(mask_dir)), start=1):
        mask = np.asarray(Image.open(mask_dir / name))
        if mask.ndim == 3:
            mask = mask[:, :, 0]
        labels[mask > 0] = i
    return labels


def touching_border(labels, radius=DEFAULT_BORDER_RADIUS):
    """Pixels where the disk(radius) dilations of two or more different instances overlap.

    Each instance is dilated inside its own bounding box (grown by radius) so that images with
    hundreds of nuclei stay cheap.
    """
    count = np.zeros(labels.shape, dtype=np.uint8)
    footprint = disk(radius).astype(bool)
    h, w = labels.shape
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        y0, y1 = max(box[0].start - radius, 0), min(box[0].stop + radius, h)
        x0, x1 = max(box[1].start - radius, 0), min(box[1].stop + radius, w)
        grown = ndimage.binary_dilation(labels[y0:y1, x0:x1] == index, structure=footprint)
        count[y0:y1, x0:x1] += grown.astype(np.uint8)
    return count >= 2


def make_targets(labels, radius=DEFAULT_BORDER_RADIUS):
    """(2, H, W) uint8 targets: channel 0 nucleus foreground, channel 1 touching border."""
    return np.stack([labels > 0, touching_border(labels, radius)]).astype(np.uint8)


def model_input(raw, canonical_input=False):
    """The network input of either contract: the legacy RGB percentile rule or the canonical grey."""
    return canonical.canonical(raw)[0] if canonical_input else normalise(raw)


def load_sample(root, image_id, radius=DEFAULT_BORDER_RADIUS, canonical_input=False):
    """Uncached: (image float32 3HW, targets uint8 2HW, labels uint16 HW)."""
    raw = read_raw(root, image_id)
    labels = read_labels(root, image_id, raw.shape[:2])
    return model_input(raw, canonical_input), make_targets(labels, radius), labels


def cache_path(cache_dir, image_id, radius, canonical_input=False):
    tag = f"_{CANONICAL_TAG}" if canonical_input else ""
    return Path(cache_dir) / f"{image_id}_r{radius}_v{CACHE_VERSION}{tag}.npz"


def cached_sample(root, image_id, radius=DEFAULT_BORDER_RADIUS, cache_dir=DEFAULT_CACHE_DIR, canonical_input=False):
    """Like load_sample, but read from / written to the cache (image stored as float16)."""
    path = cache_path(cache_dir, image_id, radius, canonical_input)
    if not path.is_file():
        image, targets, labels = load_sample(root, image_id, radius, canonical_input)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
        np.savez(tmp, image=image.astype(np.float16), targets=targets, labels=labels)
        os.replace(tmp, path)  # atomic: an interrupted run never leaves a truncated cache entry
    with np.load(path) as z:
        return z["image"], z["targets"], z["labels"]


def _warm_one(job):
    root, image_id, radius, cache_dir, canonical_input = job
    if not cache_path(cache_dir, image_id, radius, canonical_input).is_file():
        cached_sample(root, image_id, radius, cache_dir, canonical_input)


def warm_cache(root, ids, radius=DEFAULT_BORDER_RADIUS, cache_dir=DEFAULT_CACHE_DIR, workers=2, canonical_input=False):
    """Build missing cache entries in parallel (mask reading and dilation dominate the first run)."""
    jobs = [(str(root), i, radius, str(cache_dir), canonical_input) for i in ids
            if not cache_path(cache_dir, i, radius, canonical_input).is_file()]
    if not jobs:
        return
    if workers <= 1 or len(jobs) == 1:
        for job in jobs:
            _warm_one(job)
        return
    with Pool(workers) as pool:
        pool.map(_warm_one, jobs, chunksize=4)


def normalisation_metadata():
    """The input contract every exported model writes into model.json (Java reimplements it exactly)."""
    return {
        "method": "percentile",
        "low": LOW_PERCENTILE,
        "high": HIGH_PERCENTILE,
        "joint_over_channels": True,
        "grey_to_rgb": True,
        "drop_alpha": True,
        "clip": [0.0, 1.0],
        "min_range": MIN_RANGE,
        "formula": ("drop alpha; replicate a grey plane to 3 planes; over all 3*H*W raw sample "
                    "values v (as float64, not rescaled) take lo = percentile(v, 1.0), "
                    "hi = percentile(v, 99.8); x = clip((v - lo) / max(hi - lo, 1e-6), 0, 1) in "
                    "float64, then rounded to float32; layout CHW, channels R,G,B"),
        "percentile_definition": ("numpy.percentile 'linear', float64: sort v ascending (n values); "
                                  "pos = (n-1) * (p/100); i = floor(pos); g = pos - i; a = v[i], "
                                  "b = v[min(i+1, n-1)]; q = a + (b-a)*g if g < 0.5 else "
                                  "b - (b-a)*(1-g)"),
    }
