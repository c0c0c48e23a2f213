"""Train the nuclei Mask R-CNN on DSB-layout data, one fold at a time (or on everything).

    cd src/main/python
    /usr/bin/python3 -m nucleispark_train.train_maskrcnn --fold 0 \
        --data /work/shared/data/dsb2018/stage1_train --minutes 600

--fold K trains on the other folds of models/splits/dsb2018_folds.csv and validates on fold K (its
predictions are out-of-fold); --fold all trains on every image in --data, and then the "validation"
numbers are measured on training images (recorded as such). Each iteration takes --batch random
crops of one size drawn from 256..512 (multiples of 32) with the U-Net's augmentations
(instance_augment). Resumes from <checkpoint-dir>/last.pt, at the batch where it stopped;
last.pt is also rewritten every --checkpoint-minutes. best.pt holds the best validation mAP, and
the score threshold that gave it.

--canonical --generalise --extra-data --init train it as train_unet trains the U-Net: on the canonical
input (one nuclei-bright grey plane for every modality, replicated to R, G, B), with wide scale and
appearance jitter, stain jitter of colour histology and type-balanced epochs, on a second data set,
starting from an exported model folder (fine-tuning its weights onto the new input).
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from . import data, instances, maskrcnn, training
from .export_maskrcnn import model_from_export
from .instance_augment import augment_instances
from .train_unet import (epoch_order, eval_subset, load_all, prepare_generalise, save_checkpoint, serve_histology,
                         split_ids)
from .training import Clock, EpochFitter, Horizon, close_epoch, warmup_cosine

LOSSES = ["loss_classifier", "loss_box_reg", "loss_mask", "loss_objectness", "loss_rpn_box_reg"]
LOG_COLUMNS = ["epoch", "iteration", "loss", *LOSSES, "val_map", "score_threshold", "lr", "seconds"]
DEFAULT_SCORE_THRESHOLDS = "0.3,0.4,0.5,0.6,0.7,0.8"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train the NucleiSpark Mask R-CNN.")
    training.add_run_arguments(p, "maskrcnn", epochs=40)
    p.add_argument("--batch", type=int, default=4, help="crops per iteration")
    p.add_argument("--crop-min", type=int, default=256)
    p.add_argument("--crop-max", type=int, default=512)
    p.add_argument("--optimizer", choices=["sgd", "adamw"], default="sgd")
    p.add_argument("--lr", type=float, default=0.01, help="peak rate (SGD momentum 0.9), cosine-decayed")
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup-iters", type=int, default=300, help="linear warm-up from 1%% of --lr")
    p.add_argument("--clip-grad", type=float, default=10.0, help="max gradient norm (0 = off)")
    p.add_argument("--backbone", default=None, help="resnet18 | resnet34 | resnet50")
    p.add_argument("--fpn-channels", type=int, default=None)
    p.add_argument("--norm", default=None, help="batch | group")
    p.add_argument("--model-config", default=None,
                   help="JSON object of further maskrcnn.DEFAULT_CONFIG overrides")
    p.add_argument("--eval-every", type=int, default=2, help="epochs between mAP evaluations")
    p.add_argument("--eval-images", type=int, default=32)
    p.add_argument("--score-thresholds", default=DEFAULT_SCORE_THRESHOLDS,
                   help="detection score thresholds tried at validation; the best is recorded")
    p.add_argument("--checkpoint-minutes", type=float, default=15.0)
    p.add_argument("--canonical", action="store_true",
                   help="train on the canonical input (canonical.py) instead of the percentile RGB")
    p.add_argument("--generalise", action="store_true",
                   help="wide scale (0.5-2x) and appearance augmentation, stain jitter of colour histology "
                        "(with --canonical), and type-balanced epochs")
    p.add_argument("--extra-data", default=None,
                   help="a second DSB-layout folder (e.g. s-bsst265/train): every 4th image validates, the rest train")
    p.add_argument("--histology-input", choices=("haematoxylin", "grey"), default="haematoxylin",
                   help="with --canonical: what the network sees of colour histology (train_unet's option: the "
                        "served grey plane, a share of the crops as the haematoxylin)")
    p.add_argument("--init", type=Path, default=None,
                   help="an exported model folder (model.pt + model.json) whose weights to start from; "
                        "ignored when resuming")
    args = p.parse_args(argv)
    training.check_run_arguments(p, args, "maskrcnn")
    if args.crop_min % 32 or args.crop_max % 32 or args.crop_min > args.crop_max:
        p.error("--crop-min/--crop-max must be multiples of 32, min <= max")
    if args.histology_input != "haematoxylin" and not args.canonical:
        p.error("--histology-input needs --canonical")
    args.border_radius = data.DEFAULT_BORDER_RADIUS  # shares the U-Net's sample cache entries
    args.score_thresholds = [float(t) for t in str(args.score_thresholds).split(",")]
    return args


def requested_config(args):
    overrides = maskrcnn.model_config(args.model_config) if args.model_config else {}
    overrides = {k: v for k, v in overrides.items() if v != maskrcnn.DEFAULT_CONFIG[k]}
    for key in ("backbone", "fpn_channels", "norm"):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    return maskrcnn.model_config(overrides)


def build(args, iters_per_epoch):
    """(model, optimizer, scheduler, state), resumed from last.pt when there is one."""
    last = args.checkpoint_dir / "last.pt"
    ckpt = torch.load(last, map_location=args.device) if last.exists() else None
    config = ckpt["model_config"] if ckpt else requested_config(args)
    if ckpt and config != requested_config(args):
        print("note: resuming with the checkpoint's model config, not this command line's", flush=True)
    model = maskrcnn.build_model(config).to(args.device)
    if not ckpt and args.init:
        model.load_state_dict(exported_weights(args.init, config))
        args.init_sha256 = json.loads((args.init / "model.json").read_text())["sha256"]  # the start, by content
        print(f"initialised from {args.init}", flush=True)
    params = [p for p in model.parameters() if p.requires_grad]
    if args.optimizer == "sgd":
        optimizer = torch.optim.SGD(params, lr=args.lr, momentum=0.9, weight_decay=args.weight_decay)
    else:
        optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay)
    horizon = Horizon(args.epochs * iters_per_epoch)
    scheduler = warmup_cosine(optimizer, args.warmup_iters, horizon)
    state = {"epoch": 0, "batch": 0, "iteration": 0, "best_map": -1.0, "seconds": 0.0,
             "validation": None, "model_config": config}
    if ckpt:
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        state = {k: ckpt[k] for k in state}
        print(f"resumed from {last} at epoch {state['epoch']} batch {state['batch']}", flush=True)
    return model, optimizer, scheduler, horizon, state


def exported_weights(model_dir, config):
    """The weights of an exported model folder, keyed as maskrcnn.build_model(config) keys them. Its
    architecture must be config's (inference-only settings such as score and proposal limits may differ)."""
    model, meta = model_from_export(model_dir)
    trained = {k: v for k, v in meta["architecture"].items() if k != "type" and not k.endswith("_test")
               and k != "box_score_thresh"}
    differing = {k: (v, config[k]) for k, v in trained.items() if config.get(k) != v}
    if differing:
        raise SystemExit(f"--init {model_dir}: architecture differs from this run's (exported, requested): {differing}")
    return model.state_dict()


# ---------------------------------------------------------------- training and validation

def training_batch(samples, ids, crop_sizes, rng, device="cpu", generalise=False, raws=None,
                   histology_input="haematoxylin"):
    """Augmented crops of the given images (one crop size per batch) and their targets.
    raws: {id: (3, H, W) raw colour} of the histology images to stain-jitter (generalise only), seen as the
    histology_input plane."""
    crop = int(rng.choice(crop_sizes))
    images, targets = [], []
    for image_id in ids:
        image, _, labels = samples[image_id]
        img, lab = augment_instances(image, labels, crop, rng, generalise, (raws or {}).get(image_id),
                                     histology_input)
        images.append(img.to(device))
        targets.append({k: v.to(device) for k, v in maskrcnn.targets_from_labels(lab.numpy()).items()})
    return images, targets


def train_epoch(model, optimizer, scheduler, samples, ids, args, state, clock, reserve, checkpoint):
    """Continue epoch state["epoch"] from batch state["batch"]; returns (finished, mean losses).

    Each batch has its own random stream (seed, epoch, batch), so a resumed run replays exactly.
    """
    model.train()
    order = epoch_order(ids, getattr(args, "groups", None), np.random.default_rng([args.seed, state["epoch"]]))
    n_batches = max(len(order) // args.batch, 1)
    crop_sizes = list(range(args.crop_min, args.crop_max + 1, 32))
    sums, seen, last_save = dict.fromkeys(["loss", *LOSSES], 0.0), 0, time.time()
    for b in range(state["batch"], n_batches):
        if clock.out_of_time(reserve) or clock.out_of_iterations():
            return False, {k: v / max(seen, 1) for k, v in sums.items()}
        rng = np.random.default_rng([args.seed, state["epoch"], b])
        images, targets = training_batch(samples, order[b * args.batch:(b + 1) * args.batch], crop_sizes, rng,
                                         args.device, args.generalise, getattr(args, "raws", None),
                                         args.histology_input)
        losses = model(images, targets)
        loss = sum(losses.values())
        optimizer.zero_grad(set_to_none=True)
        if torch.isfinite(loss):
            loss.backward()
            if args.clip_grad > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)
            optimizer.step()
            sums["loss"] += loss.item()
            for k in LOSSES:
                sums[k] += losses[k].item()
            seen += 1
        else:
            print(f"non-finite loss at epoch {state['epoch']} batch {b}; step skipped", flush=True)
        scheduler.step()
        state["batch"], state["iteration"] = b + 1, state["iteration"] + 1
        clock.iterations += 1
        if (b + 1) % 10 == 0 or b + 1 == n_batches:
            print(f"epoch {state['epoch']} iter {b + 1}/{n_batches} loss {sums['loss'] / max(seen, 1):.4f} "
                  f"{clock.seconds_per_iteration():.2f} s/iter", flush=True)
        if time.time() - last_save > args.checkpoint_minutes * 60:
            checkpoint("last.pt")
            last_save = time.time()
    return True, {k: v / max(seen, 1) for k, v in sums.items()}


@torch.no_grad()
def validate(model, samples, ids, thresholds):
    """Mean DSB 2018 score of full-image instances for each score threshold -> (best mAP,
    its threshold, {threshold: mAP})."""
    model.eval()
    scores = np.zeros((len(ids), len(thresholds)))
    for n, image_id in enumerate(ids):
        image, _, labels = samples[image_id]
        boxes, det_scores, masks = maskrcnn.detect(model, image.astype(np.float32))
        for t, threshold in enumerate(thresholds):
            pred = maskrcnn.instances_from_detections(boxes, det_scores, masks, labels.shape, threshold)
            scores[n, t] = instances.dsb_score(labels, pred)
    means = scores.mean(axis=0)
    best = int(np.argmax(means))
    return float(means[best]), thresholds[best], {f"{t:g}": round(float(m), 4) for t, m in zip(thresholds, means)}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.checkpoint_dir.mkdir(parents=True, exist_ok=True)
    clock = Clock(args.minutes, args.max_iters)

    train_ids, val_ids, val_split = split_ids(args)
    map_ids = eval_subset(val_ids, args.eval_images)
    samples = load_all(args, sorted(set(train_ids) | set(map_ids)))
    prepare_generalise(args, train_ids)
    if args.histology_input != "haematoxylin":
        print(f"histology served as {args.histology_input}: "
              f"{serve_histology(args, samples, sorted(set(train_ids) | set(map_ids)))} images", flush=True)
    print(f"train {len(train_ids)} images, mAP on {len(map_ids)} ({val_split}); "
          f"data ready in {clock.elapsed():.0f} s", flush=True)

    iters_per_epoch = max(len(train_ids) // args.batch, 1)
    model, optimizer, scheduler, horizon, state = build(args, iters_per_epoch)
    print(f"model {state['model_config']['backbone']}, {maskrcnn.parameter_megabytes(model):.1f} MB of "
          f"weights", flush=True)
    run_seconds_before = state["seconds"]
    eval_seconds, epoch_seconds = 0.0, None

    def checkpoint(name):
        state["seconds"] = run_seconds_before + clock.elapsed()
        save_checkpoint(args.checkpoint_dir / name, model, optimizer, scheduler, state, args)

    def evaluate():
        nonlocal eval_seconds
        t0 = time.time()
        score, threshold, by_threshold = validate(model, samples, map_ids, args.score_thresholds)
        eval_seconds = time.time() - t0
        if score > state["best_map"]:
            state["best_map"] = score
            state["validation"] = {"mAP": round(score, 4), "score_threshold": threshold,
                                   "mAP_by_score_threshold": by_threshold, "n_images": len(map_ids),
                                   "split": val_split, "epoch": state["epoch"],
                                   "iteration": state["iteration"]}
            checkpoint("best.pt")
        return score, threshold

    scored_iteration, fitter = None, EpochFitter(args.fit_epochs)
    while state["epoch"] < args.epochs and not clock.out_of_iterations():
        # Start an epoch only if it and a final evaluation fit in the budget.
        if epoch_seconds and clock.out_of_time(reserve=epoch_seconds + eval_seconds):
            print("time budget reached; stopping before the next epoch", flush=True)
            break
        t0 = time.time()
        finished, means = train_epoch(model, optimizer, scheduler, samples, train_ids, args, state,
                                      clock, eval_seconds, checkpoint)
        if clock.iterations == 0:
            break
        epoch_label = state["epoch"] + 1 if finished else f"{state['epoch']}+{state['batch']}"
        if finished:
            state["epoch"], state["batch"] = state["epoch"] + 1, 0
        row = {"epoch": epoch_label, "iteration": state["iteration"],
               **{k: f"{v:.4f}" for k, v in means.items()}, "lr": f"{scheduler.get_last_lr()[0]:.2e}"}
        last_epoch = not finished or state["epoch"] >= args.epochs or clock.out_of_iterations()
        if (finished and state["epoch"] % args.eval_every == 0) or last_epoch:
            score, threshold = evaluate()
            row["val_map"], row["score_threshold"] = f"{score:.4f}", threshold
            scored_iteration = state["iteration"]
        epoch_seconds = time.time() - t0
        fitter.after_epoch(args, horizon, iters_per_epoch, state["epoch"], finished, scored_iteration == state["iteration"],
                           clock.left() - eval_seconds)
        if not close_epoch(row, epoch_seconds, args.checkpoint_dir / "train.log", LOG_COLUMNS, checkpoint, finished):
            break

    if clock.iterations > 0 and scored_iteration != state["iteration"]:
        evaluate()  # stopped between evaluations: score the final weights so best.pt is not stale
        checkpoint("last.pt")
    print(f"done: epoch {state['epoch']} iteration {state['iteration']}, best mAP {state['best_map']:.4f}, "
          f"{clock.elapsed():.0f} s this run", flush=True)
    return state


if __name__ == "__main__":
    main()
