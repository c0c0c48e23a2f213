"""Write Mask R-CNN detections for every image of one fold (out-of-fold predictions).

    python -m nucleispark_train.predict_maskrcnn --model ../../../checkpoints/maskrcnn/fold0/best.pt \
        --fold 0 --data /work/shared/data/dsb2018/stage1_train --out /tmp/oof/maskrcnn

--model is a train_maskrcnn checkpoint or an exported TorchScript model.pt (both give the same
detections, see export_maskrcnn). Output: <out>/<image_id>.npz with boxes float32 (N, 4) xyxy,
scores float32 (N) descending, masks uint8 (N, 28, 28) = round(255 * probability), unpasted
(maskrcnn.instances_from_detections turns them into a label image). --fold all predicts every
image in --data.
"""
import argparse

import numpy as np
import torch

from . import folds, maskrcnn
from .export_maskrcnn import load_model


def load_detector(path):
    """A function (3, H, W) normalised float32 array -> numpy (boxes, scores, masks (N, 28, 28))."""
    try:
        scripted = torch.jit.load(str(path), map_location="cpu").eval()
    except RuntimeError:  # not TorchScript: a training checkpoint
        model = load_model(path)[0]
        return lambda image: maskrcnn.detect(model, image)

    @torch.no_grad()
    def run(image):
        boxes, scores, masks = scripted(torch.from_numpy(np.ascontiguousarray(image))[None])
        return boxes.numpy(), scores.numpy(), masks[:, 0].numpy()
    return run


def main(argv=None):
    p = argparse.ArgumentParser(description="Out-of-fold Mask R-CNN detections.")
    folds.add_oof_arguments(p)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    detect = load_detector(args.model)

    def detections(image):
        boxes, scores, masks = detect(image)
        return {"boxes": boxes.astype(np.float32), "scores": scores.astype(np.float32),
                "masks": np.round(masks * 255).astype(np.uint8)}
    folds.write_held_out(args, detections)


if __name__ == "__main__":
    main()
