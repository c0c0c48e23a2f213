"""torchvision Mask R-CNN configured for nuclei, its training targets, and detections -> instances.

The network is torchvision's MaskRCNN with a ResNet-FPN backbone trained from scratch (no
pretrained weights are reachable here, so BatchNorm is trainable rather than torchvision's default
FrozenBatchNorm2d). Changes from the COCO configuration, all for many small objects per image:
anchors 8..128 px (one size per FPN level, DSB nuclei are ~5-120 px across), up to 500 detections
(training images hold up to 375 nuclei), more RPN proposals, and heads much smaller than COCO's
(the 1024-wide box MLP alone would be 51 MB) so the exported file stays well under 100 MB.

Input contract: (3, H, W) float32 images normalised by data.normalise (values in [0, 1]). The
transform neither resizes (nuclei sizes are meaningful and Java tiles at native resolution) nor
normalises again (mean 0, std 1); it only zero-pads the batch to multiples of 32. Its postprocess
does not paste masks either: in eval mode the model returns boxes (N, 4) xyxy, scores (N),
labels (N) and masks (N, 1, 28, 28) probabilities in box coordinates, exactly what the exported
TorchScript model returns; instances_from_detections pastes them (as Java does).
"""
import json

import numpy as np
import torch
from scipy import ndimage
from torch import nn
from torch.nn import functional as F
from torchvision.models import resnet
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.models.detection.roi_heads import expand_boxes, expand_masks
from torchvision.models.detection.rpn import RPNHead
from torchvision.models.detection.transform import GeneralizedRCNNTransform
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool

from .instances import MIN_OBJECT_PX, relabel_sequential

NUM_CLASSES = 2  # background, nucleus
SIZE_DIVISIBLE = 32
MASK_SIZE = 28
# Instances smaller than this after cropping/augmentation are not used as training targets
# (slivers at a crop edge carry no shape, and 1-px boxes are degenerate for the box coder).
MIN_TARGET_PX = 4

DEFAULT_CONFIG = {
    "backbone": "resnet18",          # resnet18 | resnet34 | resnet50 (34/50 exceed ~100 MB at fpn 256)
    "norm": "batch",                 # batch | group (GroupNorm(32), for very small batches)
    "fpn_channels": 256,
    "anchor_sizes": [8, 16, 32, 64, 128],  # one per FPN level: strides 4, 8, 16, 32, 64
    "aspect_ratios": [0.5, 1.0, 2.0],
    "rpn_pre_nms_top_n_train": 3000,  # per FPN level
    "rpn_pre_nms_top_n_test": 2000,
    "rpn_post_nms_top_n_train": 2000,
    "rpn_post_nms_top_n_test": 1000,
    "rpn_nms_thresh": 0.7,
    "rpn_batch_size_per_image": 256,
    "rpn_positive_fraction": 0.5,
    "box_batch_size_per_image": 512,
    "box_positive_fraction": 0.25,
    "box_score_thresh": 0.05,         # lowest score the model emits; Java applies its own threshold
    "box_nms_thresh": 0.5,
    "box_detections_per_img": 500,
    "representation_size": 256,       # box-head MLP width (COCO: 1024)
    "mask_channels": 128,             # mask-head conv width (COCO: 256)
    "mask_layers": 4,
}


def model_config(overrides=None):
    """DEFAULT_CONFIG updated by overrides (a dict or a JSON string); unknown keys are an error."""
    if isinstance(overrides, str):
        overrides = json.loads(overrides)
    cfg = dict(DEFAULT_CONFIG)
    unknown = set(overrides or {}) - set(cfg)
    if unknown:
        raise ValueError(f"unknown Mask R-CNN config keys: {sorted(unknown)}")
    cfg.update(overrides or {})
    if len(cfg["anchor_sizes"]) != 5:
        raise ValueError("anchor_sizes needs one size per FPN level (5)")
    return cfg


class NativeSizeTransform(GeneralizedRCNNTransform):
    """GeneralizedRCNNTransform that only batches: no resize, no re-normalisation, no pasting."""

    def __init__(self, size_divisible=SIZE_DIVISIBLE):
        super().__init__(min_size=1, max_size=1, image_mean=[0.0, 0.0, 0.0], image_std=[1.0, 1.0, 1.0],
                         size_divisible=size_divisible)

    def normalize(self, image):
        if not image.is_floating_point():
            raise TypeError(f"expected a float image normalised by data.normalise, got {image.dtype}")
        return image  # data.normalise already did it; (x - 0) / 1 would be the identity anyway

    def resize(self, image, target=None):
        return image, target

    def postprocess(self, result, image_shapes, original_image_sizes):
        return result

    def __repr__(self):
        return f"{self.__class__.__name__}(native size, zero-pad to multiples of {self.size_divisible})"


def norm_layer(kind):
    if kind == "batch":
        return nn.BatchNorm2d
    if kind == "group":
        return lambda channels: nn.GroupNorm(32, channels)
    raise ValueError(f"norm must be batch or group, not {kind}")


def resnet_fpn(cfg):
    """ResNet + FPN over layer1..4 (+ max-pool level), all layers trainable, no pretrained weights.

    Same construction as torchvision's resnet_fpn_backbone(weights=None, trainable_layers=5),
    which hard-codes 256 FPN channels; here the width is configurable.
    """
    body = resnet.__dict__[cfg["backbone"]](weights=None, norm_layer=norm_layer(cfg["norm"]))
    stage2 = body.inplanes // 8
    return BackboneWithFPN(body, {f"layer{k}": str(k - 1) for k in range(1, 5)},
                           [stage2 * 2 ** (k - 1) for k in range(1, 5)], cfg["fpn_channels"],
                           extra_blocks=LastLevelMaxPool())


def build_model(config=None):
    """A fresh (randomly initialised) nuclei Mask R-CNN; config as for model_config."""
    cfg = model_config(config)
    channels = cfg["fpn_channels"]
    anchors = AnchorGenerator(tuple((s,) for s in cfg["anchor_sizes"]),
                              (tuple(cfg["aspect_ratios"]),) * len(cfg["anchor_sizes"]))
    mask_width = cfg["mask_channels"]
    model = MaskRCNN(
        resnet_fpn(cfg), num_classes=None,
        rpn_anchor_generator=anchors,
        rpn_head=RPNHead(channels, anchors.num_anchors_per_location()[0]),
        rpn_pre_nms_top_n_train=cfg["rpn_pre_nms_top_n_train"],
        rpn_pre_nms_top_n_test=cfg["rpn_pre_nms_top_n_test"],
        rpn_post_nms_top_n_train=cfg["rpn_post_nms_top_n_train"],
        rpn_post_nms_top_n_test=cfg["rpn_post_nms_top_n_test"],
        rpn_nms_thresh=cfg["rpn_nms_thresh"],
        rpn_batch_size_per_image=cfg["rpn_batch_size_per_image"],
        rpn_positive_fraction=cfg["rpn_positive_fraction"],
        box_head=TwoMLPHead(channels * 7 * 7, cfg["representation_size"]),
        box_predictor=FastRCNNPredictor(cfg["representation_size"], NUM_CLASSES),
        box_score_thresh=cfg["box_score_thresh"],
        box_nms_thresh=cfg["box_nms_thresh"],
        box_detections_per_img=cfg["box_detections_per_img"],
        box_batch_size_per_image=cfg["box_batch_size_per_image"],
        box_positive_fraction=cfg["box_positive_fraction"],
        mask_head=MaskRCNNHeads(channels, (mask_width,) * cfg["mask_layers"], 1),
        mask_predictor=MaskRCNNPredictor(mask_width, mask_width, NUM_CLASSES),
    )
    model.transform = NativeSizeTransform()
    model.nucleispark_config = cfg  # read by export_maskrcnn when there is no checkpoint
    return model


def parameter_megabytes(model):
    """float32 size of the parameters and buffers (the bulk of the exported file), in MB."""
    n = sum(t.numel() * t.element_size() for t in list(model.parameters()) + list(model.buffers()))
    return n / 1e6


# ---------------------------------------------------------------- training targets

def targets_from_labels(labels, min_px=MIN_TARGET_PX):
    """Label image (H, W), 0 = background -> torchvision target dict (boxes, labels, masks).

    Boxes are pixel-edge coordinates: x1 = first column, x2 = last column + 1 (never degenerate),
    like torchvision's COCO training boxes.
    """
    labels = np.asarray(labels)
    boxes, masks = [], []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        mask = np.zeros(labels.shape, dtype=np.uint8)
        mask[box] = labels[box] == index
        if int(mask[box].sum()) < min_px:
            continue
        boxes.append([box[1].start, box[0].start, box[1].stop, box[0].stop])
        masks.append(mask)
    h, w = labels.shape
    return {
        "boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
        "labels": torch.ones(len(boxes), dtype=torch.int64),
        "masks": torch.from_numpy(np.stack(masks)) if masks else torch.zeros((0, h, w), dtype=torch.uint8),
    }


# ---------------------------------------------------------------- inference

@torch.no_grad()
def detect(model, image):
    """(3, H, W) normalised image -> numpy boxes (N, 4), scores (N), masks (N, 28, 28), best first."""
    model.eval()
    device = next(model.parameters()).device
    out = model([torch.as_tensor(image, dtype=torch.float32).to(device)])[0]
    return out["boxes"].cpu().numpy(), out["scores"].cpu().numpy(), out["masks"][:, 0].cpu().numpy()


def paste_mask(mask, box, height, width):
    """One (M, M) mask probability map pasted like torchvision's paste_masks_in_image (padding 1).

    Returns ((y0, y1, x0, x1), probabilities of that image window); this is the reference for the
    Java paste: pad the mask by one zero cell per side, scale the box about its centre by
    (M + 2) / M, truncate the box to integers, resize the padded mask bilinearly
    (align_corners=False) to (y2 - y1 + 1, x2 - x1 + 1) pixels and place it at (x1, y1), clipped.
    """
    padded, scale = expand_masks(torch.as_tensor(mask, dtype=torch.float32)[None, None], padding=1)
    x1, y1, x2, y2 = expand_boxes(torch.as_tensor(box, dtype=torch.float32)[None], scale)[0].to(torch.int64).tolist()
    w, h = max(x2 - x1 + 1, 1), max(y2 - y1 + 1, 1)
    resized = F.interpolate(padded, size=(h, w), mode="bilinear", align_corners=False)[0, 0]
    x0, x_end = max(x1, 0), min(x2 + 1, width)
    y0, y_end = max(y1, 0), min(y2 + 1, height)
    if x_end <= x0 or y_end <= y0:
        return (0, 0, 0, 0), np.zeros((0, 0), np.float32)
    return (y0, y_end, x0, x_end), resized[y0 - y1:y_end - y1, x0 - x1:x_end - x1].numpy()


def paste_mask_at_pixels(mask, box, height, width, offset):
    """One (M, M) mask pasted by sampling it bilinearly (zero outside its grid) at every pixel of its
    box: pixel x maps to mask column u = (x + offset - x1) * M / (x2 - x1) - 0.5, rows alike.

    offset 0 inverts the sampling that made the training targets: torchvision's roi_heads crop each
    true mask with roi_align(aligned=False), whose cell j samples pixel coordinate x1 + (j + 0.5) *
    (x2 - x1) / M with pixel x's value at coordinate x, so cell j depicts that point and pixel x is
    read back at u = (x - x1) * M / (x2 - x1) - 0.5. offset 0.5 is detectron2's paste (for models
    trained with aligned=True, where pixel x's value sits at x + 0.5). torchvision's own paste
    (paste_mask) instead resizes the mask onto x2 - x1 + 1 pixels after padding, about one pixel
    more than the box spans: masks come out too wide and shifted, a large error for nuclei 10 px
    across (out-of-fold mAP 0.426 with it, 0.463 with offset 0, fold 0; sweep_maskrcnn).
    """
    m = mask.shape[0]
    x1, y1, x2, y2 = (float(v) for v in box)
    bw, bh = max(x2 - x1, 1e-6), max(y2 - y1, 1e-6)
    # the mask fades to zero one cell beyond its grid: look that far (plus a pixel) past the box
    xa, xb = max(int(np.floor(x1 - bw / m)) - 1, 0), min(int(np.ceil(x2 + bw / m)) + 1, width)
    ya, yb = max(int(np.floor(y1 - bh / m)) - 1, 0), min(int(np.ceil(y2 + bh / m)) + 1, height)
    if xb <= xa or yb <= ya:
        return (0, 0, 0, 0), np.zeros((0, 0), np.float32)
    padded = np.zeros((m + 2, m + 2), np.float64)
    padded[1:-1, 1:-1] = mask
    u = (np.arange(xa, xb) + offset - x1) * m / bw - 0.5 + 1
    v = (np.arange(ya, yb) + offset - y1) * m / bh - 0.5 + 1

    def weights(c):
        c = np.clip(c, 0, m + 1)
        i0 = np.minimum(np.floor(c).astype(int), m)
        return i0, c - i0

    iu, fu = weights(u)
    iv, fv = weights(v)
    top = padded[iv][:, iu] * (1 - fu) + padded[iv][:, iu + 1] * fu
    bottom = padded[iv + 1][:, iu] * (1 - fu) + padded[iv + 1][:, iu + 1] * fu
    prob = top * (1 - fv)[:, None] + bottom * fv[:, None]
    return (ya, yb, xa, xb), prob.astype(np.float32)


# how a detection's M x M mask is put into the image (model.json postprocess.paste; a model.json
# without it was exported when torchvision's paste was used)
PASTES = {"torchvision": paste_mask,
          "roi_align": lambda mask, box, h, w: paste_mask_at_pixels(mask, box, h, w, 0.0),
          "pixel_centres": lambda mask, box, h, w: paste_mask_at_pixels(mask, box, h, w, 0.5)}
DEFAULT_PASTE = "roi_align"
PASTE_DOC = ("roi_align (reference: maskrcnn.paste_mask_at_pixels, offset 0): the inverse of the "
             "roi_align(aligned=False) sampling that made the training targets. Pad the 28x28 mask "
             "with one zero cell per side; for every pixel x (column index) near the box read the "
             "padded mask bilinearly at column u = (x - x1) * 28 / (x2 - x1) - 0.5 + 1 clipped to "
             "[0, 29] (rows alike with y, y1, y2), in float64; foreground where probability > "
             "mask_threshold. (torchvision's paste_masks_in_image resizes onto x2 - x1 + 1 pixels, "
             "about one too many: masks too wide; out-of-fold mAP 0.426 against 0.463, fold 0.)")


def instances_from_detections(boxes, scores, masks, shape, score_threshold=0.5, mask_threshold=0.5,
                              min_size=MIN_OBJECT_PX, paste=DEFAULT_PASTE):
    """Detections -> int32 label image, as the Java post-process (docs/architecture.md): keep score >=
    score_threshold, paste masks, give each pixel claimed by several masks to the claimant with the
    nearest centroid (first, i.e. higher-scoring, on a tie), drop objects < min_size px, fill holes."""
    keep = np.flatnonzero(np.asarray(scores) >= score_threshold)
    pasted = [PASTES[paste](masks[k], boxes[k], shape[0], shape[1]) for k in keep]
    return instances_from_pasted(pasted, keep + 1, shape, mask_threshold, min_size)


def instances_from_pasted(pasted, ids, shape, mask_threshold=0.5, min_size=MIN_OBJECT_PX):
    """The rest of instances_from_detections once masks are pasted ((window, probabilities) pairs,
    best first, with their label ids): a sweep pastes once and thresholds many times."""
    labels = np.zeros(shape, dtype=np.int32)
    best = np.full(shape, np.inf)
    for label, ((y0, y1, x0, x1), prob) in zip(ids, pasted):
        fg = prob > mask_threshold
        if not fg.any():
            continue
        yy, xx = np.nonzero(fg)
        cy, cx = yy.mean() + y0, xx.mean() + x0
        gy, gx = np.mgrid[y0:y1, x0:x1]
        dist = (gy - cy) ** 2 + (gx - cx) ** 2
        claim = fg & (dist < best[y0:y1, x0:x1])
        labels[y0:y1, x0:x1][claim] = label
        best[y0:y1, x0:x1][claim] = dist[claim]
    labels = relabel_sequential(labels)
    sizes = np.bincount(labels.ravel())
    small = sizes < min_size
    small[0] = False
    labels[small[labels]] = 0
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        window = labels[box]
        holes = ndimage.binary_fill_holes(window == index) & (window == 0)
        window[holes] = index
    return relabel_sequential(labels)
