"""Write 2-channel probability maps for every image of one fold (out-of-fold predictions).

    python -m nucleispark_train.predict_oof --model ../../../checkpoints/unet/fold0/best.pt \
        --fold 0 --data /work/shared/data/dsb2018/stage1_train --out /tmp/oof/unet

--model is a train_unet checkpoint (.pt with a "model" entry) or an exported TorchScript model.pt.
Output: <out>/<image_id>.npz with prob = uint8 (2, H, W), round(255 * probability), channels
(nucleus, touching_border). --fold all predicts every image in --data.
"""
import argparse

import numpy as np
import torch

from . import folds
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

    model = load_probability_model(args.model)
    folds.write_held_out(args, lambda image: {"prob": np.round(predict(model, image) * 255).astype(np.uint8)})


if __name__ == "__main__":
    main()
