"""NMS, RoIAlign and box coding in plain tensor ops, for the exported Mask R-CNN.

DJL's libtorch has no torchvision custom ops: a scripted torchvision Mask R-CNN fails to load with
"Unknown builtin op: torchvision::nms". Every function here is TorchScript-compatible, uses only
core aten ops, and reproduces torchvision 0.14's CPU results, not just approximately:

- nms / batched_nms: the same kept indices in the same order as torchvision.ops.nms /
  batched_nms, ties included (torchvision's kernel sorts scores with a *stable* descending sort and
  compares the float IoU with the threshold in double precision; batched_nms switches between the
  coordinate-offset trick and per-class NMS at 4000 box coordinates, as torchvision does on CPU).
- roi_align: the arithmetic of torchvision's CPU kernel (csrc/ops/cpu/roi_align_kernel.cpp) in the
  same float32 order, including the sample-point accumulation order, so the result is normally
  bit-identical (the tests require 1e-4).
- multiscale_roi_align: MultiScaleRoIAlign with the FPN LevelMapper (Lin et al. 2017, eq. 1:
  k = floor(k0 + log2(sqrt(area) / 224) + 1e-6), clamped to the available levels).
- decode_boxes / clip_boxes / remove_small_boxes: torchvision's BoxCoder.decode_single,
  clip_boxes_to_image and remove_small_boxes, op for op.
"""
import math
from typing import List, Tuple

import torch
from torch import Tensor

# torchvision.ops.boxes.batched_nms on CPU: per-class NMS above this many box coordinates,
# the coordinate-offset trick at or below it. The two give the same kept set except for float
# rounding of the offset coordinates, so the export follows the CPU rule exactly.
BATCHED_NMS_VANILLA_ABOVE = 4000
# Sample points gathered at once by roi_align (rois x bins): at 256 channels each intermediate is
# 1 MB and stays in cache, ~2x faster on CPU than large chunks; chunking never changes a result.
ROI_ALIGN_POINTS_PER_CHUNK = 1024


# ---------------------------------------------------------------- NMS

def _float_threshold_below(threshold: float) -> Tensor:
    """Largest float32 t with t <= threshold: for float32 x, (x > threshold in double) == (x > t)."""
    t = torch.tensor(threshold, dtype=torch.float32)
    if float(t.item()) > threshold:
        t = torch.nextafter(t, torch.tensor(-math.inf, dtype=torch.float32))
    return t


def nms(boxes: Tensor, scores: Tensor, iou_threshold: float) -> Tensor:
    """Indices kept by greedy NMS, highest score first: torchvision.ops.nms without the custom op.

    Greedy NMS keeps box j (in stable score order) iff no kept box before it overlaps it by
    IoU > threshold. Instead of a box-by-box loop this decides boxes in rounds over the whole
    "earlier box overlaps later box" matrix: an undecided box is suppressed once a kept box
    overlaps it and kept once every earlier box overlapping it is suppressed. The first undecided
    box is always decided, so this ends, with exactly the greedy answer, usually in a few rounds.
    """
    n = boxes.size(0)
    if n == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    order = torch.sort(scores, stable=True, dim=0, descending=True)[1]
    b = boxes[order]
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    area = (x2 - x1) * (y2 - y1)
    # Same float32 operations as the kernel: w = max(0, min(x2) - max(x1)); iou = i / (a + b - i).
    w = torch.clamp(torch.min(x2[:, None], x2[None, :]) - torch.max(x1[:, None], x1[None, :]), min=0.0)
    h = torch.clamp(torch.min(y2[:, None], y2[None, :]) - torch.max(y1[:, None], y1[None, :]), min=0.0)
    inter = w * h
    iou = inter / (area[:, None] + area[None, :] - inter)
    overlaps = torch.triu(iou > _float_threshold_below(iou_threshold), diagonal=1).to(torch.float32)

    kept = torch.zeros(n, dtype=torch.bool, device=boxes.device)
    decided = torch.zeros(n, dtype=torch.bool, device=boxes.device)
    while not bool(decided.all()):
        undecided = ~decided
        hit_by_kept = torch.mv(overlaps.t(), kept.to(torch.float32)) > 0
        alive = kept | undecided  # not (yet) suppressed
        hit_by_alive = torch.mv(overlaps.t(), alive.to(torch.float32)) > 0
        newly_kept = undecided & ~hit_by_alive
        kept = kept | newly_kept
        decided = decided | newly_kept | (undecided & hit_by_kept)
    return order[kept]


def batched_nms(boxes: Tensor, scores: Tensor, idxs: Tensor, iou_threshold: float,
                vanilla_above: int = BATCHED_NMS_VANILLA_ABOVE) -> Tensor:
    """torchvision.ops.batched_nms (CPU branch choice): NMS within each idxs category."""
    if boxes.numel() > vanilla_above:
        keep_mask = torch.zeros_like(scores, dtype=torch.bool)
        classes = torch.unique(idxs)
        for c in range(classes.numel()):
            curr_indices = torch.where(idxs == classes[c])[0]
            curr_keep = nms(boxes[curr_indices], scores[curr_indices], iou_threshold)
            keep_mask[curr_indices[curr_keep]] = True
        keep_indices = torch.where(keep_mask)[0]
        # torchvision uses the default (not stable) sort here; the same call gives the same order.
        return keep_indices[scores[keep_indices].sort(descending=True)[1]]
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
    return nms(boxes + offsets[:, None], scores, iou_threshold)


# ---------------------------------------------------------------- boxes

def decode_boxes(rel_codes: Tensor, boxes: Tensor, weights: Tuple[float, float, float, float],
                 bbox_xform_clip: float) -> Tensor:
    """torchvision BoxCoder.decode_single: (N, 4k) deltas on (N, 4) boxes -> (N, 4k) xyxy boxes."""
    boxes = boxes.to(rel_codes.dtype)
    widths = boxes[:, 2] - boxes[:, 0]
    heights = boxes[:, 3] - boxes[:, 1]
    ctr_x = boxes[:, 0] + 0.5 * widths
    ctr_y = boxes[:, 1] + 0.5 * heights
    wx, wy, ww, wh = weights
    dx = rel_codes[:, 0::4] / wx
    dy = rel_codes[:, 1::4] / wy
    dw = rel_codes[:, 2::4] / ww
    dh = rel_codes[:, 3::4] / wh
    dw = torch.clamp(dw, max=bbox_xform_clip)
    dh = torch.clamp(dh, max=bbox_xform_clip)
    pred_ctr_x = dx * widths[:, None] + ctr_x[:, None]
    pred_ctr_y = dy * heights[:, None] + ctr_y[:, None]
    pred_w = torch.exp(dw) * widths[:, None]
    pred_h = torch.exp(dh) * heights[:, None]
    c_to_c_h = torch.tensor(0.5, dtype=pred_ctr_y.dtype, device=pred_h.device) * pred_h
    c_to_c_w = torch.tensor(0.5, dtype=pred_ctr_x.dtype, device=pred_w.device) * pred_w
    pred_boxes1 = pred_ctr_x - c_to_c_w
    pred_boxes2 = pred_ctr_y - c_to_c_h
    pred_boxes3 = pred_ctr_x + c_to_c_w
    pred_boxes4 = pred_ctr_y + c_to_c_h
    return torch.stack((pred_boxes1, pred_boxes2, pred_boxes3, pred_boxes4), dim=2).flatten(1)


def clip_boxes(boxes: Tensor, height: int, width: int) -> Tensor:
    """torchvision clip_boxes_to_image for (..., 4) xyxy boxes."""
    dim = boxes.dim()
    boxes_x = boxes[..., 0::2].clamp(min=0, max=width)
    boxes_y = boxes[..., 1::2].clamp(min=0, max=height)
    return torch.stack((boxes_x, boxes_y), dim=dim).reshape(boxes.shape)


def remove_small_boxes(boxes: Tensor, min_size: float) -> Tensor:
    """Indices of boxes whose width and height are both >= min_size."""
    ws, hs = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    return torch.where((ws >= min_size) & (hs >= min_size))[0]


def box_area(boxes: Tensor) -> Tensor:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


# ---------------------------------------------------------------- RoIAlign

def roi_align(features: Tensor, rois: Tensor, output_size: List[int], spatial_scale: float = 1.0,
              sampling_ratio: int = -1, aligned: bool = False,
              points_per_chunk: int = ROI_ALIGN_POINTS_PER_CHUNK) -> Tensor:
    """torchvision.ops.roi_align: (N, C, H, W) features, (K, 5) rois (batch index, x1, y1, x2, y2)
    -> (K, C, output_size[0], output_size[1]). sampling_ratio <= 0 means adaptive
    (ceil(roi size / output size) points per bin side), as in torchvision."""
    n, c, height, width = features.shape
    k = rois.size(0)
    ph, pw = output_size[0], output_size[1]
    # every row is written below: no zero fill (a 1000-proposal box pass spent ~20% of its time zeroing)
    out = torch.empty((k, c, ph, pw), dtype=features.dtype, device=features.device)
    if k == 0:
        return out
    # Channels-last rows: one gathered sample point = one contiguous row of C values.
    table = features.permute(0, 2, 3, 1).contiguous().view(n * height * width, c)
    chunk = max(1, points_per_chunk // (ph * pw))
    for start in range(0, k, chunk):
        part = rois[start:start + chunk]
        out[start:start + part.size(0)] = _roi_align_rois(table, part, height, width, ph, pw,
                                                          spatial_scale, sampling_ratio, aligned)
    return out


def _axis_samples(start: Tensor, bin_size: Tensor, grid: Tensor, index: int, pooled: int) -> Tensor:
    """Sample coordinates (K, pooled) of sample `index` in every bin, in the kernel's float order:
    start + p * bin + (index + .5) * bin / grid."""
    p = torch.arange(pooled, dtype=start.dtype, device=start.device)
    base = start[:, None] + p[None, :] * bin_size[:, None]
    offset = torch.tensor(index + 0.5, dtype=start.dtype, device=start.device) * bin_size / grid.to(start.dtype)
    return base + offset[:, None]


def _axis_corners(coord: Tensor, size: int) -> Tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """For sample coordinates along one axis: (outside, low, high, l, h) as in the kernel's
    bilinear_interpolate pre-calculation (l = distance to low, h = 1 - l)."""
    # NaN comes from adaptive grids of 0 samples (empty RoIs), which the kernel never evaluates.
    outside = (coord < -1.0) | (coord > size) | torch.isnan(coord)
    coord = torch.where((coord <= 0) | outside, torch.zeros_like(coord), coord)
    low = coord.to(torch.int64)  # truncation, as (int)y on a non-negative y
    at_edge = low >= size - 1
    low = torch.where(at_edge, torch.full_like(low, size - 1), low)
    high = torch.where(at_edge, low, low + 1)
    coord = torch.where(at_edge, low.to(coord.dtype), coord)
    frac = coord - low.to(coord.dtype)
    return outside, low, high, frac, 1.0 - frac


def _roi_align_rois(table: Tensor, rois: Tensor, height: int, width: int, ph: int, pw: int,
                    spatial_scale: float, sampling_ratio: int, aligned: bool) -> Tensor:
    dtype = table.dtype
    k, c = rois.size(0), table.size(1)
    scale = torch.tensor(spatial_scale, dtype=dtype, device=rois.device)
    offset = torch.tensor(0.5 if aligned else 0.0, dtype=dtype, device=rois.device)
    batch = rois[:, 0].to(torch.int64)
    start_w = rois[:, 1] * scale - offset
    start_h = rois[:, 2] * scale - offset
    end_w = rois[:, 3] * scale - offset
    end_h = rois[:, 4] * scale - offset
    roi_w = end_w - start_w
    roi_h = end_h - start_h
    if not aligned:  # legacy: force malformed RoIs to be 1x1
        roi_w = torch.clamp(roi_w, min=1.0)
        roi_h = torch.clamp(roi_h, min=1.0)
    bin_h = roi_h / ph
    bin_w = roi_w / pw
    if sampling_ratio > 0:
        grid_h = torch.full((k,), sampling_ratio, dtype=torch.int64, device=rois.device)
        grid_w = grid_h
    else:
        grid_h = torch.ceil(roi_h / ph).to(torch.int64)
        grid_w = torch.ceil(roi_w / pw).to(torch.int64)
    count = torch.clamp(grid_h * grid_w, min=1).to(dtype)
    max_h = int(grid_h.max().item())
    max_w = int(grid_w.max().item())
    plane = (batch * (height * width))[:, None, None]

    acc = torch.zeros((k, ph, pw, c), dtype=dtype, device=rois.device)
    # The kernel adds samples to its accumulator row by row (iy outer, ix inner): keep that order.
    for iy in range(max_h):
        out_y, y_low, y_high, ly, hy = _axis_corners(_axis_samples(start_h, bin_h, grid_h, iy, ph), height)
        for ix in range(max_w):
            out_x, x_low, x_high, lx, hx = _axis_corners(_axis_samples(start_w, bin_w, grid_w, ix, pw), width)
            empty = out_y[:, :, None] | out_x[:, None, :]
            zero = torch.zeros_like(empty, dtype=dtype)
            w1 = torch.where(empty, zero, hy[:, :, None] * hx[:, None, :])
            w2 = torch.where(empty, zero, hy[:, :, None] * lx[:, None, :])
            w3 = torch.where(empty, zero, ly[:, :, None] * hx[:, None, :])
            w4 = torch.where(empty, zero, ly[:, :, None] * lx[:, None, :])
            val = (w1[..., None] * _gather(table, plane, y_low, x_low, width, empty)
                   + w2[..., None] * _gather(table, plane, y_low, x_high, width, empty)
                   + w3[..., None] * _gather(table, plane, y_high, x_low, width, empty)
                   + w4[..., None] * _gather(table, plane, y_high, x_high, width, empty))
            if sampling_ratio <= 0:  # adaptive grids: RoIs with fewer samples skip this one
                inside = (grid_h > iy) & (grid_w > ix)
                val = torch.where(inside[:, None, None, None], val, torch.zeros_like(val))
            acc = acc + val
    return (acc / count[:, None, None, None]).permute(0, 3, 1, 2)


def _gather(table: Tensor, plane: Tensor, y: Tensor, x: Tensor, width: int, empty: Tensor) -> Tensor:
    """table rows at (batch plane, y, x) for (K, PH) y and (K, PW) x -> (K, PH, PW, C); empty
    samples read position 0 of their plane, as the kernel does (their weight is 0)."""
    index = plane + y[:, :, None] * width + x[:, None, :]
    index = torch.where(empty, plane.expand_as(index), index)
    k, ph, pw = index.shape
    return table.index_select(0, index.reshape(-1)).reshape(k, ph, pw, table.size(1))


def rois_from_boxes(boxes: List[Tensor]) -> Tensor:
    """List of per-image (Ni, 4) boxes -> (sum Ni, 5) rois with the image index first."""
    concat_boxes = torch.cat(boxes, dim=0)
    ids = torch.cat([torch.full_like(b[:, :1], i) for i, b in enumerate(boxes)], dim=0)
    return torch.cat([ids, concat_boxes], dim=1)


def fpn_levels(boxes: List[Tensor], k_min: int, k_max: int, canonical_scale: int = 224,
               canonical_level: int = 4, eps: float = 1e-6) -> Tensor:
    """torchvision LevelMapper: 0-based index into the pooled levels k_min..k_max for each box."""
    s = torch.sqrt(torch.cat([box_area(b) for b in boxes]))
    target = torch.floor(torch.log2(s / canonical_scale) + canonical_level
                         + torch.tensor(eps, dtype=s.dtype))
    target = torch.clamp(target, min=k_min, max=k_max)
    return target.to(torch.int64) - k_min


def multiscale_roi_align(features: List[Tensor], boxes: List[Tensor], output_size: List[int],
                         sampling_ratio: int, scales: List[float], canonical_scale: int = 224,
                         canonical_level: int = 4) -> Tensor:
    """torchvision MultiScaleRoIAlign (aligned=False) over FPN levels with the given scales
    (2 ** -k, finest first); boxes are per-image xyxy in input-image pixels."""
    rois = rois_from_boxes(boxes)
    if len(features) == 1:
        return roi_align(features[0], rois, output_size, scales[0], sampling_ratio)
    # As torchvision's _setup_scales: levels are -log2 of the first and last scale.
    k_min = int(-torch.log2(torch.tensor(scales[0], dtype=torch.float32)).item())
    k_max = int(-torch.log2(torch.tensor(scales[-1], dtype=torch.float32)).item())
    levels = fpn_levels(boxes, k_min, k_max, canonical_scale, canonical_level)
    first = features[0]
    # fpn_levels puts every RoI on exactly one level, so every row is written below: no zero fill
    result = torch.empty((rois.size(0), first.size(1), output_size[0], output_size[1]),
                         dtype=first.dtype, device=first.device)
    for level in range(len(features)):
        idx = torch.where(levels == level)[0]
        result[idx] = roi_align(features[level], rois[idx], output_size, scales[level], sampling_ratio)
    return result
