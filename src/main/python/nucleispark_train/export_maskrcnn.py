"""Export a Mask R-CNN checkpoint as TorchScript that needs no torchvision ops, plus model.json.

    cd src/main/python
    /usr/bin/python3 -m nucleispark_train.export_maskrcnn \
        --checkpoint ../../../checkpoints/maskrcnn/fold0/best.pt --out /tmp/maskrcnn

DJL's libtorch carries no torchvision custom ops, so a scripted torchvision MaskRCNN cannot be
loaded there (Unknown builtin op: torchvision::nms). MaskRCNNInference runs the trained
network's own modules (ResNet-FPN backbone, RPN head, box and mask heads) and re-implements the
glue around them in core tensor ops (ops.py): anchors, box decoding, clipping, top-k, score
thresholds, NMS and multi-level RoIAlign, following torchvision 0.14's eval path step by step.

The exported module is scripted (variable image size, variable number of detections):
    input   (1, 3, H, W) float32, normalised as model.json says; any H, W (zero-padded inside to
            multiples of 32 at the bottom/right, as torchvision batches images)
    output  (boxes (N, 4) float32 x1, y1, x2, y2 in input pixels, scores (N) descending,
             masks (N, 1, 28, 28) float32 probabilities over each box, not pasted)
export() checks the scripted module against the torchvision model (same detections) on noise
images of two sizes and on sample images, checks that no torchvision op is left in any graph,
and refuses files over 100 MB. (Checked by hand: DJL 0.36 with libtorch 2.7.1 loads a file
exported here by torch 1.13 and gives the same detections.) The first one or two calls of a
freshly loaded module are slow while TorchScript's profiling executor optimises the graph's many
small ops; TorchModel's ai.djl.pytorch.graph_optimizer=false avoids that.
"""
import argparse
import json
from pathlib import Path
from typing import List, Tuple

import torch
from torch import Tensor, nn

from . import data, maskrcnn, ops
from .export import sha256

REPO_ROOT = Path(__file__).resolve().parents[4]
SAMPLE_DSB = REPO_ROOT / "sample-data" / "dsb"
# Two sample images of different shapes (256 x 256 and 256 x 320) for the export check.
VERIFY_IDS = ["44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e1024584bf0b01",
              "1631352dbafb8a90f11219fffd3bea368a30bc3bad3bbe0e84e19bd720df4945"]
NOISE_SHAPES = [(256, 256), (320, 384)]
TOLERANCE = {"boxes": 1e-3, "scores": 1e-4, "masks": 1e-3}
MAX_FILE_BYTES = 100 * 1000 * 1000
FOREIGN_OP_MARKERS = ("torchvision::", "ops.torchvision")


class MaskRCNNInference(nn.Module):
    """torchvision MaskRCNN (eval mode, NativeSizeTransform, one image) in core ops only."""

    def __init__(self, model):
        super().__init__()
        if not isinstance(model.transform, maskrcnn.NativeSizeTransform):
            raise ValueError("the model must use maskrcnn.NativeSizeTransform (no resizing)")
        rpn, heads = model.rpn, model.roi_heads
        self.backbone = model.backbone
        self.rpn_head = rpn.head
        self.box_head = heads.box_head
        self.box_predictor = heads.box_predictor
        self.mask_head = heads.mask_head
        self.mask_predictor = heads.mask_predictor
        self.size_divisible: int = model.transform.size_divisible
        self.cell_anchors: List[Tensor] = [a.to(torch.float32).clone()
                                           for a in rpn.anchor_generator.cell_anchors]
        self.rpn_pre_nms_top_n: int = rpn._pre_nms_top_n["testing"]
        self.rpn_post_nms_top_n: int = rpn._post_nms_top_n["testing"]
        self.rpn_nms_thresh: float = rpn.nms_thresh
        self.rpn_score_thresh: float = rpn.score_thresh
        self.rpn_min_size: float = rpn.min_size
        self.rpn_weights: Tuple[float, float, float, float] = tuple(float(w) for w in rpn.box_coder.weights)
        self.rpn_xform_clip: float = rpn.box_coder.bbox_xform_clip
        self.box_weights: Tuple[float, float, float, float] = tuple(float(w) for w in heads.box_coder.weights)
        self.box_xform_clip: float = heads.box_coder.bbox_xform_clip
        self.box_score_thresh: float = heads.score_thresh
        self.box_nms_thresh: float = heads.nms_thresh
        self.detections_per_img: int = heads.detections_per_img
        box_pool, mask_pool = heads.box_roi_pool, heads.mask_roi_pool
        if list(box_pool.featmap_names) != list(mask_pool.featmap_names):
            raise ValueError("box and mask RoI pools must read the same FPN levels")
        self.pool_names: List[str] = list(box_pool.featmap_names)
        # FPN level "i" comes from ResNet layer i+1, stride 2 ** (i + 2); torchvision infers the
        # same scales from the feature sizes (_setup_scales) for any image larger than ~64 px.
        self.pool_scales: List[float] = [2.0 ** -(int(n) + 2) for n in self.pool_names]
        self.box_pool_size: List[int] = list(box_pool.output_size)
        self.box_sampling: int = box_pool.sampling_ratio
        self.mask_pool_size: List[int] = list(mask_pool.output_size)
        self.mask_sampling: int = mask_pool.sampling_ratio
        self.canonical_scale: int = box_pool.canonical_scale
        self.canonical_level: int = box_pool.canonical_level

    def forward(self, images: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        torch._assert(images.dim() == 4 and images.size(0) == 1 and images.size(1) == 3,
                      "expected a (1, 3, H, W) image")
        height, width = images.shape[-2], images.shape[-1]
        d = self.size_divisible
        padded_h, padded_w = (height + d - 1) // d * d, (width + d - 1) // d * d
        x = images.new_zeros((1, 3, padded_h, padded_w))
        x[:, :, :height, :width].copy_(images)
        features = self.backbone(x)
        proposals = self.propose(list(features.values()), padded_h, padded_w, height, width)
        pooled = [features[name] for name in self.pool_names]
        boxes, scores, labels = self.detect(pooled, proposals, height, width)
        return boxes, scores, self.segment(pooled, boxes, labels)

    def anchors(self, features: List[Tensor], padded_h: int, padded_w: int) -> Tensor:
        """AnchorGenerator.grid_anchors: (y, x, anchor) order per level, levels concatenated."""
        out: List[Tensor] = []
        for level, feature in enumerate(features):
            grid_h, grid_w = feature.shape[-2], feature.shape[-1]
            stride_h, stride_w = padded_h // grid_h, padded_w // grid_w
            shifts_x = torch.arange(0, grid_w, dtype=torch.float32, device=feature.device) * stride_w
            shifts_y = torch.arange(0, grid_h, dtype=torch.float32, device=feature.device) * stride_h
            shift_y, shift_x = torch.meshgrid(shifts_y, shifts_x, indexing="ij")
            shift_x, shift_y = shift_x.reshape(-1), shift_y.reshape(-1)
            shifts = torch.stack((shift_x, shift_y, shift_x, shift_y), dim=1)
            base = self.cell_anchors[level].to(feature.device)
            out.append((shifts.view(-1, 1, 4) + base.view(1, -1, 4)).reshape(-1, 4))
        return torch.cat(out)

    def propose(self, features: List[Tensor], padded_h: int, padded_w: int,
                height: int, width: int) -> Tensor:
        """RegionProposalNetwork.forward + filter_proposals (eval, one image) -> (P, 4) boxes."""
        logits, deltas = self.rpn_head(features)
        num_per_level: List[int] = []
        flat_logits: List[Tensor] = []
        flat_deltas: List[Tensor] = []
        for level in range(len(logits)):
            n, a, h, w = logits[level].shape
            num_per_level.append(a * h * w)
            flat_logits.append(logits[level].view(n, -1, 1, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, 1))
            flat_deltas.append(deltas[level].view(n, -1, 4, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, 4))
        objectness = torch.cat(flat_logits, dim=1).flatten(0, -2).reshape(1, -1)
        box_deltas = torch.cat(flat_deltas, dim=1).reshape(-1, 4)
        proposals = ops.decode_boxes(box_deltas, self.anchors(features, padded_h, padded_w),
                                     self.rpn_weights, self.rpn_xform_clip).view(1, -1, 4)

        level_ids: List[Tensor] = []
        top: List[Tensor] = []
        offset = 0
        for level, count in enumerate(num_per_level):
            level_ids.append(torch.full((count,), level, dtype=torch.int64, device=objectness.device))
            ob = objectness[:, offset:offset + count]
            top.append(ob.topk(min(count, self.rpn_pre_nms_top_n), dim=1)[1] + offset)
            offset += count
        top_idx = torch.cat(top, dim=1)
        levels = torch.cat(level_ids, 0).reshape(1, -1).expand_as(objectness)
        batch_idx = torch.arange(1, device=objectness.device)[:, None]
        scores = torch.sigmoid(objectness[batch_idx, top_idx])[0]
        levels = levels[batch_idx, top_idx][0]
        boxes = ops.clip_boxes(proposals[batch_idx, top_idx][0], height, width)
        keep = ops.remove_small_boxes(boxes, self.rpn_min_size)
        boxes, scores, levels = boxes[keep], scores[keep], levels[keep]
        keep = torch.where(scores >= self.rpn_score_thresh)[0]
        boxes, scores, levels = boxes[keep], scores[keep], levels[keep]
        keep = ops.batched_nms(boxes, scores, levels, self.rpn_nms_thresh)
        return boxes[keep[:self.rpn_post_nms_top_n]]

    def detect(self, features: List[Tensor], proposals: Tensor, height: int,
               width: int) -> Tuple[Tensor, Tensor, Tensor]:
        """RoIHeads box branch + postprocess_detections (eval, one image)."""
        pooled = ops.multiscale_roi_align(features, [proposals], self.box_pool_size, self.box_sampling,
                                          self.pool_scales, self.canonical_scale, self.canonical_level)
        class_logits, box_regression = self.box_predictor(self.box_head(pooled))
        num_classes = class_logits.shape[-1]
        rel_codes = box_regression.reshape(proposals.size(0), -1)
        boxes = ops.decode_boxes(rel_codes, proposals, self.box_weights, self.box_xform_clip)
        boxes = ops.clip_boxes(boxes.reshape(proposals.size(0), -1, 4), height, width)
        scores = torch.softmax(class_logits, -1)
        labels = torch.arange(num_classes, device=boxes.device).view(1, -1).expand_as(scores)
        boxes = boxes[:, 1:].reshape(-1, 4)  # drop the background class
        scores = scores[:, 1:].reshape(-1)
        labels = labels[:, 1:].reshape(-1)
        keep = torch.where(scores > self.box_score_thresh)[0]
        boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
        keep = ops.remove_small_boxes(boxes, 1e-2)
        boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
        keep = ops.batched_nms(boxes, scores, labels, self.box_nms_thresh)[:self.detections_per_img]
        return boxes[keep], scores[keep], labels[keep]

    def segment(self, features: List[Tensor], boxes: Tensor, labels: Tensor) -> Tensor:
        """RoIHeads mask branch + maskrcnn_inference: (N, 1, 28, 28) probabilities of the label."""
        pooled = ops.multiscale_roi_align(features, [boxes], self.mask_pool_size, self.mask_sampling,
                                          self.pool_scales, self.canonical_scale, self.canonical_level)
        mask_prob = torch.sigmoid(self.mask_predictor(self.mask_head(pooled)))
        index = torch.arange(mask_prob.shape[0], device=labels.device)
        return mask_prob[index, labels][:, None]


# ---------------------------------------------------------------- checks

def foreign_ops(scripted):
    """Lines of any graph or code of the scripted module (and submodules) naming a torchvision op."""
    texts = [str(scripted.inlined_graph)]
    for _, module in scripted.named_modules():
        for name in module._c._method_names():
            method = getattr(module, name)
            if hasattr(method, "graph"):  # compiled methods (not Python-side helpers)
                texts.append(str(method.graph))
                texts.append(method.code)
    return sorted({line.strip() for text in texts for line in text.splitlines()
                   if any(m in line for m in FOREIGN_OP_MARKERS)})


@torch.no_grad()
def reference_detections(model, image):
    """The torchvision model's eval output for one (3, H, W) tensor: (boxes, scores, masks)."""
    model.eval()
    out = model([image])[0]
    return out["boxes"], out["scores"], out["masks"]


def compare(reference, exported):
    """Max |difference| per output (inf when the detection counts differ) and the counts."""
    diffs = {"count": (int(reference[0].shape[0]), int(exported[0].shape[0]))}
    for name, ref, got in zip(("boxes", "scores", "masks"), reference, exported):
        if ref.shape != got.shape:
            diffs[name] = float("inf")
        else:
            diffs[name] = float((ref - got).abs().max()) if ref.numel() else 0.0
    return diffs


def verification_images(sample_dir=SAMPLE_DSB, ids=VERIFY_IDS, noise_shapes=NOISE_SHAPES, seed=0):
    """[(name, (3, H, W) tensor)]: uniform noise of each shape plus normalised sample images."""
    gen = torch.Generator().manual_seed(seed)
    images = [(f"noise {h}x{w}", torch.rand((3, h, w), generator=gen)) for h, w in noise_shapes]
    for image_id in ids:
        if (Path(sample_dir) / image_id).is_dir():
            images.append((image_id[:8], torch.from_numpy(data.normalise(data.read_raw(sample_dir, image_id)))))
    return images


@torch.no_grad()
def verify(model, scripted, images):
    """Raise unless the scripted module reproduces the torchvision model on every image."""
    report = {}
    for name, image in images:
        diffs = compare(reference_detections(model, image), scripted(image[None]))
        report[name] = diffs
        if diffs["count"][0] != diffs["count"][1] or any(diffs[k] > TOLERANCE[k] for k in TOLERANCE):
            raise RuntimeError(f"exported model differs from torchvision on {name}: {diffs}")
    return report


# ---------------------------------------------------------------- export

def script(model):
    model.eval()
    return torch.jit.script(MaskRCNNInference(model).eval())


def load_model(checkpoint):
    """(torchvision model in eval mode, checkpoint dict) from a train_maskrcnn checkpoint."""
    ckpt = torch.load(checkpoint, map_location="cpu")
    model = maskrcnn.build_model(ckpt["model_config"])
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt




def metadata(model_file, config, ckpt=None, verification=None):
    args = (ckpt or {}).get("args", {})
    validation = (ckpt or {}).get("validation")
    score_threshold = validation["score_threshold"] if validation else 0.5
    return {
        "name": "maskrcnn",
        "file": model_file.name,
        "sha256": sha256(model_file),
        "size_bytes": model_file.stat().st_size,
        "architecture": {"type": "torchvision MaskRCNN, ResNet-FPN", **config},
        "input": {"shape": "(1, 3, H, W)", "dtype": "float32", "batch": 1, "size_multiple": 1,
                  "note": "any H, W; zero-padded inside to multiples of 32 at the bottom/right"},
        "input_channels": 3,
        "outputs": ["boxes", "scores", "masks"],
        "output_format": {
            "boxes": "(N, 4) float32 x1, y1, x2, y2 in input pixels (pixel-edge coordinates: a "
                     "nucleus on columns a..b has x1 ~ a, x2 ~ b + 1), clipped to the input",
            "scores": "(N) float32 in (0, 1], descending; only scores > min_score_emitted",
            "masks": "(N, 1, 28, 28) float32 nucleus probabilities over each box, not pasted",
        },
        "mask_size": maskrcnn.MASK_SIZE,
        "paste": maskrcnn.PASTE_DOC,
        "tile_size": 512,
        "tile_overlap": 128,
        "normalisation": data.normalisation_metadata(),
        "thresholds": {
            "min_score_emitted": config["box_score_thresh"],
            "score_threshold": score_threshold,
            "score_threshold_source": "best validation mAP" if validation else "default (no validation)",
            "mask_threshold": 0.5,
            "box_nms_iou": config["box_nms_thresh"],
            "rpn_nms_iou": config["rpn_nms_thresh"],
            "max_detections": config["box_detections_per_img"],
        },
        "postprocess": {"paste": maskrcnn.DEFAULT_PASTE,
                        "overlaps": "each pixel to the claiming instance with the nearest centroid",
                        "min_object_px": maskrcnn.MIN_OBJECT_PX, "fill_holes": True},
        "training": {k: args[k] for k in ("data", "fold", "epochs", "batch", "crop_min", "crop_max",
                                          "optimizer", "lr", "weight_decay", "canonical", "generalise",
                                          "extra_data", "init", "init_sha256", "histology_input")
                     if args.get(k) not in (None, False)}
                    | ({"epochs_done": ckpt["epoch"], "iterations": ckpt["iteration"],
                        "seconds": round(ckpt["seconds"])} if ckpt else {}),
        "validation": validation,
        "export_check": verification,
        "torch_version": torch.__version__,
    }


def export_model(model, out_dir, ckpt=None, images=None):
    """Script, verify and save model (a maskrcnn.build_model network) to out_dir/model.pt and
    model.json; returns the metadata. images: as verification_images() (the default)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval()
    scripted = script(model)
    bad = foreign_ops(scripted)
    if bad:
        raise RuntimeError(f"torchvision ops left in the exported graph: {bad[:5]}")
    model_file = out_dir / "model.pt"
    torch.jit.save(scripted, str(model_file))
    reloaded = torch.jit.load(str(model_file))
    report = verify(model, reloaded, verification_images() if images is None else images)
    if model_file.stat().st_size > MAX_FILE_BYTES:
        raise RuntimeError(f"{model_file} is {model_file.stat().st_size / 1e6:.0f} MB (> 100 MB): "
                           "use a smaller backbone or fpn_channels")
    config = ckpt["model_config"] if ckpt else maskrcnn.model_config(getattr(model, "nucleispark_config", None))
    meta = metadata(model_file, config, ckpt, report)
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def export(checkpoint, out_dir):
    model, ckpt = load_model(checkpoint)
    return export_model(model, out_dir, ckpt)


# Submodules of the exported MaskRCNNInference and where the torchvision model holds them.
EXPORTED_PARTS = {"backbone": "backbone", "rpn_head": "rpn.head", "box_head": "roi_heads.box_head",
                  "box_predictor": "roi_heads.box_predictor", "mask_head": "roi_heads.mask_head",
                  "mask_predictor": "roi_heads.mask_predictor"}


def model_from_export(model_dir, overrides=None):
    """(torchvision model, model.json) rebuilt from an exported model.pt: its architecture from model.json
    (updated by overrides), its weights from the TorchScript module, so an export can be redone without
    the training checkpoint."""
    model_dir = Path(model_dir)
    meta = json.loads((model_dir / "model.json").read_text())
    config = maskrcnn.model_config({k: v for k, v in meta["architecture"].items() if k != "type"} | (overrides or {}))
    model = maskrcnn.build_model(config)
    scripted = torch.jit.load(str(model_dir / meta["file"]), map_location="cpu")
    weights = {}
    for name, value in scripted.state_dict().items():
        part, rest = name.split(".", 1)
        weights[f"{EXPORTED_PARTS[part]}.{rest}"] = value
    model.load_state_dict(weights)
    return model.eval(), meta


@torch.no_grad()
def check_served_detections_unchanged(before, after, score_threshold, images):
    """Raise unless two exports give the same detections at or above the served score threshold."""
    for name, image in images:
        (b1, s1, m1), (b2, s2, m2) = before(image[None]), after(image[None])
        k1, k2 = s1 >= score_threshold, s2 >= score_threshold
        if int(k1.sum()) != int(k2.sum()) or not (torch.allclose(b1[k1], b2[k2], atol=TOLERANCE["boxes"])
                                                  and torch.allclose(s1[k1], s2[k2], atol=TOLERANCE["scores"])
                                                  and torch.allclose(m1[k1], m2[k2], atol=TOLERANCE["masks"])):
            raise RuntimeError(f"served detections (score >= {score_threshold}) changed on {name}")


@torch.no_grad()
def served_detection_counts(model, score_threshold, images):
    """{image name: detections at or above the served score threshold} of a TorchScript export."""
    return {name: int((model(image[None])[1] >= score_threshold).sum()) for name, image in images}


def reexport(model_dir, out_dir, min_score_emitted=None, rpn_pre_nms_top_n=None, rpn_post_nms_top_n=None):
    """Exports the model in model_dir again with lighter inference settings; the weights stay the same.

    min_score_emitted: the box branch emits only detections scoring above it, so the mask head no longer
    runs on every detection above 0.05; the detections Java serves (score at or above model.json's
    score_threshold) stay exactly the same, which is checked.
    rpn_pre_nms_top_n / rpn_post_nms_top_n: the region proposals kept per FPN level before the RPN's NMS
    and in all after it (training validated with 2000 and 1000). Fewer proposals make the box branch cheaper but can drop a detection in a crowded
    image, so the served detections may change: their counts before and after on the verification images
    are recorded in model.json, and the change is judged on the generalisation benchmark (docs/benchmarks.md).
    Training metadata and validation are carried over."""
    overrides = {}
    if min_score_emitted is not None:
        overrides["box_score_thresh"] = min_score_emitted
    if rpn_pre_nms_top_n is not None:
        overrides["rpn_pre_nms_top_n_test"] = rpn_pre_nms_top_n
    if rpn_post_nms_top_n is not None:
        overrides["rpn_post_nms_top_n_test"] = rpn_post_nms_top_n
    if not overrides:
        raise ValueError("nothing to change: give min_score_emitted or an RPN proposal budget")
    model, old = model_from_export(model_dir, overrides)
    served = old["thresholds"]["score_threshold"]
    if model.roi_heads.score_thresh >= served:
        raise ValueError(f"--min-score-emitted {model.roi_heads.score_thresh} must stay below the served score threshold {served}")
    before = torch.jit.load(str(Path(model_dir) / old["file"]), map_location="cpu")
    images = verification_images()
    meta = export_model(model, out_dir, images=images)
    after = torch.jit.load(str(Path(out_dir) / meta["file"]))
    proposals_changed = rpn_pre_nms_top_n is not None or rpn_post_nms_top_n is not None
    if not proposals_changed:
        check_served_detections_unchanged(before, after, served, images)
    for key in ("training", "validation"):
        meta[key] = old.get(key)
    for key in ("serving", "nucleus_diameter"):  # how it is served (maskrcnn_serving) does not depend on the export
        if key in old:
            meta[key] = old[key]
    meta["thresholds"]["score_threshold"] = served
    meta["thresholds"]["score_threshold_source"] = old["thresholds"].get("score_threshold_source")
    meta["reexported_from"] = {"sha256": old["sha256"], "min_score_emitted": old["thresholds"]["min_score_emitted"],
                               "rpn_pre_nms_top_n_test": old["architecture"].get("rpn_pre_nms_top_n_test"),
                               "rpn_post_nms_top_n_test": old["architecture"].get("rpn_post_nms_top_n_test")}
    if proposals_changed:
        meta["reexported_from"]["served_detections"] = {"before": served_detection_counts(before, served, images),
                                                        "after": served_detection_counts(after, served, images)}
    (Path(out_dir) / "model.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv=None):
    p = argparse.ArgumentParser(description="Export a Mask R-CNN checkpoint to TorchScript + model.json.")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", type=Path)
    source.add_argument("--from-model", type=Path, help="an exported model folder to export again (with --min-score-emitted)")
    p.add_argument("--min-score-emitted", type=float, default=None,
                   help="with --from-model: lowest detection score the export emits (below model.json's score_threshold)")
    p.add_argument("--rpn-pre-nms-top-n", type=int, default=None,
                   help="with --from-model: region proposals kept per FPN level before the RPN's NMS")
    p.add_argument("--rpn-post-nms-top-n", type=int, default=None,
                   help="with --from-model: region proposals kept after the RPN's NMS (the box branch runs on each)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.from_model:
        if args.min_score_emitted is None and args.rpn_pre_nms_top_n is None and args.rpn_post_nms_top_n is None:
            p.error("--from-model needs --min-score-emitted or --rpn-pre-nms-top-n / --rpn-post-nms-top-n")
        meta = reexport(args.from_model, args.out, args.min_score_emitted, args.rpn_pre_nms_top_n, args.rpn_post_nms_top_n)
    else:
        meta = export(args.checkpoint, args.out)
    print(json.dumps({k: meta[k] for k in ("sha256", "size_bytes", "validation", "export_check")}, indent=2))


if __name__ == "__main__":
    main()
