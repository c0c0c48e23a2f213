"""Write 2-channel probability maps for every image of one fold (out-of-fold predictions).

    python -m nucleispark_train.predict_oof --model ../../../checkpoints/unet/fold0/best.pt \
        --fold 0 --data /work/shared/data/dsb2018/stage1_train --out /tmp/oof/unet

--model is a train_unet checkpoint (.pt with a "model" entry) or an exported TorchScript model.pt.
Output: <out>/<image_id>.npz with prob = uint8 (2, H, W), round(255 * probability), channels
(nucleus, touching_border). --fold all predicts every image in --data.
"""
import argparse
from pathlib import Path

import numpy as np
import torch

from . import data, folds
from .export import load_network
from .unet import ProbabilityModel, pad_to_multiple


def load_probability_model(path):
    """A module mapping (N, 3, H, W) normalised images to probabilities, whatever the file kind."""
    try:
        return torch.jit.load(str(path), map_location="cpu").eval()
    except RuntimeError:  # not TorchScript: a training checkpoint
        return ProbabilityModel(load_network(path)[0]).eval()


@torch.no_grad()
def predict(model, image):
    x, h, w = pad_to_multiple(torch.from_numpy(image)[None])
    return model(x)[0, :, :h, :w].numpy()


def main(argv=None):
    p = argparse.ArgumentParser(description="Out-of-fold U-Net probability maps.")
    folds.add_oof_arguments(p)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    ids = folds.held_out_ids(args.data, args.fold, args.splits)
    model = load_probability_model(args.model)
    args.out.mkdir(parents=True, exist_ok=True)
    for n, image_id in enumerate(ids, 1):
        prob = predict(model, data.normalise(data.read_raw(args.data, image_id)))
        np.savez_compressed(args.out / f"{image_id}.npz", prob=np.round(prob * 255).astype(np.uint8))
        if n % 20 == 0 or n == len(ids):
            print(f"{n}/{len(ids)}", flush=True)


if __name__ == "__main__":
    main()
