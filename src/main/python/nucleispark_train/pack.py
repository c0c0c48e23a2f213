"""Pack a DSB-layout training set small enough to travel to a rented GPU machine, and unpack it there.

The 664 stage1_train images take 187 MB as shipped (RGBA PNGs of grey fluorescence, one PNG per
nucleus). Packed, each image is one PNG holding only what training reads (alpha dropped, a grey
image stored as one plane) plus one 16-bit label PNG, about a quarter of the size. Unpacking
rebuilds the DSB layout (one mask PNG per label, in label order), so data.read_raw / read_labels /
normalise give bit-identical arrays on both sides and nothing downstream knows the data travelled.

    python3 -m nucleispark_train.pack pack   --data <dsb root> --out <packed dir>
    python3 -m nucleispark_train.pack unpack --packed <packed dir> --out <dsb root>
"""
import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from . import data


def compact_image(raw):
    """(H, W, C) without alpha -> 2-D array when every plane is equal (grey stored as RGB), else as is."""
    if raw.shape[2] == 3 and np.array_equal(raw[:, :, 0], raw[:, :, 1]) and np.array_equal(raw[:, :, 0], raw[:, :, 2]):
        return raw[:, :, 0]
    return raw[:, :, 0] if raw.shape[2] == 1 else raw


def save_png(array, path):
    if array.dtype == np.uint16:
        Image.fromarray(array.astype(np.uint16), mode="I;16").save(path, optimize=True)
    else:
        Image.fromarray(array).save(path, optimize=True)


def pack(root, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ids = data.list_ids(root)
    for image_id in ids:
        raw = data.read_raw(root, image_id)
        save_png(compact_image(raw), out / f"{image_id}.png")
        save_png(data.read_labels(root, image_id, raw.shape[:2]), out / f"{image_id}.labels.png")
    return ids


def unpack(packed, root):
    packed, root = Path(packed), Path(root)
    ids = sorted(p.name[:-len(".labels.png")] for p in packed.glob("*.labels.png"))
    for image_id in ids:
        image_dir, mask_dir = root / image_id / "images", root / image_id / "masks"
        image_dir.mkdir(parents=True, exist_ok=True)
        mask_dir.mkdir(parents=True, exist_ok=True)
        (image_dir / f"{image_id}.png").write_bytes((packed / f"{image_id}.png").read_bytes())
        labels = np.asarray(Image.open(packed / f"{image_id}.labels.png")).astype(np.uint16)
        for value in np.unique(labels[labels > 0]):
            # zero-padded so that sorted file order is label order, as read_labels expects
            save_png(((labels == value) * 255).astype(np.uint8), mask_dir / f"{int(value):05d}.png")
    return ids


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["pack", "unpack"])
    p.add_argument("--data", type=Path, help="DSB-layout folder (pack)")
    p.add_argument("--packed", type=Path, help="packed folder (unpack)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    ids = pack(args.data, args.out) if args.action == "pack" else unpack(args.packed, args.out)
    print(f"{args.action}ed {len(ids)} images into {args.out}")


if __name__ == "__main__":
    main()
