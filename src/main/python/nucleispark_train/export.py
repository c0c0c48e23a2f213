"""Export a training checkpoint as the TorchScript model.pt + model.json that the Java side serves.

    python -m nucleispark_train.export --checkpoint ../../../checkpoints/unet/fold0/best.pt --out ../../../models/unet/

The traced module takes (N, 3, H, W) float32 normalised images, H and W multiples of 16, and returns
(N, 2, H, W) probabilities (nucleus, touching_border). model.json states the normalisation Java must
reproduce (see data.normalise).
"""
import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from . import canonical, data, instances, scale
from .unet import OUTPUTS, ProbabilityModel, UNet

TRACE_SHAPE = (1, 3, 256, 256)
# Shapes the traced graph must handle like eager: another multiple-of-16 size, and a batch.
CHECK_SHAPES = [(1, 3, 320, 384), (2, 3, 256, 256)]
TOLERANCE = 1e-5


def load_network(checkpoint):
    """(UNet in eval mode, checkpoint dict) from a train_unet checkpoint."""
    ckpt = torch.load(checkpoint, map_location="cpu")
    net = UNet(base=int(ckpt["args"]["base"]))
    net.load_state_dict(ckpt["model"])
    return net.eval(), ckpt


def trace(net):
    """Trace the sigmoid wrapper and check it against eager on other shapes; raise if they differ."""
    wrapper = ProbabilityModel(net).eval()
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, torch.rand(TRACE_SHAPE, generator=gen))
        for shape in CHECK_SHAPES:
            x = torch.rand(shape, generator=gen)
            expected, got = wrapper(x), traced(x)
            diff = (expected - got).abs().max().item() if expected.shape == got.shape else float("inf")
            if diff > TOLERANCE:
                raise RuntimeError(f"traced model differs from eager on {shape}: max |diff| {diff}")
    return traced


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def metadata(model_file, ckpt):
    args = ckpt["args"]
    return {
        "name": "unet",
        "file": model_file.name,
        "sha256": sha256(model_file),
        "input_channels": 3,
        "output_channels": 2,
        "outputs": list(OUTPUTS),
        "output_kind": "probability",
        "size_multiple": 16,
        "tile_size": 256,
        "tile_overlap": 32,
        "normalisation": (canonical.metadata(trained_on=args.get("histology_input")) if args.get("canonical")
                          else data.normalisation_metadata()),
        "border_radius": int(args["border_radius"]),
        # marker_margin: docs/generalisation.md "Markers from the difference"
        "postprocess": {"threshold": 0.5, "marker_margin": instances.MARKER_MARGIN,
                        "smooth_sigma": instances.SMOOTH_SIGMA,
                        "markers": "nucleus > 0.5 and gauss(nucleus - touching_border, smooth_sigma) > marker_margin",
                        "watershed_on": "-gauss(nucleus - touching_border, smooth_sigma), inside nucleus > 0.5",
                        "min_object_px": 10},
        "training": {
            "data": args["data"], "fold": args["fold"], "epochs": ckpt["epoch"], "planned_epochs": args["epochs"],
            "crop": args["crop"], "batch": args["batch"], "base_width": args["base"], "lr": args["lr"],
            "border_weight": args["border_weight"], "seconds": round(ckpt["seconds"]),
            "extra_data": args.get("extra_data"), "generalise": bool(args.get("generalise")),
            "init": args.get("init"),
            "histology_input": args.get("histology_input") or "haematoxylin",
            **({"distilled_from": args["distill_from"], "distilled_from_sha256": args.get("distill_from_sha256"),
                "distill_weight": args["distill_weight"]} if args.get("distill_from") else {}),
        },
        "validation": ckpt.get("validation"),
        "torch_version": torch.__version__,
    }


def training_diameter(args):
    """The median of scale.diameter over the images of the training data (train and validation)' canonical inputs (from the training cache):
    the nucleus size serving rescales an image towards (see segment.NucleusDiameter); and over those detected as
    histology the median of scale.weighted_diameter, the size histology images are brought to."""
    radius, cache = int(args["border_radius"]), Path(args["cache_dir"])
    roots = args.get("roots") or {}
    planes = []
    for image_id in sorted(roots):
        path = data.cache_path(cache, image_id, radius, True)
        if path.is_file():
            with np.load(path) as z:
                plane = z["image"][0].astype(np.float32)
            planes.append((plane, canonical.detect(data.read_raw(roots[image_id], image_id))))
    estimates = [e for e in (scale.diameter(p) for p, _ in planes) if e == e]
    if not estimates:
        raise SystemExit("no cached canonical training inputs to measure the nucleus diameter from; run train_unet first")
    block = {"median_estimate": round(float(np.median(estimates)), 3), "images": len(estimates),
             "recipe": "nucleispark_train/scale.py: 2 x median over Otsu components of the largest distance-transform value"}
    histology = scale.histology_median(planes)
    return {**block, "histology": histology} if histology else block


def export(checkpoint, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    net, ckpt = load_network(checkpoint)
    model_file = out_dir / "model.pt"
    torch.jit.save(trace(net), str(model_file))
    meta = metadata(model_file, ckpt)
    if ckpt["args"].get("canonical"):
        meta["nucleus_diameter"] = training_diameter(ckpt["args"])
        meta["serving"] = dict(scale.UNET_SERVING)
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n")
    from .export_onnx import add_onnx  # late: export_onnx imports sha256 from here
    meta["onnx"] = add_onnx(out_dir)
    return meta


def main(argv=None):
    p = argparse.ArgumentParser(description="Export a U-Net checkpoint to TorchScript + model.json.")
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    meta = export(args.checkpoint, args.out)
    print(json.dumps({k: meta[k] for k in ("sha256", "validation", "training")}, indent=2))


if __name__ == "__main__":
    main()
