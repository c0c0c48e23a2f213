"""Train the nucleus U-Net on DSB-layout data, one fold at a time (or on everything).

    cd src/main/python
    python -m nucleispark_train.train_unet --fold 0 --data /work/shared/data/dsb2018/stage1_train

--fold K trains on the other folds of models/splits/dsb2018_folds.csv and validates on fold K (its
predictions are out-of-fold); --fold all trains on every image in --data, and then the "validation"
numbers are measured on training images (recorded as such). Resumes from <checkpoint-dir>/last.pt.
"""
import argparse
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from . import augment, data, distill, folds, instances, training
from .training import Clock, EpochFitter, Horizon, close_epoch, warmup_cosine
from .unet import UNet, predict_probabilities

# Per-epoch loss/Dice use one centre crop per validation image, at most this many (--fold all).
MAX_VAL_CROPS = 256
LOG_COLUMNS = ["epoch", "train_loss", "val_loss", "val_dice", "val_map", "lr", "seconds"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train the NucleiSpark U-Net.")
    training.add_run_arguments(p, "unet", epochs=60)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam peak rate, cosine-decayed per iteration")
    p.add_argument("--border-radius", type=int, default=data.DEFAULT_BORDER_RADIUS)
    p.add_argument("--border-weight", type=float, default=2.5, help="loss weight of the border channel")
    p.add_argument("--base", type=int, default=16, help="U-Net base width")
    p.add_argument("--eval-every", type=int, default=5, help="epochs between instance (mAP) evaluations")
    p.add_argument("--eval-images", type=int, default=64)
    p.add_argument("--canonical", action="store_true",
                   help="train on the canonical input (canonical.py: one nuclei-bright grey for every modality)")
    p.add_argument("--generalise", action="store_true",
                   help="wide scale (0.5-2x) and appearance augmentation, and type-balanced sampling")
    p.add_argument("--extra-data", default=None,
                   help="a second DSB-layout folder (e.g. s-bsst265/train): every 4th image validates, the rest train")
    p.add_argument("--histology-input", choices=("haematoxylin", "grey"), default="haematoxylin",
                   help="with --canonical: what the network sees of colour histology, as model.json "
                        "normalisation.histology_input serves it (grey: canonical.histology_grey, membranous "
                        "rings out; augment.HAEMATOXYLIN_SHARE_OF_GREY of all histology crops are seen as the haematoxylin)")
    p.add_argument("--init", type=Path, default=None,
                   help="start from the weights of an exported model.pt (fine-tuning); ignored when resuming")
    p.add_argument("--distill-from", type=Path, default=None,
                   help="an exported model.pt whose four-flip TTA average on each training image is a second, soft "
                        "target: a single view of the trained model learns what four views of that one predict "
                        "(distill.py)")
    p.add_argument("--distill-weight", type=float, default=0.5,
                   help="weight of the --distill-from target in the loss (the annotations get the rest)")
    args = p.parse_args(argv)
    training.check_run_arguments(p, args, "unet")
    if not 0.0 <= args.distill_weight <= 1.0:
        p.error("--distill-weight must be in [0, 1]")
    if args.crop % 16:
        p.error("--crop must be a multiple of 16")
    if args.histology_input != "haematoxylin" and not args.canonical:
        p.error("--histology-input needs --canonical")
    return args


# ---------------------------------------------------------------- data split

def split_ids(args):
    """(train ids, validation ids, validation label) over --data and --extra-data."""
    train, val, label = split_dsb_ids(args)
    args.roots = {i: args.data for i in set(train) | set(val)}
    extra_root = args.extra_data
    if extra_root:
        extra = data.list_ids(extra_root)
        clash = [i for i in extra if i in args.roots]
        if clash:
            raise SystemExit(f"image id {clash[0]} is in both --data and --extra-data")
        args.roots.update({i: extra_root for i in extra})
        train = train + [i for k, i in enumerate(extra) if k % 4 != 3]
        val = val + [i for k, i in enumerate(extra) if k % 4 == 3]
        label += "+extra"
    return train, val, label


def split_dsb_ids(args):
    """(train ids, validation ids, validation label) for the requested fold."""
    available = data.list_ids(args.data)
    if args.fold == "all":
        return available, available, "train"  # no held-out images: say so in the metrics
    assignment = folds.read_folds(args.splits)
    missing = [i for i in available if i not in assignment]
    if missing:
        raise SystemExit(f"{len(missing)} images of {args.data} are not in {args.splits}, e.g. {missing[0]}")
    k = int(args.fold)
    train = [i for i in available if assignment[i][0] != k]
    val = [i for i in available if assignment[i][0] == k]
    return train, val, f"fold{k}"


def eval_subset(ids, n):
    """Evenly spaced ids (ids are sorted hashes, so this is an unbiased, deterministic sample)."""
    if len(ids) <= n:
        return list(ids)
    return [ids[i] for i in np.linspace(0, len(ids) - 1, n).round().astype(int)]


def load_all(args, ids):
    canonical_input = args.canonical
    for root in sorted(set(args.roots.values())):
        data.warm_cache(root, [i for i in ids if args.roots[i] == root], args.border_radius, args.cache_dir,
                        canonical_input=canonical_input)
    return {i: data.cached_sample(args.roots[i], i, args.border_radius, args.cache_dir, canonical_input)
            for i in ids}


def serve_histology(args, samples, ids):
    """--histology-input grey: the cached input of every histology image among ids (training and validation)
    replaced by the one a model.json with histology_input "grey" serves it (canonical.served, with the
    membranous_share its export will record), so that training crops and validation mAP see what Java serves.
    Returns how many images were replaced."""
    if args.histology_input == "haematoxylin":
        return 0
    from . import canonical
    normalisation = canonical.metadata(histology_input=args.histology_input, trained_on=args.histology_input)
    groups, raws = getattr(args, "groups", None) or {}, getattr(args, "raws", None) or {}
    replaced = 0
    for i in ids:
        known = groups.get(i)  # the modality prepare_generalise detected (training images), or "extra" / None
        if known in ("fluorescence", "brightfield"):
            continue
        raw = np.moveaxis(raws[i], 0, 2) if i in raws else data.read_raw(args.roots[i], i)
        if known != "histology" and canonical.detect(raw) != "histology":
            continue
        x, _, _ = canonical.served(raw, normalisation, "histology")
        samples[i] = (x.astype(np.float16),) + tuple(samples[i][1:])
        replaced += 1
    return replaced


def sample_groups(args, ids):
    """Image type per id for balanced sampling: the extra set, or the modality canonical.detect finds."""
    from . import canonical
    groups = {}
    for i in ids:
        root = args.roots[i]
        groups[i] = "extra" if root == args.extra_data else canonical.detect(data.read_raw(root, i))
    return groups


def prepare_generalise(args, train_ids):
    """--generalise (both trainers): the type of every training image for balanced epochs (args.groups) and,
    with --canonical, the raw colour of the histology ones for stain jitter (args.raws)."""
    if not args.generalise:
        return
    args.groups = sample_groups(args, train_ids)
    print("training images per type:", {g: list(args.groups.values()).count(g) for g in sorted(set(args.groups.values()))},
          flush=True)
    if args.canonical:
        args.raws = histology_raws(args, train_ids)


def histology_raws(args, ids):
    """(3, H, W) raw colour of the training images of type histology, for stain jitter (a few hundred MB)."""
    return {i: np.moveaxis(data.read_raw(args.roots[i], i), 2, 0) for i in ids if args.groups.get(i) == "histology"}


def epoch_order(ids, groups, rng):
    """An epoch's image order. With groups, draw len(ids) images with replacement, each with weight
    1/sqrt(size of its type): the 107 colour images and 16 brightfield ones are seen far more often than
    their share, yet the large fluorescence majority still makes up about half of every epoch."""
    if not groups:
        return rng.permutation(ids)
    counts = {}
    for i in ids:
        counts[groups[i]] = counts.get(groups[i], 0) + 1
    w = np.array([1.0 / np.sqrt(counts[groups[i]]) for i in ids])
    return rng.choice(np.array(ids, dtype=object), size=len(ids), replace=True, p=w / w.sum())


# ---------------------------------------------------------------- loss and metrics

def soft_dice_loss(prob, target, eps=1.0):
    """1 - soft Dice, pooled over the batch, per channel -> (C,)."""
    dims = (0, 2, 3)
    inter = (prob * target).sum(dims)
    return 1.0 - (2.0 * inter + eps) / (prob.sum(dims) + target.sum(dims) + eps)


def segmentation_loss(logits, target, channel_weights):
    """Per channel BCE + soft Dice, weighted (the thin border channel is up-weighted)."""
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean((0, 2, 3))
    per_channel = bce + soft_dice_loss(torch.sigmoid(logits), target)
    return (per_channel * channel_weights).sum()


@torch.no_grad()
def validate_crops(model, crops, channel_weights, batch):
    """Mean loss and pooled foreground Dice (threshold 0.5) over fixed centre crops."""
    model.eval()
    images, targets = crops
    losses, inter, total = [], 0.0, 0.0
    for s in range(0, len(images), batch):
        x, t = images[s:s + batch].to(channel_weights.device), targets[s:s + batch].to(channel_weights.device)
        logits = model(x)
        losses.append(segmentation_loss(logits, t, channel_weights).item() * len(x))
        pred = (logits[:, 0] > 0).float()
        inter += (pred * t[:, 0]).sum().item()
        total += pred.sum().item() + t[:, 0].sum().item()
    dice = 2 * inter / total if total else 1.0
    return sum(losses) / len(images), dice


@torch.no_grad()
def validate_instances(model, samples, ids, flips=((),)):
    """Mean DSB 2018 score of full-image predictions (averaged over flips, unet.FLIP_DIMS) after the
    watershed post-process."""
    model.eval()
    scores = []
    for i in ids:
        image, _, labels = samples[i]
        prob = predict_probabilities(model, image.astype(np.float32), flips=flips)
        predicted = instances.instances_from_probabilities(prob, marker_margin=instances.MARKER_MARGIN,
                                                           smooth_sigma=instances.SMOOTH_SIGMA)
        scores.append(instances.dsb_score(labels, predicted))
    return float(np.mean(scores))


def centre_crops(samples, ids, size):
    images = np.stack([augment.centre_window(samples[i][0], size) for i in ids]).astype(np.float32)
    targets = np.stack([augment.centre_window(samples[i][1], size) for i in ids]).astype(np.float32)
    return torch.from_numpy(images), torch.from_numpy(targets)


# ---------------------------------------------------------------- checkpoints

# Run-time state hung on args that a checkpoint must not carry: the histology images held for stain
# jitter (tens of MB in every checkpoint until 2026-12-06) and the teacher's maps.
NOT_CHECKPOINTED = ("raws", "soft")


def save_checkpoint(path, model, optimizer, scheduler, state, args):
    tmp = path.with_suffix(".tmp")
    torch.save({"model": {k: v.contiguous() for k, v in model.state_dict().items()},
                "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                         if k not in NOT_CHECKPOINTED},
                **state}, tmp)
    tmp.replace(path)  # never leave a half-written last.pt behind


# ---------------------------------------------------------------- training loop

def train_one_epoch(model, optimizer, scheduler, samples, ids, args, epoch, channel_weights, clock):
    """Returns (mean loss, finished); finished is False when the time or iteration budget ran out."""
    model.train()
    rng = np.random.default_rng([args.seed, epoch])  # per-epoch stream: resuming replays the same order
    order = epoch_order(ids, getattr(args, "groups", None), rng)
    n_batches = len(order) // args.batch  # drop the ragged last batch: BatchNorm dislikes tiny ones
    losses = []
    for b in range(n_batches):
        if clock.out_of_time() or clock.out_of_iterations():
            return float(np.mean(losses)) if losses else float("nan"), False
        raws, soft = getattr(args, "raws", {}), getattr(args, "soft", None)
        batch = [augment.augment(*samples[i][:2], args.crop, rng, args.generalise, raws.get(i),
                                 None if soft is None else soft[i], args.histology_input)
                 for i in order[b * args.batch:(b + 1) * args.batch]]
        device = channel_weights.device
        x = torch.stack([ex[0] for ex in batch]).to(device).contiguous(memory_format=torch.channels_last)
        t = torch.stack([ex[1] for ex in batch]).to(device)
        logits = model(x)
        loss = segmentation_loss(logits, t, channel_weights)
        if soft is not None:
            w = args.distill_weight
            s_t = torch.stack([ex[2] for ex in batch]).to(device)
            loss = (1 - w) * loss + w * segmentation_loss(logits, s_t, channel_weights)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
        clock.iterations += 1
        if (b + 1) % 10 == 0 or b + 1 == n_batches:
            print(f"epoch {epoch} iter {b + 1}/{n_batches} loss {np.mean(losses[-10:]):.4f} "
                  f"{clock.seconds_per_iteration():.2f} s/iter", flush=True)
    return float(np.mean(losses)), True


def build(args, iters_per_epoch):
    model = UNet(base=args.base).to(args.device, memory_format=torch.channels_last)  # ~10% faster convs on CPU
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    horizon = Horizon(args.epochs * iters_per_epoch)
    scheduler = warmup_cosine(optimizer, 0, horizon)
    state = {"epoch": 0, "best_map": -1.0, "seconds": 0.0, "validation": None}
    last = args.checkpoint_dir / "last.pt"
    if last.exists():
        ckpt = torch.load(last, map_location=args.device)
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        state = {k: ckpt[k] for k in state}
        print(f"resumed from {last} at epoch {state['epoch']}", flush=True)
    elif args.init:
        model.load_state_dict(distill.exported_weights(args.init, args.device))
        print(f"initialised from {args.init}", flush=True)
    return model, optimizer, scheduler, horizon, state


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.checkpoint_dir.mkdir(parents=True, exist_ok=True)
    clock = Clock(args.minutes, args.max_iters)

    train_ids, val_ids, val_split = split_ids(args)
    map_ids = eval_subset(val_ids, args.eval_images)
    samples = load_all(args, sorted(set(train_ids) | set(val_ids)))
    prepare_generalise(args, train_ids)
    if args.histology_input != "haematoxylin":
        print(f"histology served as {args.histology_input}: "
              f"{serve_histology(args, samples, sorted(set(train_ids) | set(val_ids)))} images", flush=True)
    crops = centre_crops(samples, eval_subset(val_ids, MAX_VAL_CROPS), args.crop)
    print(f"train {len(train_ids)} images, validate on {len(crops[0])} crops ({val_split}), "
          f"mAP on {len(map_ids)}; data ready in {clock.elapsed():.0f} s", flush=True)

    if args.distill_from:
        # the teacher by content: its path is often models/unet/model.pt, which the student then replaces
        args.distill_from_sha256 = distill.sha256(args.distill_from)
        args.soft = distill.teacher_maps(args.distill_from, samples, train_ids, args.cache_dir, args.device)
        print(f"distilling the four-flip average of {args.distill_from} (weight {args.distill_weight})", flush=True)
    iters_per_epoch = max(len(train_ids) // args.batch, 1)
    model, optimizer, scheduler, horizon, state = build(args, iters_per_epoch)
    channel_weights = torch.tensor([1.0, args.border_weight], device=args.device)
    epoch_seconds, map_seconds = None, 0.0
    run_seconds_before = state["seconds"]

    def checkpoint(name):
        state["seconds"] = run_seconds_before + clock.elapsed()
        save_checkpoint(args.checkpoint_dir / name, model, optimizer, scheduler, state, args)

    def evaluate(val_loss, val_dice):
        nonlocal map_seconds
        t0 = time.time()
        score = validate_instances(model, samples, map_ids)
        map_seconds = time.time() - t0
        if score > state["best_map"]:
            state["best_map"] = score
            state["validation"] = {"mAP": round(score, 4), "dice": round(val_dice, 4),
                                   "val_loss": round(val_loss, 4), "n_images": len(map_ids),
                                   "split": val_split, "epoch": state["epoch"]}
            checkpoint("best.pt")
        return score

    scored_epoch, fitter = None, EpochFitter(args.fit_epochs)
    while state["epoch"] < args.epochs and not clock.out_of_iterations():
        # Start an epoch only if it and a final mAP evaluation fit in the budget.
        if epoch_seconds and clock.out_of_time(reserve=epoch_seconds + map_seconds):
            print("time budget reached; stopping before the next epoch", flush=True)
            break
        t0 = time.time()
        train_loss, finished = train_one_epoch(model, optimizer, scheduler, samples, train_ids, args,
                                               state["epoch"], channel_weights, clock)
        if not finished and clock.iterations == 0:
            break
        val_loss, val_dice = validate_crops(model, crops, channel_weights, args.batch)
        if finished:
            state["epoch"] += 1
        row = {"epoch": state["epoch"] if finished else f"{state['epoch']}+partial", "train_loss": f"{train_loss:.4f}", "val_loss": f"{val_loss:.4f}",
               "val_dice": f"{val_dice:.4f}", "lr": f"{scheduler.get_last_lr()[0]:.2e}"}
        last_epoch = not finished or state["epoch"] >= args.epochs or clock.out_of_iterations()
        if state["epoch"] % args.eval_every == 0 or last_epoch:
            row["val_map"] = f"{evaluate(val_loss, val_dice):.4f}"
            scored_epoch = state["epoch"]
        epoch_seconds = time.time() - t0
        fitter.after_epoch(args, horizon, iters_per_epoch, state["epoch"], finished, scored_epoch == state["epoch"],
                           clock.left() - map_seconds)
        if not close_epoch(row, epoch_seconds, args.checkpoint_dir / "train.log", LOG_COLUMNS, checkpoint, finished):
            break

    if scored_epoch != state["epoch"] and clock.iterations > 0:
        # Stopped on time between evaluations: score the final weights so best.pt is not stale.
        val_loss, val_dice = validate_crops(model, crops, channel_weights, args.batch)
        evaluate(val_loss, val_dice)
        checkpoint("last.pt")
    print(f"done: epoch {state['epoch']}, best mAP {state['best_map']:.4f}, "
          f"{clock.elapsed():.0f} s this run", flush=True)
    return state


if __name__ == "__main__":
    main()
