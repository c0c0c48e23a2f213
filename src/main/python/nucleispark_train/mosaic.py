"""Large images of large nuclei with known labels, for the block path (docs/generalisation.md, "Large images at the
model's scale"): copies of a sample image tiled into one image above --block-pixels, and its label image.

    python -m nucleispark_train.mosaic --out DIR
    bin/nucleispark segment --input DIR/images --output OUT
    bin/nucleispark evaluate --predictions OUT --ground-truth DIR/labels/<name> --output EVAL

Writes DIR/images/<name>.png and DIR/labels/<name>/<name>.png (one folder per image, so that evaluate can score
each alone) for he_x2_mosaic (the sample H&E image 1631352d enlarged 2x, bilinear, 8 x 8 copies: 5120 x 4096,
2,048 nuclei of about 38 px) and normal3_mosaic (S-BSST265 normal_3, 4 x 4 copies: 5120 x 4096, 448 nuclei of
about 160 px). A nucleus cut by a copy's edge meets another cut one at the seam; both are separate labels.
"""
import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from . import data

REPO = Path(__file__).resolve().parents[4]
HE = (REPO / "sample-data" / "dsb", "1631352dbafb8a90f11219fffd3bea368a30bc3bad3bbe0e84e19bd720df4945")
NORMAL_3 = (REPO / "src" / "test" / "resources" / "s-bsst265", "normal_3")


def tiled(image, labels, n):
    """(image, labels) repeated n x n times, every copy's labels numbered apart."""
    h, w = labels.shape
    big = np.tile(image, (n, n) + (1,) * (image.ndim - 2))
    out = np.zeros((h * n, w * n), np.int32)
    k = int(labels.max())
    for r in range(n):
        for c in range(n):
            copy = labels.astype(np.int32)
            copy[copy > 0] += (r * n + c) * k
            out[r * h:(r + 1) * h, c * w:(c + 1) * w] = copy
    return big, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    raw = data.read_raw(*HE)[..., :3]
    labels = data.read_labels(*HE, raw.shape[:2])
    h, w = labels.shape
    he = np.array(Image.fromarray(raw).resize((w * 2, h * 2), Image.BILINEAR))
    he_labels = np.array(Image.fromarray(labels.astype(np.uint16)).resize((w * 2, h * 2), Image.NEAREST))
    n3 = data.read_raw(*NORMAL_3)[..., :3]
    n3 = n3[..., 0] if n3.shape[2] == 1 else n3
    n3_labels = data.read_labels(*NORMAL_3, n3.shape[:2])
    for name, (image, lab, n) in {"he_x2_mosaic": (he, he_labels, 8), "normal3_mosaic": (n3, n3_labels, 4)}.items():
        big, big_labels = tiled(image, lab, n)
        (args.out / "images").mkdir(parents=True, exist_ok=True)
        (args.out / "labels" / name).mkdir(parents=True, exist_ok=True)
        Image.fromarray(big).save(args.out / "images" / f"{name}.png")
        Image.fromarray(big_labels.astype(np.uint16)).save(args.out / "labels" / name / f"{name}.png")
        print(f"{name}\t{big.shape[1]}x{big.shape[0]}\t{int(big_labels.max())} nuclei")


if __name__ == "__main__":
    main()
