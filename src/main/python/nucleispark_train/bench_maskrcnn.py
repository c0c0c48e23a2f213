"""Python side of the Mask R-CNN serving benchmark: ms per megapixel of the exported TorchScript model.

Times the forward pass alone (normalised input to boxes/scores/28x28 masks) and forward plus the
post-processing that Java also does (paste, nearest-centroid overlap split, clean-up). One line per
setting; compare with the Java segmenter's figures on the same machine and images.

    /usr/bin/python3 -m nucleispark_train.bench_maskrcnn --model models/maskrcnn/model.pt --images sample-data/dsb
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from . import data, maskrcnn


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--images", required=True, help="a DSB-layout folder")
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = torch.jit.load(str(args.model), map_location="cpu").eval()
    meta = json.loads((args.model.parent / "model.json").read_text())
    threshold = meta["thresholds"]["score_threshold"]
    images = [data.normalise(data.read_raw(args.images, i)) for i in data.list_ids(args.images)]
    megapixels = sum(x.shape[1] * x.shape[2] for x in images) / 1e6

    @torch.no_grad()
    def forward(x):
        boxes, scores, masks = model(torch.from_numpy(np.ascontiguousarray(x))[None])
        return boxes.numpy(), scores.numpy(), masks[:, 0].numpy()

    def full(x):
        boxes, scores, masks = forward(x)
        return maskrcnn.instances_from_detections(boxes, scores, masks, x.shape[1:], threshold)

    for name, step in (("forward", forward), ("forward+postprocess", full)):
        for x in images:  # warm-up
            step(x)
        t0 = time.perf_counter()
        for _ in range(args.repeats):
            for x in images:
                step(x)
        ms = (time.perf_counter() - t0) * 1000 / args.repeats
        print(f"python torch {torch.__version__} threads={args.threads} {name}: {ms / megapixels:.1f} ms/MP "
              f"({len(images)} images, {megapixels:.2f} MP)", flush=True)


if __name__ == "__main__":
    main()
