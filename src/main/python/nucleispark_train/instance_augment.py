"""The U-Net's training augmentation (augment.augment) applied to an instance label image.

augment.augment resamples binary targets (bilinear, then > 0.5); an instance label image needs the
same geometry with the ids kept. augment_instances draws the same random numbers in the same order
from the same augment.* ranges and helpers, so for one seed its image equals augment.augment's
(up to float32 rounding in the resampling) and each instance is what augment.augment would give
for that instance's binary mask.
"""
import numpy as np
import torch
from scipy import ndimage
from torch.nn import functional as F

from . import augment


def augment_instances(image, labels, crop, rng, generalise=False, raw=None, histology_input="haematoxylin"):
    """One training example: (3, crop, crop) float32 image tensor, (crop, crop) int64 labels.

    generalise, raw and histology_input as augment.augment: wide scale, stain jitter of the raw colour of a
    histology image (raw, (3, H, W)) seen as the histology_input plane, gamma/blur/noise jitter of the canonical
    input."""
    scale = np.exp(rng.uniform(*np.log(augment.WIDE_SCALE_RANGE if generalise else augment.SCALE_RANGE)))
    source = max(int(round(crop / scale)), 16)
    if generalise and raw is not None:
        img, lab, raw_window = augment.random_window([image, labels[None], raw], source, rng)
        restained = augment.restained(raw_window, rng, histology_input)
        if restained is not None:
            img = restained
    else:
        img, lab = augment.random_window([image, labels[None]], source, rng)
    img = torch.from_numpy(img.astype(np.float32))
    lab = lab[0]
    if source != crop:
        img = F.interpolate(img[None], size=(crop, crop), mode="bilinear", align_corners=False)[0]
        lab = resize_labels(lab, crop, crop)
    lab = torch.from_numpy(split_disconnected(lab))

    k = int(rng.integers(4))
    img, lab = torch.rot90(img, k, (1, 2)), torch.rot90(lab, k, (0, 1))
    if rng.random() < 0.5:
        img, lab = img.flip(2), lab.flip(1)

    if generalise:
        img = augment.appearance(img, rng)
    contrast = rng.uniform(*augment.CONTRAST_RANGE)
    shift = rng.uniform(-augment.BRIGHTNESS_SHIFT, augment.BRIGHTNESS_SHIFT)
    img = ((img - 0.5) * contrast + 0.5 + shift).clamp(0.0, 1.0)
    return img.contiguous(), lab.contiguous()


def _source_index(n_in, n_out):
    """F.interpolate(mode='bilinear', align_corners=False) source taps along one axis."""
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    low = np.minimum(src.astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    frac = src - low
    return low, high, 1.0 - frac, frac


def resize_labels(labels, height, width):
    """Label image resized so that every instance is its binary mask resized bilinearly and
    thresholded at > 0.5 (at most one instance can exceed 0.5 at a pixel, the weights sum to 1)."""
    y0, y1, wy0, wy1 = _source_index(labels.shape[0], height)
    x0, x1, wx0, wx1 = _source_index(labels.shape[1], width)
    taps = [(labels[ya][:, xa], wa[:, None] * wb[None, :])
            for ya, wa in ((y0, wy0), (y1, wy1)) for xa, wb in ((x0, wx0), (x1, wx1))]
    out = np.zeros((height, width), dtype=labels.dtype)
    for ids, _ in taps:
        total = sum(w * (other == ids) for other, w in taps)
        winner = (total > 0.5) & (ids != 0)
        out[winner] = ids[winner]
    return out


def split_disconnected(labels):
    """int64 labels where each connected part of an id is its own instance: reflect padding
    (augment.pad_to_at_least) mirrors nuclei, and a mirrored copy must not share its original's id."""
    out = labels.astype(np.int64)
    next_id = int(out.max()) + 1
    for index, box in enumerate(ndimage.find_objects(out), start=1):
        if box is None:
            continue
        parts, n = ndimage.label(out[box] == index, structure=np.ones((3, 3)))
        for part in range(2, n + 1):
            out[box][parts == part] = next_id
            next_id += 1
    return out
