"""Python side of the U-Net serving benchmark: ms per megapixel of the exported TorchScript model.

Times what the Java path times for the same images: percentile normalisation, padding to the size
multiple, the forward pass (a batch of 4 flips with TTA), un-flipping and averaging. Prints one line
per setting; bin/bench-unet runs this and the Java benchmark back to back on the same machine.

    /usr/bin/python3 -m nucleispark_train.bench_unet --model models/unet/model.pt --images sample-data/dsb
"""
import argparse
import time
from pathlib import Path

import torch

from . import data
from .unet import pad_to_multiple


@torch.no_grad()
def infer(model, raw, tta):
    x, h, w = pad_to_multiple(torch.from_numpy(data.normalise(raw))[None])
    if not tta:
        return model(x)[0, :, :h, :w]
    batch = torch.cat([x, x.flip(-1), x.flip(-2), x.flip(-1).flip(-2)])
    y = model(batch)
    mean = (y[0] + y[1].flip(-1) + y[2].flip(-2) + y[3].flip(-1).flip(-2)) / 4
    return mean[:, :h, :w]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--images", required=True, help="a DSB-layout folder")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = torch.jit.load(str(args.model), map_location="cpu").eval()
    raws = [data.read_raw(args.images, i) for i in data.list_ids(args.images)]
    megapixels = sum(r.shape[0] * r.shape[1] for r in raws) / 1e6
    for tta in (False, True):
        for raw in raws:  # warm-up: first calls allocate and pick kernels
            infer(model, raw, tta)
        t0 = time.perf_counter()
        for _ in range(args.repeats):
            for raw in raws:
                infer(model, raw, tta)
        ms = (time.perf_counter() - t0) * 1000 / args.repeats
        print(f"python torch {torch.__version__} threads={args.threads} tta={str(tta).lower()}: "
              f"{ms / megapixels:.1f} ms/MP ({len(raws)} images, {megapixels:.2f} MP)", flush=True)


if __name__ == "__main__":
    main()
