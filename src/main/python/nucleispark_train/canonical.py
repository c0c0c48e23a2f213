"""One canonical network input for every modality: nuclei bright on a dark background, one grey plane.

Fluorescence is used as is; brightfield (a bright field with dark nuclei) is inverted; colour histology
(H&E, IHC) is reduced to its haematoxylin optical density by colour deconvolution (Ruifrok & Johnston,
Anal. Quant. Cytol. Histol. 23:291, 2001, with scikit-image's stain vectors). The modality is decided per
image from two numbers any user can recompute; Java (org.nucleispark.image.CanonicalInput) implements the
same arithmetic and a test compares the two on the sample images.

Decision (all arithmetic float64 over raw sample values, alpha dropped):
  chroma   = mean over pixels of (max channel - min channel) / (hi - lo)   (0 for a grey image)
  bright   = fraction of pixels whose channel mean is above (lo + hi) / 2
  where lo, hi = percentile 1 and 99.8 of the per-pixel channel mean.
  histology   if chroma > CHROMA_THRESHOLD
  brightfield if not histology and bright > BRIGHT_THRESHOLD
  fluorescence otherwise
The grey plane is then normalised by the usual percentile rule (1 / 99.8 over its H*W values) and
replicated to the three input planes the network takes.
"""
import numpy as np

CHROMA_THRESHOLD = 0.06
BRIGHT_THRESHOLD = 0.5
LOW_PERCENTILE = 1.0
HIGH_PERCENTILE = 99.8
MIN_RANGE = 1e-6
MODALITIES = ("fluorescence", "brightfield", "histology")

# scikit-image's rgb_from_hed (Ruifrok & Johnston): rows are the H, E and DAB stain vectors.
RGB_FROM_HED = np.array([[0.65, 0.70, 0.29],
                         [0.07, 0.99, 0.11],
                         [0.27, 0.57, 0.78]])
HED_FROM_RGB = np.linalg.inv(RGB_FROM_HED)

# Served histology adds the DAB concentration above DAB_ABOVE, times DAB_GAIN, to the haematoxylin (model.json
# normalisation.dab_above, dab_gain): in nuclear immunohistochemistry (Ki-67, ER, PR) the antibody's brown DAB
# replaces most of a positive nucleus' haematoxylin, and on the haematoxylin plane alone such nuclei vanish into the
# background. On H&E the deconvolution leaves a DAB residual (about +0.04 in the background, -0.06 in nuclei, up to
# 0.2 at the 99th percentile of some images); the threshold keeps it out. Chosen with the shipped U-Net (one view) on
# the held-out histology, its re-stained copies and the same images as nuclear IHC (held_out_sets --ihc), mAP:
#   haematoxylin alone 0.2471 / 0.2450 / 0.119;  above 0.1, gain 1: 0.2460 / 0.2425 / 0.289 (re-stained worst
#   image -0.085);  above 0.2, gain 2: 0.2468 / 0.2446 / 0.308 (-0.056);  above 0.25, gain 2: 0.2467 / 0.2455 /
#   0.275 (worst -0.006 and -0.020), the one kept: H&E as good as before, IHC's brown nuclei found.
# Membranous IHC (HER2, CD markers: a DAB ring around haematoxylin nuclei, held_out_sets --ihc-membrane) fell from
# 0.247 to 0.061 with it: the rings became nuclei. So only solid DAB regions count, and none in an image whose DAB
# is mostly rings (solid_regions): membranous 0.244, nuclear 0.277, H&E and re-stained unchanged.
# Training keeps the haematoxylin alone (dab_above None): its 107 colour images are all H&E.
DAB_ABOVE = 0.25
DAB_GAIN = 2.0
DAB_SOLID = 1.5  # only solid DAB regions count (solid_regions): a ring's filled area is about twice its own
DAB_SOLID_SHARE = 0.5  # and none when less than this share of the image's DAB is in solid regions

# What the networks see of colour histology as served (model.json normalisation.histology_input): "grey", the image's
# inverted channel mean with the DAB of membranous rings taken out (histology_grey), or "haematoxylin", the plane above
# (grey_plane), which stays the one the nuclei are measured on (measuring_plane) whatever the networks see. The
# networks were trained on the haematoxylin (and 9 % of their histology crops as grey scans), yet both score more on
# the grey plane: the deconvolution's haematoxylin is speckled, the channel mean is not. Shipped weights, one view,
# held-out DSB histology / re-stained / x2 / nuclear IHC / membranous IHC (docs/generalisation.md, "The grey plane"):
#   U-Net      haematoxylin 0.2694 / 0.2716 / 0.2632 / 0.2924 / 0.2608;  grey 0.2945 / 0.3075 / 0.2906 / 0.3700 / 0.2666
#   (the plain inverted mean without the ring removal: membranous 0.0677, its rings become nuclei; score_histology_inputs)
# Membranous IHC is the exception: with its four TTA views the U-Net scores it better on the haematoxylin (0.2810
# against 0.2663 on the held-out images as membranous IHC, score_histology_inputs --views 4; the job: 0.273 against 0.258), since the ring taken out of
# the grey plane still leaves its edges and the parts below dab_above. So an image whose DAB above dab_above covers at
# least MEMBRANOUS_SHARE of its pixels and is mostly rings (solid regions below dab_solid_share of it) is served the
# haematoxylin (model.json normalisation.membranous_share). On the held-out sets that is 53 of the 54 membranous images
# (their DAB above 0.25 covers 3-17 % of the pixels) and none of the H&E, re-stained or nuclear IHC ones (H&E at most
# 0.3 %, re-stained images whose DAB is mostly not solid at most 0.5 %). Neither shipped network uses it now: the Mask
# R-CNN never did, and the U-Net trained on the grey plane (train_unet --histology-input grey) scores membranous IHC
# better grey (0.2953 against 0.2862, four views), so both model.json blocks say membranous_share null. An export's
# default follows what its network was trained on (membranous_share_for).
HISTOLOGY_INPUTS = ("haematoxylin", "grey")
HISTOLOGY_INPUT = "grey"
MEMBRANOUS_SHARE = 0.01


def rgb_planes(raw):
    """(H, W, C) raw values (C = 1 or 3) -> (3, H, W) float64, grey replicated (data.to_rgb_planes is this)."""
    planes = np.moveaxis(raw, 2, 0).astype(np.float64)
    if planes.shape[0] == 1:
        planes = np.repeat(planes, 3, axis=0)
    return planes


def full_scale(raw):
    """The largest value the stored sample type can hold (255 for 8-bit, 65535 for 16-bit)."""
    return 65535.0 if raw.dtype.itemsize >= 2 else 255.0


def detect(raw):
    """The image's modality: 'fluorescence', 'brightfield' or 'histology'."""
    planes = rgb_planes(raw)
    mean = planes.mean(axis=0)
    lo, hi = np.percentile(mean, [LOW_PERCENTILE, HIGH_PERCENTILE])
    span = max(hi - lo, MIN_RANGE)
    chroma = float((planes.max(axis=0) - planes.min(axis=0)).mean() / span)
    if chroma > CHROMA_THRESHOLD:
        return "histology"
    bright = float((mean > (lo + hi) / 2.0).mean())
    return "brightfield" if bright > BRIGHT_THRESHOLD else "fluorescence"


def optical_density(raw):
    """(3, H, W) float64 optical density of the raw colours, as skimage.color.rgb2hed computes it."""
    rgb = np.maximum(rgb_planes(raw) / full_scale(raw), 1e-6)  # skimage clamps at 1e-6 before the log
    return -np.log(rgb) / np.log(10.0)


def grey_plane(raw, modality, dab_above=None, dab_gain=DAB_GAIN, dab_solid=DAB_SOLID, dab_solid_share=DAB_SOLID_SHARE,
               histology_input="haematoxylin", membranous_share=None):
    """(H, W) float64, nuclei bright: the plane the canonical input is normalised from. With dab_above, histology
    is haematoxylin + dab_gain * max(0, DAB - dab_above) in the solid regions of DAB above dab_above
    (solid_regions), both by the same deconvolution; with histology_input "grey", histology_grey instead, unless
    the image is membranous IHC (membranous, with membranous_share)."""
    if modality == "histology" and histology_input not in HISTOLOGY_INPUTS:
        raise ValueError(f"unknown histology input {histology_input!r}; expected one of {HISTOLOGY_INPUTS}")
    regions = None
    if modality == "histology" and histology_input == "grey":
        # one deconvolution and one labelling for the membranous decision and either plane
        regions = None if dab_above is None else dab_regions(raw, dab_above, dab_solid)
        if not (regions is not None and membranous_share is not None
                and membranous(raw, dab_above, dab_solid, dab_solid_share, membranous_share, regions=regions)):
            return histology_grey(raw, dab_above, dab_solid, dab_solid_share, regions=regions)
    if modality == "fluorescence":
        return rgb_planes(raw).mean(axis=0)
    if modality == "brightfield":
        return -rgb_planes(raw).mean(axis=0)
    if modality == "histology":
        od = optical_density(raw)
        # haematoxylin = sum_c od_c * HED_FROM_RGB[c, 0]
        h = od[0] * HED_FROM_RGB[0, 0] + od[1] * HED_FROM_RGB[1, 0] + od[2] * HED_FROM_RGB[2, 0]
        if dab_above is None:
            return h
        dab, above, solid = regions or dab_regions(raw, dab_above, dab_solid, od=od)
        return h + dab_gain * np.maximum(dab - dab_above, 0.0) * solid_regions(above, dab_solid, dab_solid_share,
                                                                               solid=solid)
    raise ValueError(f"unknown modality {modality!r}; expected one of {MODALITIES}")


def histology_grey(raw, dab_above=None, dab_solid=DAB_SOLID, dab_solid_share=DAB_SOLID_SHARE, regions=None):
    """(H, W) float64: minus the mean over channels of the transmittance t_c = max(v_c / full scale, 1e-6), nuclei
    bright. With dab_above, the DAB of the regions above dab_above that are not solid (solid_regions: the rings of
    membranous IHC) is taken out first, t_c * 10 ** (DAB * rgb_from_hed[2, c]), the colour the pixel would have
    without that stain; the solid DAB of nuclear IHC stays, dark like a nucleus. regions: dab_regions(raw, dab_above,
    dab_solid) when the caller has them."""
    t = np.maximum(rgb_planes(raw) / full_scale(raw), 1e-6)
    if dab_above is not None:
        dab, above, solid = regions or dab_regions(raw, dab_above, dab_solid)
        ring = np.where(above & ~solid_regions(above, dab_solid, dab_solid_share, solid=solid), dab, 0.0)
        t = np.stack([t[c] * 10.0 ** (ring * RGB_FROM_HED[2, c]) for c in range(3)])
    return -((t[0] + t[1] + t[2]) / 3.0)


def dab_density(raw, od=None):
    """(H, W) float64 DAB optical density by the standard deconvolution, summed over channels in order. od:
    optical_density(raw) when the caller has it."""
    od = optical_density(raw) if od is None else od
    return od[0] * HED_FROM_RGB[0, 2] + od[1] * HED_FROM_RGB[1, 2] + od[2] * HED_FROM_RGB[2, 2]


def dab_regions(raw, dab_above=DAB_ABOVE, dab_solid=DAB_SOLID, od=None):
    """(DAB density, its pixels above dab_above, the solid part of those (solid_mask)): what the membranous decision,
    histology_grey and the haematoxylin plane's DAB term need, computed once. od: optical_density(raw) when the
    caller has it."""
    dab = dab_density(raw, od)
    above = dab > dab_above
    return dab, above, solid_mask(above, dab_solid)


def membranous(raw, dab_above=DAB_ABOVE, dab_solid=DAB_SOLID, dab_solid_share=DAB_SOLID_SHARE,
               membranous_share=MEMBRANOUS_SHARE, regions=None):
    """Whether an image is membranous IHC: its DAB above dab_above covers at least membranous_share of its pixels and
    less than dab_solid_share of that lies in solid regions (rings, not nuclei). regions: dab_regions(raw,
    dab_above, dab_solid) when the caller has them."""
    _, above, solid = regions or dab_regions(raw, dab_above, dab_solid)
    n = int(above.sum())
    return n >= membranous_share * above.size and int(solid.sum()) < dab_solid_share * n


def solid_mask(mask, solid_below=DAB_SOLID):
    """(H, W) bool: the pixels of mask whose 8-connected region, holes filled, is less than solid_below times its
    own area (solid_regions without the image-wide share)."""
    from scipy import ndimage
    filled = ndimage.binary_fill_holes(mask)
    labels, n = ndimage.label(filled, structure=np.ones((3, 3), bool))
    if n == 0:
        return mask
    filled_area = np.bincount(labels.ravel(), minlength=n + 1)
    own_area = np.bincount(labels.ravel(), weights=mask.ravel(), minlength=n + 1)
    solid = filled_area < solid_below * np.maximum(own_area, 1)
    solid[0] = False
    return mask & solid[labels]


def solid_regions(mask, solid_below=DAB_SOLID, share=DAB_SOLID_SHARE, solid=None):
    """(H, W) bool: the pixels of mask whose 8-connected region, holes filled, is less than solid_below times its own
    area, or none when they are less than share of the mask. Nuclear DAB is a solid blob; membranous DAB (HER2, CD
    markers) is a ring around a haematoxylin nucleus, and adding it would make the ring a nucleus. Holes are what the
    background cannot reach from outside the image through 4-connected steps (scipy's binary_fill_holes; Java
    floods from a padded border). solid: solid_mask(mask, solid_below) when the caller has it."""
    kept = solid_mask(mask, solid_below) if solid is None else solid
    # most of the DAB in rings: a membranous stain, whose broken rings are solid arcs; none of it is nuclei
    return kept if kept.sum() >= share * mask.sum() else np.zeros_like(mask)


def normalise_plane(grey):
    lo, hi = np.percentile(grey, [LOW_PERCENTILE, HIGH_PERCENTILE])
    return np.clip((grey - lo) / max(hi - lo, MIN_RANGE), 0.0, 1.0)


def canonical(raw, modality="auto", dab=None, histology_input="haematoxylin", membranous_share=None):
    """(3, H, W) float32 network input in [0, 1], and the modality used. dab: served_dab's tuple as served
    (served_dab), None for training; histology_input and membranous_share: model.json's (served), "haematoxylin"
    for training."""
    if modality == "auto":
        modality = detect(raw)
    x = normalise_plane(grey_plane(raw, modality, *(dab or (None,)), histology_input=histology_input,
                                   membranous_share=membranous_share)).astype(np.float32)
    return np.repeat(x[None], 3, axis=0), modality


def served(raw, normalisation, modality="auto"):
    """(network input, modality, measuring plane) as a model.json canonical block serves an image: the plane the
    nuclei are measured on (scale.served_factor) is the haematoxylin one, whatever the network sees of histology."""
    dab = served_dab(normalisation)
    x, used = canonical(raw, modality, dab, served_histology_input(normalisation), normalisation.get("membranous_share"))
    if used != "histology" or served_histology_input(normalisation) == "haematoxylin":
        return x, used, x[0]
    return x, used, canonical(raw, used, dab)[0][0]


def served_histology_input(normalisation):
    """model.json normalisation.histology_input; absent (models exported before it): "haematoxylin"."""
    value = normalisation.get("histology_input") or "haematoxylin"
    if value not in HISTOLOGY_INPUTS:
        raise ValueError(f"unknown histology_input {value!r}; expected one of {HISTOLOGY_INPUTS}")
    return value


def served_dab(normalisation):
    """(dab_above, dab_gain, dab_solid, dab_solid_share) as a model.json canonical block asks, or None: a model
    exported before them, haematoxylin alone."""
    if normalisation.get("dab_above") is None:
        return None
    return tuple(normalisation[k] for k in ("dab_above", "dab_gain", "dab_solid", "dab_solid_share"))


def membranous_share_for(trained_on):
    """The membranous switch an export serves by default, from what its network saw of histology in training
    (model.json training.histology_input; None or absent: the haematoxylin). A network trained on the haematoxylin
    plane scores membranous IHC better on it (MEMBRANOUS_SHARE); one trained on the grey plane scores it better grey
    (None: no switch). Measurements in the comment above MEMBRANOUS_SHARE."""
    trained_on = trained_on or "haematoxylin"
    if trained_on not in HISTOLOGY_INPUTS:
        raise ValueError(f"unknown histology input {trained_on!r}; expected one of {HISTOLOGY_INPUTS}")
    return None if trained_on == "grey" else MEMBRANOUS_SHARE


def metadata(dab_above=DAB_ABOVE, dab_gain=DAB_GAIN, dab_solid=DAB_SOLID, dab_solid_share=DAB_SOLID_SHARE,
             histology_input=HISTOLOGY_INPUT, trained_on=None):
    """What model.json records so that Java applies the identical transform. trained_on: what the exported network
    saw of histology in training (its membranous_share follows, membranous_share_for)."""
    return {
        "method": "canonical",
        "modalities": list(MODALITIES),
        "chroma_threshold": CHROMA_THRESHOLD,
        "bright_threshold": BRIGHT_THRESHOLD,
        "low": LOW_PERCENTILE,
        "high": HIGH_PERCENTILE,
        "min_range": MIN_RANGE,
        "clip": [0.0, 1.0],
        "hed_from_rgb_column0": [float(v) for v in HED_FROM_RGB[:, 0]],
        "hed_from_rgb_column2": [float(v) for v in HED_FROM_RGB[:, 2]],
        "dab_above": dab_above,
        "dab_gain": dab_gain,
        "dab_solid": dab_solid,
        "dab_solid_share": dab_solid_share,
        "histology_input": histology_input,
        "rgb_from_hed_row2": [float(v) for v in RGB_FROM_HED[2]],
        "membranous_share": membranous_share_for(trained_on),
        "formula": ("see nucleispark_train/canonical.py: modality by chroma and bright fraction; grey = "
                    "channel mean (fluorescence), its negation (brightfield) or haematoxylin optical density "
                    "(histology, -log10(max(v/full_scale,1e-6)) . hed_from_rgb[:,0]) plus dab_gain * max(0, DAB - dab_above) "
                    "(DAB = od . hed_from_rgb[:,2]) where DAB > dab_above forms solid regions (8-connected, holes "
                    "filled, filled area < dab_solid x own area) and those hold at least dab_solid_share of it; percentile 1/99.8 over "
                    "the H*W grey values, clip to [0,1], float32, replicated to 3 planes. With histology_input grey the "
                    "network sees histology as -(mean_c t_c), t_c = max(v_c/full_scale,1e-6) * 10**(DAB * rgb_from_hed_row2[c]) "
                    "where DAB > dab_above forms no solid region (else t_c unchanged), except in an image whose DAB > dab_above "
                    "covers at least membranous_share of its pixels with less than dab_solid_share of it solid (membranous "
                    "IHC), which gets the haematoxylin plane above; that plane is the one the nuclei are measured on"),
    }


def main(argv=None):
    """Sets what an exported model's networks see of colour histology, in its model.json (the U-Net's normalisation
    block, the Mask R-CNN's serving.canonical block), with the constants Java needs; nothing else changes."""
    import argparse
    import json
    from pathlib import Path
    p = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True)
    p.add_argument("--histology-input", choices=HISTOLOGY_INPUTS, required=True)
    p.add_argument("--membranous-share", default=None,
                   help="membranous IHC (rings over this share of the pixels) keeps the haematoxylin; 'none': never. "
                        "Default: membranous_share_for the model's training.histology_input")
    args = p.parse_args(argv)
    path = args.model_dir / "model.json"
    meta = json.loads(path.read_text())
    block = meta["normalisation"] if meta["normalisation"].get("method") == "canonical" else meta["serving"]["canonical"]
    fresh = metadata(histology_input=args.histology_input)
    for key in ("histology_input", "rgb_from_hed_row2", "formula"):
        block[key] = fresh[key]
    if args.membranous_share is None:
        block["membranous_share"] = membranous_share_for(meta.get("training", {}).get("histology_input"))
    else:
        block["membranous_share"] = None if args.membranous_share == "none" else float(args.membranous_share)
    path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{path}: histology_input {args.histology_input}, membranous_share {block['membranous_share']}")


if __name__ == "__main__":
    main()
