"""Training-time augmentation of cached (image, targets) pairs: crop, scale, flips, rotations,
mild brightness/contrast. Deliberately light: DSB images are already varied, and heavier
colour/elastic transforms mostly slow a CPU run down.
"""
import numpy as np
import torch
from torch.nn import functional as F

from . import canonical

SCALE_RANGE = (0.75, 1.33)
# --generalise: nuclei from half to twice their size (S-BSST265's are up to ten times the DSB median),
# and appearance jitter in the canonical grey space (gamma, contrast, blur, noise) so that stains,
# optics and detectors the training set lacks look like ones it has.
WIDE_SCALE_RANGE = (0.5, 2.0)
GAMMA_RANGE = (0.6, 1.6)
MAX_BLUR_SIGMA = 1.5
MAX_NOISE_STD = 0.08
CONTRAST_RANGE = (0.8, 1.25)
BRIGHTNESS_SHIFT = 0.08
# Stain jitter of colour histology (raw RGB, before the canonical haematoxylin transform): another lab's
# stain vectors and concentrations (Tellez et al., Med. Image Anal. 58, 2019, "HED jitter", plus a
# perturbation of the vectors themselves, which plain HED jitter cannot mimic because the deconvolution
# would undo it exactly); sometimes the slide is seen as grey brightfield, as a scan saved in grey is.
STAIN_JITTER_P = 0.6
STAIN_VECTOR_SIGMA = 0.12
STAIN_SCALE_SIGMA = 0.25
STAIN_SHIFT = 0.05
GREY_HISTOLOGY_P = 0.15
# Training for histology_input "grey" (what the shipped models are served): the jittered stains are seen as that
# grey plane, except this share of all histology crops, seen as the haematoxylin plane (canonical.grey_plane) that a
# model.json with membranous_share serves membranous IHC, so the network keeps both.
HAEMATOXYLIN_SHARE_OF_GREY = 0.2


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


def gaussian_blur(img, sigma):
    """Separable Gaussian blur of a (C, H, W) tensor, reflect-padded."""
    radius = max(int(np.ceil(3 * sigma)), 1)
    xs = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * (xs / sigma) ** 2)
    k = (k / k.sum()).to(img.dtype)
    c = img.shape[0]
    x = F.pad(img[None], (radius, radius, radius, radius), mode="reflect")
    x = F.conv2d(x, k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    x = F.conv2d(x, k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return x[0]


def appearance(img, rng):
    """Gamma, blur and noise jitter of a canonical (nuclei-bright grey) input, values kept in [0, 1]."""
    gamma = np.exp(rng.uniform(*np.log(GAMMA_RANGE)))
    img = img.clamp(0.0, 1.0) ** gamma
    if rng.random() < 0.3:
        img = gaussian_blur(img, rng.uniform(0.3, MAX_BLUR_SIGMA))
    if rng.random() < 0.3:
        std = rng.uniform(0.0, MAX_NOISE_STD)
        noise = torch.from_numpy(rng.normal(0.0, std, size=img.shape[1:]).astype(np.float32))
        img = img + noise[None]  # one noise field for the replicated planes: they stay equal
    return img


def jittered_stains(raw, rng):
    """(H, W, 3) raw colour histology re-stained: concentrations from the standard deconvolution, each
    stain scaled and shifted, re-synthesised with randomly tilted stain vectors (rows kept unit length)."""
    conc = np.tensordot(canonical.HED_FROM_RGB.T, canonical.optical_density(raw), axes=1)  # (3 stains, H, W)
    scale = np.exp(rng.normal(0.0, STAIN_SCALE_SIGMA, size=3))
    shift = rng.uniform(-STAIN_SHIFT, STAIN_SHIFT, size=3)
    conc = np.maximum(conc * scale[:, None, None] + shift[:, None, None], 0.0)
    vectors = canonical.RGB_FROM_HED * np.exp(rng.normal(0.0, STAIN_VECTOR_SIGMA, size=(3, 3)))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rgb = 10.0 ** -np.tensordot(vectors.T, conc, axes=1)  # (3, H, W) in (0, 1]
    return np.moveaxis(np.clip(rgb, 0.0, 1.0) * 255.0, 0, 2).astype(np.uint8)


def restained(raw_window, rng, histology_input="haematoxylin"):
    """(3, h, w) canonical input of a raw colour-histology window after stain jitter, or None (unchanged).
    The percentiles are the window's own, not the whole image's: one more contrast variation.
    histology_input "grey": the jittered stains seen as canonical.histology_grey (membranous rings taken out),
    or in HAEMATOXYLIN_SHARE_OF_GREY of the crops as the haematoxylin plane."""
    u = rng.random()
    hwc = np.moveaxis(raw_window, 0, 2)
    if histology_input == "grey":
        if u < HAEMATOXYLIN_SHARE_OF_GREY:
            plane = canonical.grey_plane(jittered_stains(hwc, rng), "histology")
        elif u < STAIN_JITTER_P:
            plane = canonical.histology_grey(jittered_stains(hwc, rng), canonical.DAB_ABOVE)
        else:
            return None
        return np.repeat(canonical.normalise_plane(plane).astype(np.float32)[None], 3, axis=0)
    if histology_input != "haematoxylin":
        raise ValueError(f"unknown histology input {histology_input!r}; expected one of {canonical.HISTOLOGY_INPUTS}")
    if u < GREY_HISTOLOGY_P:
        # a grey scan is served as brightfield: its channel mean, inverted
        plane = canonical.normalise_plane(canonical.grey_plane(hwc, "brightfield"))
    elif u < STAIN_JITTER_P:
        plane = canonical.normalise_plane(canonical.grey_plane(jittered_stains(hwc, rng), "histology"))
    else:
        return None
    return np.repeat(plane.astype(np.float32)[None], 3, axis=0)


def augment(image, targets, crop, rng, generalise=False, raw=None, soft=None, histology_input="haematoxylin"):
    """One training example: (3, crop, crop) float32 image and (2, crop, crop) float32 targets.

    raw: the (3, H, W) raw colour of a histology image, for stain jitter (generalise only); histology_input: the
    plane the jittered stains are seen as (restained), "grey" when the cached image is served grey too.
    soft: (C, H, W) soft targets (distill.teacher_maps) that follow the geometry but stay continuous;
    then a third value, (C, crop, crop) float32, is returned."""
    if soft is not None:
        targets = np.concatenate([targets.astype(np.float32), soft.astype(np.float32)])
    # Scale jitter: crop crop/s source pixels and resize to crop (s > 1 magnifies).
    scale = np.exp(rng.uniform(*np.log(WIDE_SCALE_RANGE if generalise else SCALE_RANGE)))
    source = max(int(round(crop / scale)), 16)
    if generalise and raw is not None:
        cached, tgt, raw_window = random_window([image, targets, raw], source, rng)
        img = restained(raw_window, rng, histology_input)
        if img is None:  # the window as the cache holds it
            img = cached
    else:
        img, tgt = random_window([image, targets], source, rng)  # window first: images can be 1-2 Mpx
    both = torch.from_numpy(np.concatenate([img.astype(np.float32), tgt.astype(np.float32)]))
    if source != crop:
        both = F.interpolate(both[None], size=(crop, crop), mode="bilinear", align_corners=False)[0]
    img, tgt = both[:3], both[3:]
    n_binary = len(tgt) - (0 if soft is None else len(soft))
    tgt = torch.cat([(tgt[:n_binary] > 0.5).float(), tgt[n_binary:]])  # re-binarise the resampled targets

    k = int(rng.integers(4))
    img, tgt = torch.rot90(img, k, (1, 2)), torch.rot90(tgt, k, (1, 2))
    if rng.random() < 0.5:
        img, tgt = img.flip(2), tgt.flip(2)

    if generalise:
        img = appearance(img, rng)
    contrast = rng.uniform(*CONTRAST_RANGE)
    shift = rng.uniform(-BRIGHTNESS_SHIFT, BRIGHTNESS_SHIFT)
    # Clip back to [0, 1]: the served normalisation never produces values outside it.
    img = ((img - 0.5) * contrast + 0.5 + shift).clamp(0.0, 1.0)
    if soft is not None:
        return img.contiguous(), tgt[:n_binary].contiguous(), tgt[n_binary:].contiguous()
    return img.contiguous(), tgt.contiguous()
