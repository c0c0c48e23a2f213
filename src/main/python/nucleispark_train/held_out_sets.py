"""Builds the generalisation benchmark's held-out corpora: one DSB-layout folder of links per image
type, so that `segment` + `evaluate` score each type apart (bin/bench-generalisation).

    python -m nucleispark_train.held_out_sets --out DIR --dsb ROOT [--fold 0] [--extra ROOT]

Types: the DSB images of --fold (out of fold for models trained with --fold K) split by the modality
canonical.detect finds (fluorescence, brightfield, histology), and every 4th image of --extra (the
images train_unet --extra-data validates on, never trains on) as "s-bsst265". --restain N adds
"histology-restained": every histology image N times re-stained by augment.jittered_stains (draw k of the
n-th image seeded [k, n], as score_maskrcnn --restain), written as PNG beside links to its masks: the same
nuclei under another lab's stains. --magnify K adds "histology-x<K>": every histology image and its masks K times
larger (bicubic image, nearest masks), as a microscope with a K times stronger objective would show the same tissue
(the hidden H&E sets' nuclei are 2-3 times DSB's); K = 0.5 shows it as a 20x scan would. --ihc N adds
"histology-ihc": every histology image N times as nuclear immunohistochemistry (haematoxylin counterstain, half of
the nuclei brown with DAB; ihc_stained), the IHC the training data has none of; --ihc-membrane N adds
"histology-ihc-membrane", the same with a brown ring around half of the nuclei instead (membranous IHC).
"""
import argparse
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from . import augment, canonical, data, folds


def link(out, name, root, image_id):
    target = out / name / image_id
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.symlink_to(Path(root).resolve() / image_id)


def write_restained(out, root, image_ids, draws):
    """out/<id>-s<k>/images/<id>-s<k>.png re-stained, masks/ linked to the original's."""
    for n, image_id in enumerate(sorted(image_ids)):
        raw = data.read_raw(root, image_id)[..., :3]
        for k in range(draws):
            name = f"{image_id}-s{k}"
            (out / name / "images").mkdir(parents=True, exist_ok=True)
            Image.fromarray(augment.jittered_stains(raw, np.random.default_rng([k, n]))).save(
                out / name / "images" / f"{name}.png")
            masks = out / name / "masks"
            if not masks.exists():
                masks.symlink_to(Path(root).resolve() / image_id / "masks")
    return len(image_ids) * draws


IHC_EOSIN = 0.15           # what is left of the eosin: an IHC slide has a haematoxylin counterstain only
IHC_POSITIVE = 0.5         # share of nuclei stained by the antibody
IHC_TRANSFER = (0.7, 1.0)  # share of a positive nucleus' haematoxylin replaced by DAB ...
IHC_DAB_GAIN = (1.0, 2.0)  # ... at this many times its optical density (DAB is the darker stain)


IHC_RING = 4               # membranous IHC: the DAB ring's width outside the nucleus, px
IHC_RING_OD = (0.3, 0.8)   # and its optical density


def ihc_stained(raw, masks, rng, membrane=False):
    """(H, W, 3) uint8: colour histology restained as nuclear immunohistochemistry (Ki-67, ER, PR): the
    standard deconvolution's concentrations, eosin mostly removed, and in a random half of the nuclei most of
    the haematoxylin replaced by DAB, brown. Re-synthesised with the same stain vectors, so every pixel left
    alone comes back as it was (but for the eosin). membrane=True stains a ring around the positive nuclei instead
    (membranous IHC: HER2, CD markers), leaving their haematoxylin."""
    conc = np.tensordot(canonical.HED_FROM_RGB.T, canonical.optical_density(raw), axes=1)  # (3 stains, H, W)
    conc[1] *= IHC_EOSIN
    for mask in masks:
        if rng.random() >= IHC_POSITIVE:
            continue
        if membrane:
            ring = ndimage.binary_dilation(mask, iterations=IHC_RING) & ~mask
            conc[2][ring] += rng.uniform(*IHC_RING_OD)
            continue
        share, gain = rng.uniform(*IHC_TRANSFER), rng.uniform(*IHC_DAB_GAIN)
        h = np.maximum(conc[0][mask], 0.0)
        conc[2][mask] += share * gain * h
        conc[0][mask] -= share * h
    rgb = 10.0 ** -np.tensordot(canonical.RGB_FROM_HED.T, conc, axes=1)
    return np.moveaxis(np.clip(rgb, 0.0, 1.0) * 255.0, 0, 2).round().astype(np.uint8)


def write_ihc(out, root, image_ids, draws, membrane=False):
    """out/<id>-ihc<k>/images/<id>-ihc<k>.png restained as nuclear (or membranous) IHC (draw k of the n-th image
    seeded [k, n]), masks/ linked to the original's."""
    for n, image_id in enumerate(sorted(image_ids)):
        raw = data.read_raw(root, image_id)[..., :3]
        masks = [np.array(Image.open(m)) > 0 for m in sorted((Path(root) / image_id / "masks").glob("*.png"))]
        for k in range(draws):
            name = f"{image_id}-ihc{k}"
            (out / name / "images").mkdir(parents=True, exist_ok=True)
            Image.fromarray(ihc_stained(raw, masks, np.random.default_rng([k, n]), membrane)).save(
                out / name / "images" / f"{name}.png")
            link_masks = out / name / "masks"
            if not link_masks.exists():
                link_masks.symlink_to(Path(root).resolve() / image_id / "masks")
    return len(image_ids) * draws


def write_magnified(out, root, image_ids, k):
    """out/<id>/images/<id>.png and out/<id>/masks/*.png, each k times larger (k below 1: smaller, a weaker
    objective; a mask that vanishes at that size is left out)."""
    for image_id in sorted(image_ids):
        folder = Path(root) / image_id
        image = Image.open(next((folder / "images").glob("*.png")))
        size = (max(1, round(image.width * k)), max(1, round(image.height * k)))
        (out / image_id / "images").mkdir(parents=True, exist_ok=True)
        (out / image_id / "masks").mkdir(parents=True, exist_ok=True)
        image.resize(size, Image.BICUBIC).save(out / image_id / "images" / f"{image_id}.png")
        for mask in sorted((folder / "masks").glob("*.png")):
            resized = Image.open(mask).resize(size, Image.NEAREST)
            if resized.getbbox():  # a nucleus too small to survive the shrink is no longer in the truth
                resized.save(out / image_id / "masks" / mask.name)
    return len(image_ids)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--dsb", required=True)
    p.add_argument("--fold", type=int, default=0)
    p.add_argument("--extra", default=None)
    p.add_argument("--limit", type=int, default=None, help="at most this many images per type (quick runs)")
    p.add_argument("--restain", type=int, default=0, help="add histology-restained: each histology image this many times")
    p.add_argument("--magnify", type=float, default=0, help="add histology-x<K>: each histology image K times larger")
    p.add_argument("--ihc", type=int, default=0, help="add histology-ihc: each histology image this many times as nuclear IHC")
    p.add_argument("--ihc-membrane", type=int, default=0,
                   help="add histology-ihc-membrane: each histology image this many times as membranous IHC")
    args = p.parse_args(argv)
    assignment = folds.read_folds()
    counts = {}
    for image_id in data.list_ids(args.dsb):
        if assignment.get(image_id, (None,))[0] != args.fold:
            continue
        kind = canonical.detect(data.read_raw(args.dsb, image_id))
        if args.limit and counts.get(kind, 0) >= args.limit:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        link(args.out, kind, args.dsb, image_id)
    if args.extra:
        for k, image_id in enumerate(data.list_ids(args.extra)):
            if k % 4 == 3 and not (args.limit and counts.get("s-bsst265", 0) >= args.limit):
                counts["s-bsst265"] = counts.get("s-bsst265", 0) + 1
                link(args.out, "s-bsst265", args.extra, image_id)
    # the histology variants are all made from the fold's histology images, linked above
    histology = [d.name for d in (args.out / "histology").iterdir()] if counts.get("histology") else []
    if args.restain and histology:
        counts["histology-restained"] = write_restained(args.out / "histology-restained", args.dsb, histology,
                                                        args.restain)
    if args.magnify and histology:
        kind = f"histology-x{args.magnify:g}"
        counts[kind] = write_magnified(args.out / kind, args.dsb, histology, args.magnify)
    if args.ihc and histology:
        counts["histology-ihc"] = write_ihc(args.out / "histology-ihc", args.dsb, histology, args.ihc)
    if args.ihc_membrane and histology:
        counts["histology-ihc-membrane"] = write_ihc(args.out / "histology-ihc-membrane", args.dsb, histology,
                                                     args.ihc_membrane, membrane=True)
    for kind, n in sorted(counts.items()):
        print(f"{kind}\t{n}")


if __name__ == "__main__":
    main()
