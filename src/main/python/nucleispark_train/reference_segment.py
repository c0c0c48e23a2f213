"""The script a user would write instead of NucleiSpark: the same exported U-Net, one forward pass per
whole image, scikit-image's watershed and regionprops, a label PNG and a CSV per image. It is the
other side of bin/bench-vs-python, kept as plain as a user's own, so that the comparison is fair.

    python -m nucleispark_train.reference_segment --model models/unet --input DIR --output OUT [--threads 2]

The input rule (percentile or canonical) and the post-processing thresholds come from model.json, as the
project reads them; no test-time augmentation and no nucleus rescaling (what `segment --no-tta
--nucleus-diameter off` does). Prints one line: images, megapixels, seconds.
"""
import argparse
import csv
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from skimage.measure import regionprops_table

from . import canonical, data, instances


def model_input(raw, meta):
    if meta["normalisation"]["method"] == "canonical":
        return canonical.served(raw, meta["normalisation"])[0]
    return data.normalise(raw)


# Flips of a (C, H, W) array as numpy axes, in the order views are added: as is, rotated 180 degrees, up-down,
# left-right (score_histology_inputs --views 1, 2, 4 take the first ones).
VIEWS = ((), (1, 2), (1,), (2,))


def probabilities(model, x, multiple, flips=((),)):
    """(C, H, W) input -> (2, H, W) probabilities of an exported (TorchScript, probability-output) U-Net, averaged
    over flips (tuples of numpy axes, e.g. VIEWS), each un-flipped. unet.predict_probabilities is the same for a
    training UNet (logits)."""
    if len(flips) == 1 and not flips[0]:
        return one_view(model, x, multiple)
    p = 0
    for axes in flips:
        v = np.ascontiguousarray(np.flip(x, axes)) if axes else x
        out = one_view(model, v, multiple)
        p = p + (np.flip(out, axes) if axes else out)
    return np.ascontiguousarray(p / len(flips), dtype=np.float32)


def one_view(model, x, multiple):
    h, w = x.shape[1:]
    ph, pw = -h % multiple, -w % multiple
    padded = np.pad(x, ((0, 0), (0, ph), (0, pw)), mode="reflect")
    with torch.no_grad():
        p = model(torch.from_numpy(np.ascontiguousarray(padded))[None])[0].numpy()
    return p[:, :h, :w]


def labels_of(p, post):
    # absent keys take the defaults the Java side takes (model.ModelMetadata): 0.5, 0.5, 10, no margin, no blur
    return instances.instances_from_probabilities(p, post.get("threshold", 0.5), post.get("min_object_px", 10),
                                                  post.get("border_threshold", 0.5),
                                                  post.get("marker_margin"),
                                                  post.get("smooth_sigma", 0.0)).astype(np.uint16)


def image_files(root):
    """PNG/TIFF files under root, linked folders followed (Path.rglob does not), masks/ folders skipped."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "masks")
        found += [Path(folder) / f for f in files if Path(f).suffix.lower() in (".png", ".tif", ".tiff")]
    return sorted(found)


def main(argv=None):
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--model", type=Path, required=True, help="folder with model.json and model.pt")
    a.add_argument("--input", type=Path, required=True)
    a.add_argument("--output", type=Path, required=True)
    a.add_argument("--threads", type=int, default=2)
    args = a.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = json.loads((args.model / "model.json").read_text())
    model = torch.jit.load(str(args.model / meta["file"])).eval()
    args.output.mkdir(parents=True, exist_ok=True)
    t0, n, pixels = time.time(), 0, 0
    for path in image_files(args.input):
        raw = np.asarray(Image.open(path))
        raw = raw[:, :, None] if raw.ndim == 2 else raw[:, :, :3]  # drop alpha
        labels = labels_of(probabilities(model, model_input(raw, meta), meta["size_multiple"]), meta["postprocess"])
        Image.fromarray(labels).save(args.output / f"{path.stem}_labels.png")
        table = regionprops_table(labels, raw.mean(axis=2), properties=("label", "area", "centroid", "mean_intensity"))
        with open(args.output / f"{path.stem}.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(table.keys())
            w.writerows(zip(*table.values()))
        n, pixels = n + 1, pixels + raw.shape[0] * raw.shape[1]
    print(f"reference: {n} images, {pixels / 1e6:.2f} megapixels, {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
