"""Shrink a training checkpoint to what export needs, for the trip back from a rented GPU machine.

Drops the optimizer and scheduler state (twice the weights again) and, with --half, stores floating
weights as float16: the exporters' load_state_dict copies them back into float32 parameters, and
float16 keeps ~3 significant digits, far below what changes a thresholded mask. A 74 MB Mask R-CNN
then travels as 37 MB.
"""
import argparse
from pathlib import Path

import torch

DROPPED = ("optimizer", "scheduler")


def slim(checkpoint, half=False):
    ckpt = torch.load(checkpoint, map_location="cpu", weights_only=False)
    out = {k: v for k, v in ckpt.items() if k not in DROPPED}
    out["model"] = {k: v.half() if half and v.is_floating_point() else v for k, v in ckpt["model"].items()}
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--half", action="store_true")
    args = p.parse_args(argv)
    torch.save(slim(args.checkpoint, args.half), args.out)
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
