"""Adds an ONNX copy of an exported U-Net (model.pt) beside it and names it in model.json.

    python -m nucleispark_train.export_onnx --model ../../../models/unet

ONNX Runtime, which the Java side serves it with on CPU executors (segment --engine auto), ran this U-Net
1.4-1.6x faster per megapixel than libtorch on the
job's tiles (bin/bench-unet, docs/benchmarks.md). The TorchScript stays the
model of record (its sha256 is the model's version) and the GPU path; Java's OnnxEngineTest checks that
both files give the same probabilities. model.json gains {"onnx": {"file", "sha256", "opset"}}.
"""
import argparse
import json
from pathlib import Path

import torch

from .export import sha256

OPSET = 13
ONNX_FILE = "model.onnx"


def add_onnx(model_dir):
    model_dir = Path(model_dir)
    meta_path = model_dir / "model.json"
    meta = json.loads(meta_path.read_text())
    module = torch.jit.load(str(model_dir / meta["file"]), map_location="cpu").eval()
    side = int(meta.get("tile_size", 256))
    example = torch.rand((1, int(meta["input_channels"]), side, side), generator=torch.Generator().manual_seed(0))
    onnx_path = model_dir / ONNX_FILE
    axes = {0: "batch", 2: "height", 3: "width"}  # any batch and any multiple-of-16 size, as the TorchScript
    with torch.no_grad():
        torch.onnx.export(module, example, str(onnx_path), input_names=["image"], output_names=["probabilities"],
                          dynamic_axes={"image": axes, "probabilities": axes}, opset_version=OPSET)
    meta["onnx"] = {"file": ONNX_FILE, "sha256": sha256(onnx_path), "opset": OPSET,
                    "from": meta["file"], "torch_version": torch.__version__}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return meta["onnx"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, required=True, help="an exported model folder (model.json, model.pt)")
    print(json.dumps(add_onnx(p.parse_args(argv).model), indent=2))


if __name__ == "__main__":
    main()
