"""Distilling test-time augmentation into one view (train_unet --distill-from).

The served U-Net averages four flipped views of every image (TiledPredictor), which costs four passes.
A network trained towards that average as a second, soft target learns to give it in one pass. The
teacher's average is computed once per training image, on the whole canonical image (no crop borders),
and cached beside the training cache; augment() then crops, scales, rotates and flips it with the image,
while appearance and stain jitter touch only the student's input: the student learns to answer on a
re-stained, blurred or noisy crop what the teacher answered on the clean image.
"""
import hashlib
import time
from pathlib import Path

import numpy as np
import torch

from .unet import FLIP_DIMS, UNet, predict_probabilities

# Above this many pixels the four views go through the network one at a time (memory, not speed).
ONE_PASS_PIXELS = 1 << 20


def exported_weights(model_pt, device):
    """The UNet state dict inside an exported model.pt (which wraps the network as .net, ProbabilityModel)."""
    weights = torch.jit.load(str(model_pt), map_location=device).state_dict()
    return {k[len("net."):]: v for k, v in weights.items() if k.startswith("net.")}


def load_teacher(model_pt, device):
    """The frozen network of an exported model.pt, in eval mode."""
    weights = exported_weights(model_pt, device)
    teacher = UNet(base=weights["down.0.0.weight"].shape[0]).to(device)
    teacher.load_state_dict(weights)
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    return teacher


def whole_image_average(teacher, image):
    """(3, H, W) canonical input -> (2, H, W) float16 four-flip average probabilities."""
    if image.shape[-1] * image.shape[-2] <= ONE_PASS_PIXELS:
        avg = predict_probabilities(teacher, image, flips=FLIP_DIMS)
    else:
        avg = sum(predict_probabilities(teacher, image, flips=(d,)) for d in FLIP_DIMS) / len(FLIP_DIMS)
    return avg.astype(np.float16)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def teacher_maps(model_pt, samples, ids, cache_dir, device="cpu"):
    """{id: (2, H, W) float16} teacher averages for ids, read from or written to
    <cache_dir>/distill-<first 12 hex of the teacher's sha256>/<id>.npy."""
    model_pt = Path(model_pt)
    folder = Path(cache_dir) / f"distill-{sha256(model_pt)[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    teacher, maps, t0, made = None, {}, time.time(), 0
    for n, i in enumerate(ids):
        path = folder / f"{i}.npy"
        if not path.is_file():
            teacher = teacher or load_teacher(model_pt, device)
            tmp = folder / f"{i}.tmp.npy"
            np.save(tmp, whole_image_average(teacher, samples[i][0].astype(np.float32)))
            tmp.replace(path)  # atomic: an interrupted run never leaves a truncated map
            made += 1
            if made % 50 == 0:
                print(f"teacher maps: {n + 1}/{len(ids)} ({time.time() - t0:.0f} s)", flush=True)
        maps[i] = np.load(path)
    print(f"teacher maps of {model_pt}: {len(maps)} images, {made} computed in {time.time() - t0:.0f} s", flush=True)
    return maps


def main(argv=None):
    """Scores an exported U-Net on train_unet's validation subset, one view and four-flip average:
    python -m nucleispark_train.distill --model M.pt --fold 0 --data <stage1_train> --extra-data <s-bsst265/train>"""
    import argparse

    from . import train_unet
    p = argparse.ArgumentParser(description="One view against the four-flip average of an exported U-Net.")
    p.add_argument("--model", type=Path, required=True)
    known, rest = p.parse_known_args(argv)
    args = train_unet.parse_args(rest + ["--canonical"])
    torch.set_num_threads(args.threads)
    _, val, split = train_unet.split_ids(args)
    ids = train_unet.eval_subset(val, args.eval_images)
    net, samples = load_teacher(known.model, args.device), train_unet.load_all(args, ids)
    one = train_unet.validate_instances(net, samples, ids)
    four = train_unet.validate_instances(net, samples, ids, flips=FLIP_DIMS)
    print(f"{known.model}: one view {one:.4f}, four-flip average {four:.4f} (mAP over {len(ids)} images of {split})")


if __name__ == "__main__":
    main()
