"""Training-time augmentation of cached (image, targets) pairs: crop, scale, flips, rotations,
mild brightness/contrast. Deliberately light: DSB images are already varied, and heavier
colour/elastic transforms mostly slow a CPU run down.
"""
import numpy as np
import torch
from torch.nn import functional as F

SCALE_RANGE = (0.75, 1.33)
CONTRAST_RANGE = (0.8, 1.25)
BRIGHTNESS_SHIFT = 0.08


def pad_to_at_least(arr, size):
    """Reflect-pad the last two axes of (C, H, W) up to size (numpy repeats the reflection when needed)."""
    h, w = arr.shape[-2:]
    ph, pw = max(size - h, 0), max(size - w, 0)
    if not (ph or pw):
        return arr
    return np.pad(arr, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2)), mode="reflect")


def random_window(arrays, size, rng):
    """The same random size x size window of each (C, H, W) array (all of one height and width)."""
    arrays = [pad_to_at_least(a, size) for a in arrays]
    h, w = arrays[0].shape[-2:]
    y, x = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
    return [a[:, y:y + size, x:x + size] for a in arrays]


def centre_window(arr, size):
    arr = pad_to_at_least(arr, size)
    h, w = arr.shape[-2:]
    y, x = (h - size) // 2, (w - size) // 2
    return arr[:, y:y + size, x:x + size]


def augment(image, targets, crop, rng):
    """One training example: (3, crop, crop) float32 image and (2, crop, crop) float32 targets."""
    # Scale jitter: crop crop/s source pixels and resize to crop (s > 1 magnifies).
    scale = np.exp(rng.uniform(*np.log(SCALE_RANGE)))
    source = max(int(round(crop / scale)), 16)
    img, tgt = random_window([image, targets], source, rng)  # window first: images can be 1-2 Mpx
    both = torch.from_numpy(np.concatenate([img.astype(np.float32), tgt.astype(np.float32)]))
    if source != crop:
        both = F.interpolate(both[None], size=(crop, crop), mode="bilinear", align_corners=False)[0]
    img, tgt = both[:3], (both[3:] > 0.5).float()  # re-binarise the resampled targets

    k = int(rng.integers(4))
    img, tgt = torch.rot90(img, k, (1, 2)), torch.rot90(tgt, k, (1, 2))
    if rng.random() < 0.5:
        img, tgt = img.flip(2), tgt.flip(2)

    contrast = rng.uniform(*CONTRAST_RANGE)
    shift = rng.uniform(-BRIGHTNESS_SHIFT, BRIGHTNESS_SHIFT)
    # Clip back to [0, 1]: the served normalisation never produces values outside it.
    img = ((img - 0.5) * contrast + 0.5 + shift).clamp(0.0, 1.0)
    return img.contiguous(), tgt.contiguous()
