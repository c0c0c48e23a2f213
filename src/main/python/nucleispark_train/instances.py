"""U-Net outputs -> instances, and the Data Science Bowl 2018 score.

Mirrors the Java post-process (docs/architecture.md): threshold, markers = nucleus minus border, marker
watershed on the probability map inside the mask, drop small objects.
"""
import numpy as np
from scipy import ndimage
from skimage.segmentation import watershed

THRESHOLDS = np.arange(0.5, 1.0, 0.05)  # 0.50, 0.55, ... 0.95 as in DSB 2018
MIN_OBJECT_PX = 10
# markers where nucleus - border exceeds this, flooded on -(nucleus - border): what export writes into model.json
# (postprocess.marker_margin) and validation scores; docs/generalisation.md "Markers from the difference"
MARKER_MARGIN = 0.5
# with the margin: the Gaussian sigma (the network's pixels) blurring nucleus - border before markers and flood come
# from it; an image resized by f for the network is blurred by SMOOTH_SIGMA / f of its own
SMOOTH_SIGMA = 2.0


def instances_from_probabilities(prob, threshold=0.5, min_size=MIN_OBJECT_PX, border_threshold=None, marker_margin=None,
                                 smooth_sigma=0.0):
    """(2, H, W) probabilities -> int32 label image (0 = background); border_threshold defaults to threshold.

    marker_margin (model.json postprocess.marker_margin): markers only where nucleus - border exceeds it, flooded on
    -(nucleus - border), as Java's ProbabilityWatershed does; None = markers where border < border_threshold, flooded
    on -nucleus. smooth_sigma, with a margin: nucleus - border first blurred by a Gaussian of that many of these
    pixels (model.json postprocess.smooth_sigma divided by the factor the image was resized by for the network;
    reflected edges, truncated at 4 sigma, as Java's OpenCV blur). Java also keeps a foreground blob that lost every
    marker as one instance; this drops it.
    """
    nucleus, border = prob[0], prob[1]
    foreground = nucleus > threshold
    seeds = foreground & (border < (threshold if border_threshold is None else border_threshold))
    surface = -nucleus
    if marker_margin is not None:
        difference = nucleus - border
        if smooth_sigma:
            difference = ndimage.gaussian_filter(difference, smooth_sigma, mode="reflect", truncate=4.0)
        seeds &= difference > marker_margin
        surface = -difference
    markers, _ = ndimage.label(seeds)
    labels = watershed(surface, markers, mask=foreground)
    return relabel_sequential(remove_small(labels, min_size))


def remove_small(labels, min_size):
    """Zero instances of fewer than min_size pixels."""
    small = np.bincount(labels.ravel()) < min_size
    small[0] = False
    return np.where(small[labels], 0, labels)


def relabel_sequential(labels):
    ids = np.unique(labels)
    ids = ids[ids > 0]
    lut = np.zeros(int(labels.max()) + 1, dtype=np.int32)
    lut[ids] = np.arange(1, len(ids) + 1, dtype=np.int32)
    return lut[labels]


def iou_matrix(truth, pred):
    """IoU between every true instance (rows) and predicted instance (columns)."""
    truth, pred = relabel_sequential(truth), relabel_sequential(pred)
    n_true, n_pred = int(truth.max()), int(pred.max())
    joint = np.bincount(truth.ravel().astype(np.int64) * (n_pred + 1) + pred.ravel(),
                        minlength=(n_true + 1) * (n_pred + 1)).reshape(n_true + 1, n_pred + 1)
    area_true, area_pred = joint.sum(axis=1), joint.sum(axis=0)
    inter = joint[1:, 1:]
    union = area_true[1:, None] + area_pred[None, 1:] - inter
    return inter / np.maximum(union, 1)


def dsb_score(truth, pred):
    """Mean over t in 0.50..0.95 of TP/(TP+FP+FN), a match being IoU > t; 1.0 when both are empty.

    For t >= 0.5 an instance can overlap at most one other by IoU > t, so counting pairs is exact.
    """
    iou = iou_matrix(truth, pred)
    n_true, n_pred = iou.shape
    if n_true == 0 and n_pred == 0:
        return 1.0
    scores = []
    for t in THRESHOLDS:
        tp = int(np.sum(iou > t))
        scores.append(tp / (n_true + n_pred - tp))  # TP + FP + FN
    return float(np.mean(scores))
