"""What the U-Net and Mask R-CNN trainers share: the run's budget clock, a learning-rate schedule
whose horizon can be shortened mid-run, fitting the epoch count to a wall-clock budget, the log."""
import math
import time
from pathlib import Path

import torch

from . import data, folds


def add_run_arguments(parser, model, epochs):
    """The options both trainers take: which fold and data, the run's budgets, where it runs and keeps
    its checkpoints. The model's own options (batch, crops, rates, widths) are added by its trainer."""
    parser.add_argument("--fold", default="0", help="0..3 (validate on that fold) or 'all'")
    parser.add_argument("--data", required=True, help="DSB-layout folder")
    parser.add_argument("--splits", type=Path, default=folds.DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget of this run")
    parser.add_argument("--max-iters", type=int, default=None, help="stop after this many iterations (tests)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="torch device to train on: cpu, cuda, cuda:1 ...")
    parser.add_argument("--fit-epochs", action="store_true",
                        help="after the first evaluation, lower --epochs to what --minutes can hold (schedule included)")
    parser.add_argument("--cache-dir", type=Path, default=data.DEFAULT_CACHE_DIR)
    parser.add_argument("--checkpoint-dir", type=Path, default=None,
                        help=f"default <repo>/checkpoints/{model}/fold{{K}}")


def check_run_arguments(parser, args, model):
    """Validates --fold and fills in the default checkpoint folder (see add_run_arguments)."""
    if args.fold != "all" and args.fold not in {str(k) for k in range(folds.N_FOLDS)}:
        parser.error("--fold must be 0..3 or all")
    if args.checkpoint_dir is None:
        args.checkpoint_dir = folds.REPO_ROOT / "checkpoints" / model / f"fold{args.fold}"


class Clock:
    """This run's wall-clock and iteration budgets."""

    def __init__(self, minutes, max_iters):
        self.start = time.time()
        self.budget = minutes * 60 if minutes else math.inf
        self.max_iters = max_iters
        self.iterations = 0

    def elapsed(self):
        return time.time() - self.start

    def left(self):
        return self.budget - self.elapsed()

    def out_of_time(self, reserve=0.0):
        return self.elapsed() + reserve > self.budget

    def out_of_iterations(self):
        return self.max_iters is not None and self.iterations >= self.max_iters

    def seconds_per_iteration(self):
        return self.elapsed() / max(self.iterations, 1)


class Horizon:
    """The schedule's total step count, mutable so that fit_epochs can shorten a running schedule."""

    def __init__(self, total_steps):
        self.total_steps = total_steps


def warmup_cosine(optimizer, warmup, horizon, floor=0.01):
    """Linear warm-up from floor*lr to lr over `warmup` steps, cosine decay to floor*lr at
    horizon.total_steps, then flat (a resumed run may overshoot)."""
    def factor(step):
        if step < warmup:
            return floor + (1 - floor) * step / warmup
        progress = min((step - warmup) / max(horizon.total_steps - warmup, 1), 1.0)
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def fit_epochs(requested, done, epoch_seconds, seconds_left):
    """How many epochs in all the run can finish: `requested`, or fewer when the budget left holds
    fewer of epoch_seconds each. A schedule sized for epochs that never run would stop before its
    learning rate decays, which costs more accuracy than training fewer, fully annealed epochs."""
    if epoch_seconds <= 0 or math.isinf(seconds_left):
        return requested
    return max(done + 1, min(requested, done + int(seconds_left // epoch_seconds)))


def fit(args, horizon, iters_per_epoch, done, epoch_seconds, seconds_left):
    """Apply fit_epochs to args.epochs and the schedule's horizon, saying so when it lowers them."""
    epochs = fit_epochs(args.epochs, done, epoch_seconds, seconds_left)
    if epochs < args.epochs:
        print(f"--fit-epochs: {epochs} epochs fit the budget ({epoch_seconds:.1f} s each), not {args.epochs}; "
              f"schedule shortened", flush=True)
        args.epochs, horizon.total_steps = epochs, epochs * iters_per_epoch


class EpochFitter:
    """--fit-epochs: calls fit once, after the run's first evaluation, with the mean epoch time so far
    (which then includes one evaluation per evaluation interval, as the rest of the run will)."""

    def __init__(self, enabled):
        self.enabled, self.done, self.epochs, self.start = enabled, False, 0, time.time()

    def after_epoch(self, args, horizon, iters_per_epoch, epoch, finished, evaluated, seconds_left):
        self.epochs += finished
        if self.enabled and not self.done and finished and evaluated:
            fit(args, horizon, iters_per_epoch, epoch, (time.time() - self.start) / self.epochs, seconds_left)
            self.done = True


def append_log(path, columns, row):
    new = not path.exists()
    with open(path, "a") as f:
        if new:
            f.write("\t".join(columns) + "\n")
        f.write("\t".join(str(row.get(c, "")) for c in columns) + "\n")


def close_epoch(row, seconds, log_path, columns, checkpoint, finished):
    """The end of every epoch (or of a partial one cut by the time budget), the same for both trainers:
    log and print its row with its seconds, write last.pt. Returns False when training must stop here."""
    row["seconds"] = f"{seconds:.0f}"
    append_log(log_path, columns, row)
    print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    checkpoint("last.pt")
    if not finished:
        print("budget reached inside an epoch; checkpointed", flush=True)
    return finished
