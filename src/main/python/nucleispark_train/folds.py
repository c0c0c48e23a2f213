"""One deterministic 4-fold split of DSB stage1_train, stratified by image type.

DSB 2018 mixes fluorescence, brightfield and H&E tissue images in very unequal numbers; a plain
random split can leave a rare type out of a fold. Images are clustered on cheap appearance features
(k-means) and each cluster is dealt round-robin over the folds.

    python -m nucleispark_train.folds --data /work/shared/data/dsb2018/stage1_train
"""
import argparse
import csv
from pathlib import Path

import numpy as np

from . import data

REPO_ROOT = Path(__file__).resolve().parents[4]
DEFAULT_OUT = REPO_ROOT / "models" / "splits" / "dsb2018_folds.csv"
N_FOLDS = 4
HIST_BINS = 8


def image_features(raw):
    """Appearance features of one raw image: colour, brightness, contrast, per-channel histograms.

    Values are scaled to [0, 1] by the dtype's range (not by percentiles) so that dark-background
    fluorescence and light-background brightfield stay apart.
    """
    scale = 255.0 if raw.dtype == np.uint8 else float(np.iinfo(raw.dtype).max)
    planes = data.to_rgb_planes(raw) / scale
    colourfulness = float(np.mean(planes.max(axis=0) - planes.min(axis=0)))
    hists = [np.histogram(p, bins=HIST_BINS, range=(0.0, 1.0))[0] / p.size for p in planes]
    h, w = raw.shape[:2]
    scalars = [planes.mean(), planes.std(), colourfulness, np.log10(h * w)]
    return np.concatenate([scalars, *hists])


def standardise(features):
    std = features.std(axis=0)
    return (features - features.mean(axis=0)) / np.where(std > 0, std, 1.0)


def kmeans(x, k, seed=0, restarts=10, iterations=100):
    """Plain Lloyd's k-means with k-means++ starts; returns labels of the lowest-inertia restart."""
    rng = np.random.default_rng(seed)
    best_labels, best_inertia = None, np.inf
    for _ in range(restarts):
        centres = kmeans_pp(x, k, rng)
        for _ in range(iterations):
            dist = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2)
            labels = dist.argmin(axis=1)
            moved = np.array([x[labels == c].mean(axis=0) if np.any(labels == c) else centres[c]
                              for c in range(k)])
            if np.allclose(moved, centres):
                break
            centres = moved
        inertia = dist[np.arange(len(x)), labels].sum()
        if inertia < best_inertia:
            best_labels, best_inertia = labels, inertia
    return relabel_by_size(best_labels, k)


def kmeans_pp(x, k, rng):
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        d2 = np.min([((x - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(x[rng.choice(len(x), p=d2 / d2.sum())])
    return np.array(centres)


def relabel_by_size(labels, k):
    """Cluster 0 = largest: makes the cluster index stable and readable across restarts."""
    order = sorted(range(k), key=lambda c: (-np.sum(labels == c), c))
    remap = np.empty(k, dtype=int)
    remap[order] = np.arange(k)
    return remap[labels]


def assign_folds(ids, clusters, n_folds=N_FOLDS, seed=0):
    """Deal each cluster's ids (sorted, then seeded shuffle) round-robin over the folds.

    The dealing position carries over from one cluster to the next so fold sizes differ by <= 1.
    """
    rng = np.random.default_rng(seed)
    folds, position = {}, 0
    for c in sorted(set(clusters)):
        members = sorted(i for i, cl in zip(ids, clusters) if cl == c)
        for image_id in rng.permutation(members):
            folds[str(image_id)] = position % n_folds
            position += 1
    return folds


def read_folds(path=DEFAULT_OUT):
    """{image_id: (fold, image_type)} from a folds CSV."""
    with open(path, newline="") as f:
        return {r["image_id"]: (int(r["fold"]), int(r["image_type"])) for r in csv.DictReader(f)}


def write_folds(path, ids, folds, clusters):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_id", "fold", "image_type"])
        for image_id, c in sorted(zip(ids, clusters)):
            w.writerow([image_id, folds[image_id], int(c)])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="DSB-layout folder (stage1_train)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--k", type=int, default=5, help="number of image-type clusters")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    ids = data.list_ids(args.data)
    features = standardise(np.array([image_features(data.read_raw(args.data, i)) for i in ids]))
    clusters = kmeans(features, args.k, seed=args.seed)
    folds = assign_folds(ids, clusters, seed=args.seed)
    write_folds(args.out, ids, folds, clusters)

    print(f"wrote {args.out} ({len(ids)} images)")
    for c in range(args.k):
        members = [i for i, cl in zip(ids, clusters) if cl == c]
        per_fold = [sum(folds[i] == f for i in members) for f in range(N_FOLDS)]
        print(f"cluster {c}: {len(members)} images, per fold {per_fold}")
    print("fold sizes:", [sum(v == f for v in folds.values()) for f in range(N_FOLDS)])


if __name__ == "__main__":
    main()


def add_oof_arguments(parser):
    """The options every out-of-fold prediction script takes (model, fold, data, splits, out, threads)."""
    from pathlib import Path
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--fold", required=True, help="0..3 or all")
    parser.add_argument("--data", required=True)
    parser.add_argument("--splits", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)


def write_held_out(args, predict):
    """Runs predict(normalised image) -> dict of arrays on every held-out image of args.fold and
    writes each result to <args.out>/<image_id>.npz, with progress every 20 images."""
    import numpy as np
    from . import data
    ids = held_out_ids(args.data, args.fold, args.splits)
    args.out.mkdir(parents=True, exist_ok=True)
    for n, image_id in enumerate(ids, 1):
        np.savez_compressed(args.out / f"{image_id}.npz", **predict(data.normalise(data.read_raw(args.data, image_id))))
        if n % 20 == 0 or n == len(ids):
            print(f"{n}/{len(ids)}", flush=True)


def training_ids(data_root, fold, splits=DEFAULT_OUT):
    """Image ids a model trained with --fold fold saw: every id outside that fold, or all of them for fold None or
    'all' (model.json training.fold)."""
    ids = data.list_ids(data_root)
    if fold in (None, "all"):
        return ids
    assignment = read_folds(splits)
    return [i for i in ids if assignment.get(i, (None,))[0] != int(fold)]


def held_out_ids(data_root, fold, splits=DEFAULT_OUT):
    """Image ids of one fold (its out-of-fold set), or every id under data_root for fold 'all'."""
    from . import data
    ids = data.list_ids(data_root)
    if fold == "all":
        return ids
    assignment = read_folds(splits)
    return [i for i in ids if assignment[i][0] == int(fold)]
