"""The canonical input: modality decisions on known cases, and the committed Java reference still true."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nucleispark_train import canonical

REFERENCE = Path(__file__).resolve().parents[3] / "test" / "resources" / "canonical"


def test_dark_background_grey_is_fluorescence_and_kept_as_is():
    raw = np.zeros((20, 20, 1), np.uint8)
    raw[5:10, 5:10] = 200
    x, modality = canonical.canonical(raw)
    assert modality == "fluorescence"
    assert x.shape == (3, 20, 20) and x[0, 7, 7] == 1.0 and x[0, 0, 0] == 0.0


def test_bright_field_is_inverted_so_nuclei_are_bright():
    raw = np.full((20, 20, 3), 220, np.uint8)
    raw[5:10, 5:10] = 40
    x, modality = canonical.canonical(raw)
    assert modality == "brightfield"
    assert x[0, 7, 7] == 1.0 and x[0, 0, 0] == 0.0


def test_purple_nuclei_on_pink_are_histology_and_haematoxylin_bright():
    raw = np.zeros((20, 20, 3), np.uint8)
    raw[:] = (235, 160, 200)       # eosin pink
    raw[5:10, 5:10] = (90, 50, 150)  # haematoxylin purple
    x, modality = canonical.canonical(raw)
    assert modality == "histology"
    assert x[0, 7, 7] > 0.9 and x[0, 0, 0] < 0.1


def test_a_forced_modality_overrides_detection():
    raw = np.full((8, 8, 1), 100, np.uint8)
    raw[0, 0] = 0
    _, modality = canonical.canonical(raw, "brightfield")
    assert modality == "brightfield"
    with pytest.raises(ValueError):
        canonical.grey_plane(raw, "phase")


def test_the_committed_java_reference_is_what_python_computes():
    spec = importlib.util.spec_from_file_location("make_reference", REFERENCE / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = json.loads((REFERENCE / "canonical_reference.json").read_text())
    assert module.reference() == committed


# ---------------------------------------------------------------- stain jitter (augment.restained)

def _he_slide(rng, size=64):
    """Synthetic H&E: haematoxylin discs (nuclei) on a graded eosin background, through the standard vectors."""
    yy, xx = np.mgrid[:size, :size]
    h = np.zeros((size, size))
    for cy, cx in [(16, 16), (40, 44), (20, 48)]:
        h[(yy - cy) ** 2 + (xx - cx) ** 2 < 64] = 0.8
    eosin = 0.1 + 0.4 * xx / size  # varying, or any stain mixing would be undone by the normalisation
    conc = np.stack([h, eosin, np.zeros_like(h)])
    rgb = 10.0 ** -np.tensordot(canonical.RGB_FROM_HED.T, conc, axes=1) + rng.normal(0, 0.004, (3, size, size))
    return (np.clip(np.moveaxis(rgb, 0, 2), 0, 1) * 255).astype(np.uint8), h > 0


def test_stain_jitter_without_perturbation_is_the_same_haematoxylin(monkeypatch):
    from nucleispark_train import augment
    raw, _ = _he_slide(np.random.default_rng(0))
    for name in ("STAIN_VECTOR_SIGMA", "STAIN_SCALE_SIGMA", "STAIN_SHIFT"):
        monkeypatch.setattr(augment, name, 0.0)
    before = canonical.normalise_plane(canonical.grey_plane(raw, "histology"))
    after = canonical.normalise_plane(canonical.grey_plane(augment.jittered_stains(raw, np.random.default_rng(1)), "histology"))
    assert np.abs(after - before).max() < 0.03  # 8-bit requantisation only


def test_restained_windows_keep_nuclei_bright_and_vary():
    from nucleispark_train import augment
    raw, nuclei = _he_slide(np.random.default_rng(0))
    rng = np.random.default_rng(3)
    outputs = [augment.restained(np.moveaxis(raw, 2, 0), rng) for _ in range(40)]
    changed = [o for o in outputs if o is not None]
    assert 0.3 * len(outputs) < len(changed) < 0.9 * len(outputs)  # STAIN_JITTER_P = 0.6 of the draws
    for o in changed:
        assert o.shape == (3, 64, 64) and o.dtype == np.float32 and 0.0 <= o.min() and o.max() <= 1.0
        assert o[0][nuclei].mean() > o[0][~nuclei].mean() + 0.4  # whatever the stains, nuclei stay bright
    plain = canonical.canonical(raw)[0][0]
    assert max(np.abs(o[0] - plain).mean() for o in changed) > 0.01  # and the input does vary


def test_restained_windows_for_the_grey_input_are_mostly_that_grey(monkeypatch):
    """histology_input grey (train_unet --histology-input grey): a jittered crop is seen as canonical.histology_grey,
    a share of them as the haematoxylin plane, the rest as cached; without jitter each is the plane it names."""
    from nucleispark_train import augment
    raw, nuclei = _he_slide(np.random.default_rng(0))
    for name in ("STAIN_VECTOR_SIGMA", "STAIN_SCALE_SIGMA", "STAIN_SHIFT"):
        monkeypatch.setattr(augment, name, 0.0)
    grey = canonical.normalise_plane(canonical.histology_grey(raw, canonical.DAB_ABOVE))
    haematoxylin = canonical.normalise_plane(canonical.grey_plane(raw, "histology"))
    assert np.abs(grey - haematoxylin).mean() > 0.02, "two different planes"
    rng = np.random.default_rng(5)
    seen = {"grey": 0, "haematoxylin": 0, "cached": 0}
    for _ in range(200):
        o = augment.restained(np.moveaxis(raw, 2, 0), rng, "grey")
        if o is None:
            seen["cached"] += 1
            continue
        assert o.shape == (3, 64, 64) and o.dtype == np.float32
        assert o[0][nuclei].mean() > o[0][~nuclei].mean() + 0.4
        kind = "grey" if np.abs(o[0] - grey).mean() < np.abs(o[0] - haematoxylin).mean() else "haematoxylin"
        assert np.abs(o[0] - (grey if kind == "grey" else haematoxylin)).max() < 0.05  # 8-bit requantisation only
        seen[kind] += 1
    # STAIN_JITTER_P 0.6, HAEMATOXYLIN_SHARE_OF_GREY 0.2: 40 % grey, 20 % haematoxylin, 40 % cached
    assert 60 < seen["grey"] < 100 and 20 < seen["haematoxylin"] < 60 and 60 < seen["cached"] < 100, seen
    with pytest.raises(ValueError):
        augment.restained(np.moveaxis(raw, 2, 0), np.random.default_rng(0), "eosin")


def test_histology_augmentation_with_raw_colour_gives_a_training_pair():
    from nucleispark_train import augment, data
    raw, nuclei = _he_slide(np.random.default_rng(0))
    image = canonical.canonical(raw)[0]
    targets = data.make_targets(nuclei.astype(np.uint16))
    for seed in range(10):
        img, tgt = augment.augment(image, targets, 32, np.random.default_rng(seed), True, np.moveaxis(raw, 2, 0))
        assert tuple(img.shape) == (3, 32, 32) and tuple(tgt.shape) == (2, 32, 32)
        if tgt[0].sum() > 20 and (1 - tgt[0]).sum() > 20:
            assert img[0][tgt[0] > 0].mean() > img[0][tgt[0] == 0].mean()


def test_held_out_sets_restain_writes_each_histology_image_under_other_stains(tmp_path):
    """bin/bench-generalisation --restain: the same nuclei (masks linked), other colours, reproducible."""
    from nucleispark_train import data, held_out_sets
    sample = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
    image_id = next(i for i in data.list_ids(sample) if i.startswith("1631352d"))  # H&E
    assert held_out_sets.write_restained(tmp_path / "a", sample, [image_id], 2) == 2
    held_out_sets.write_restained(tmp_path / "b", sample, [image_id], 2)
    raw = data.read_raw(sample, image_id)[..., :3]
    for k in range(2):
        name = f"{image_id}-s{k}"
        copy = data.read_raw(tmp_path / "a", name)
        assert copy.shape == raw.shape and np.abs(copy.astype(int) - raw).mean() > 2
        assert np.array_equal(copy, data.read_raw(tmp_path / "b", name))  # fixed seeds
        assert np.array_equal(data.read_labels(tmp_path / "a", name, raw.shape[:2]),
                              data.read_labels(sample, image_id, raw.shape[:2]))
        assert canonical.detect(copy) == "histology"


def test_held_out_sets_magnify_writes_each_histology_image_and_its_masks_larger(tmp_path):
    """bin/bench-generalisation --magnify 2: the same tissue at twice the magnification, nuclei twice as wide."""
    from nucleispark_train import data, held_out_sets, scale
    sample = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
    image_id = next(i for i in data.list_ids(sample) if i.startswith("1631352d"))  # H&E
    assert held_out_sets.write_magnified(tmp_path, sample, [image_id], 2) == 1
    raw = data.read_raw(sample, image_id)
    big = data.read_raw(tmp_path, image_id)
    assert big.shape[:2] == (2 * raw.shape[0], 2 * raw.shape[1]) and canonical.detect(big) == "histology"
    truth = data.read_labels(sample, image_id, raw.shape[:2])
    truth2 = data.read_labels(tmp_path, image_id, big.shape[:2])
    assert truth2.max() == truth.max() and np.array_equal(truth2[::2, ::2], truth)  # nearest: every mask kept
    assert scale.truth_diameter(truth2) == pytest.approx(2 * scale.truth_diameter(truth), rel=0.02)


def stained(h, e, d=0.0):
    """One RGB uint8 colour of these stain concentrations (optical densities along the deconvolution's vectors)."""
    od = h * canonical.RGB_FROM_HED[0] + e * canonical.RGB_FROM_HED[1] + d * canonical.RGB_FROM_HED[2]
    return np.round(255.0 * 10.0 ** -od).astype(np.uint8)


def he_field():
    """40x40 H&E: eosin background, one 10x10 haematoxylin nucleus; its mask."""
    raw = np.empty((40, 40, 3), np.uint8)
    raw[...] = stained(0.05, 0.3)
    mask = np.zeros((40, 40), bool)
    mask[10:20, 10:20] = True
    raw[mask] = stained(0.6, 0.1)
    return raw, mask


class AllPositive:
    """A random generator for ihc_stained that makes every nucleus positive at the top of every range (all of its
    haematoxylin turned into twice as much DAB; the darkest ring)."""
    def random(self):
        return 0.0

    def uniform(self, lo, hi):
        return hi


def test_nuclear_ihc_keeps_brown_nuclei_bright_only_with_the_dab_term():
    from nucleispark_train import held_out_sets
    raw, mask = he_field()

    ihc = held_out_sets.ihc_stained(raw, [mask], AllPositive())
    assert ihc[15, 15, 0] > ihc[15, 15, 2], "the nucleus is brown (DAB absorbs blue most)"
    assert ihc[0, 0, 1] > raw[0, 0, 1] + 20, "the eosin is mostly gone"
    assert canonical.detect(ihc) == "histology"
    alone = canonical.canonical(ihc)[0][0]
    served = canonical.canonical(ihc, dab=canonical.served_dab(canonical.metadata()))[0][0]
    assert alone[15, 15] < alone[0, 0], "on haematoxylin alone the brown nucleus is background"
    assert served[15, 15] == 1.0 and served[0, 0] < 0.1


def test_the_dab_term_leaves_haematoxylin_and_eosin_alone():
    raw, _ = he_field()
    h = canonical.grey_plane(raw, "histology")
    assert np.allclose(h, canonical.grey_plane(raw, "histology", *canonical.served_dab(canonical.metadata())))
    assert canonical.served_dab({}) is None
    assert canonical.served_dab(canonical.metadata()) == (canonical.DAB_ABOVE, canonical.DAB_GAIN, canonical.DAB_SOLID,
                                                          canonical.DAB_SOLID_SHARE)


def test_only_solid_dab_counts_and_none_in_an_image_of_rings():
    blob = np.zeros((30, 30), bool)
    blob[1:14, 1:14] = True  # 169 px: more than half of the DAB is solid
    ring = np.zeros((30, 30), bool)
    ring[15:28, 15:28] = True
    ring[17:26, 17:26] = False  # a ring: filled, 169 px for its 88
    assert np.array_equal(canonical.solid_regions(blob | ring), blob), "the blob counts, the ring does not"
    two_rings = ring | np.roll(ring, -14, axis=1)
    assert not canonical.solid_regions(two_rings | blob).any(), "mostly rings: a membranous stain, no DAB at all"
    open_arc = ring.copy()
    open_arc[20, 15:18] = False  # a broken ring is solid on its own
    assert canonical.solid_regions(open_arc).sum() == open_arc.sum()


def test_membranous_ihc_adds_no_rings_to_the_plane():
    from nucleispark_train import held_out_sets
    raw, mask = he_field()
    ihc = held_out_sets.ihc_stained(raw, [mask], AllPositive(), membrane=True)
    assert ihc[15, 15, 2] > ihc[15, 15, 0], "the nucleus stays blue"
    assert ihc[8, 15, 0] > ihc[8, 15, 2], "its ring is brown"
    served = canonical.canonical(ihc, "histology", canonical.served_dab(canonical.metadata()))[0][0]
    alone = canonical.canonical(ihc, "histology")[0][0]
    assert np.array_equal(served, alone)


def test_the_grey_histology_input_is_the_inverted_mean_without_the_rings():
    """histology_input grey: H&E as the inverted channel mean; membranous rings taken out (the plain inverted mean makes
    them nuclei: held-out membranous IHC 0.0685 against 0.2649, U-Net one view); brown nuclei of nuclear IHC kept."""
    from nucleispark_train import held_out_sets
    raw, mask = he_field()
    meta = canonical.metadata()
    x, modality, measuring = canonical.served(raw, meta)
    assert modality == "histology" and meta["histology_input"] == "grey"
    assert np.allclose(x[0], canonical.normalise_plane(-raw.astype(np.float64).mean(axis=2)), atol=1e-6)
    assert np.array_equal(measuring, canonical.canonical(raw, dab=canonical.served_dab(meta))[0][0]), "measured on H"
    assert x[0][15, 15] == 1.0 and x[0][0, 0] < 0.2

    rings = held_out_sets.ihc_stained(raw, [mask], AllPositive(), membrane=True)
    grey = canonical.served(rings, {**meta, "membranous_share": None})[0][0]
    inverted = canonical.normalise_plane(-rings.astype(np.float64).mean(axis=2))
    assert inverted[8, 15] > 0.7, "on the plain inverted mean the ring is as dark as a nucleus"
    assert grey[8, 15] < 0.4 * grey[15, 15], "taken out, it is tissue"
    # rings over more than membranous_share of the pixels: membranous IHC, served the haematoxylin
    assert canonical.membranous(rings) and not canonical.membranous(raw)
    x, _, measuring = canonical.served(rings, meta)
    assert np.array_equal(x[0], measuring)
    assert np.array_equal(x[0], canonical.canonical(rings, "histology")[0][0]), "the haematoxylin alone"

    brown = held_out_sets.ihc_stained(raw, [mask], AllPositive())
    served = canonical.served(brown, meta)[0][0]
    assert served[15, 15] == 1.0 and served[0, 0] < 0.2, "a brown nucleus is a nucleus"


def test_the_histology_input_of_older_models_is_the_haematoxylin():
    meta = canonical.metadata()
    older = {k: v for k, v in meta.items() if k != "histology_input"}
    raw, _ = he_field()
    x, _, measuring = canonical.served(raw, older)
    assert np.array_equal(x[0], measuring)
    assert np.array_equal(x[0], canonical.canonical(raw, dab=canonical.served_dab(meta))[0][0])
    with pytest.raises(ValueError):
        canonical.served(raw, {**meta, "histology_input": "eosin"})


def test_model_json_takes_the_histology_input(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"normalisation": canonical.metadata(histology_input="haematoxylin")}))
    canonical.main(["--model-dir", str(tmp_path), "--histology-input", "grey"])
    block = json.loads((tmp_path / "model.json").read_text())["normalisation"]
    assert block == canonical.metadata(histology_input="grey")
    canonical.main(["--model-dir", str(tmp_path), "--histology-input", "grey", "--membranous-share", "none"])
    assert json.loads((tmp_path / "model.json").read_text())["normalisation"]["membranous_share"] is None


def test_the_membranous_switch_follows_what_the_network_was_trained_on(tmp_path):
    """A network trained on the grey plane scores membranous IHC better grey: its export, and the canonical CLI
    without --membranous-share, write no switch; one trained on the haematoxylin (or older, unrecorded) keeps it."""
    assert canonical.membranous_share_for("grey") is None
    assert canonical.membranous_share_for("haematoxylin") == canonical.MEMBRANOUS_SHARE
    assert canonical.membranous_share_for(None) == canonical.MEMBRANOUS_SHARE
    with pytest.raises(ValueError):
        canonical.membranous_share_for("eosin")
    for trained_on, expected in (("grey", None), ("haematoxylin", canonical.MEMBRANOUS_SHARE),
                                 (None, canonical.MEMBRANOUS_SHARE)):
        meta = {"normalisation": canonical.metadata(histology_input="haematoxylin"),
                "training": {} if trained_on is None else {"histology_input": trained_on}}
        (tmp_path / "model.json").write_text(json.dumps(meta))
        canonical.main(["--model-dir", str(tmp_path), "--histology-input", "grey"])
        assert json.loads((tmp_path / "model.json").read_text())["normalisation"]["membranous_share"] == expected

    assert canonical.metadata(trained_on="grey")["membranous_share"] is None
    assert canonical.metadata()["membranous_share"] == canonical.MEMBRANOUS_SHARE
    from nucleispark_train import maskrcnn_serving
    assert maskrcnn_serving.serving_metadata(["histology"], 3.0, trained_on="grey")["canonical"]["membranous_share"] is None
    assert maskrcnn_serving.serving_metadata(["histology"], 3.0)["canonical"]["membranous_share"] == 0.01


def test_one_labelling_decides_membranous_and_takes_the_rings_out():
    """grey_plane computes the DAB regions once (dab_regions) for the membranous decision and histology_grey; the
    result is what each computes on its own."""
    from nucleispark_train import held_out_sets
    raw, mask = he_field()
    rings = held_out_sets.ihc_stained(raw, [mask], AllPositive(), membrane=True)
    dab, above, solid = canonical.dab_regions(rings)
    assert np.array_equal(dab, canonical.dab_density(rings)) and np.array_equal(above, dab > canonical.DAB_ABOVE)
    assert np.array_equal(solid, canonical.solid_mask(above))
    for image in (raw, rings):
        regions = canonical.dab_regions(image)
        assert canonical.membranous(image, regions=regions) == canonical.membranous(image)
        assert np.array_equal(canonical.histology_grey(image, canonical.DAB_ABOVE, regions=regions),
                              canonical.histology_grey(image, canonical.DAB_ABOVE))
    plane = canonical.grey_plane(rings, "histology", canonical.DAB_ABOVE, histology_input="grey")
    assert np.array_equal(plane, canonical.histology_grey(rings, canonical.DAB_ABOVE))


def test_held_out_sets_ihc_writes_each_histology_image_as_nuclear_ihc(tmp_path):
    """bin/bench-generalisation --ihc: the same nuclei (masks linked), some brown, reproducible; the committed
    Java fixture ihc-1631352d.png is draw 0 of this image."""
    from nucleispark_train import data, held_out_sets
    sample = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
    image_id = next(i for i in data.list_ids(sample) if i.startswith("1631352d"))
    assert held_out_sets.write_ihc(tmp_path, sample, [image_id], 1) == 1
    name = f"{image_id}-ihc0"
    ihc = data.read_raw(tmp_path, name)
    assert np.array_equal(ihc, np.array(Image.open(REFERENCE / "ihc-1631352d.png")))
    raw = data.read_raw(sample, image_id)[..., :3]
    assert np.array_equal(data.read_labels(tmp_path, name, raw.shape[:2]), data.read_labels(sample, image_id, raw.shape[:2]))
    brown = (ihc[..., 0].astype(int) - ihc[..., 2]) > 40
    assert brown.sum() > 1000 and brown.sum() > 4 * ((raw[..., 0].astype(int) - raw[..., 2]) > 40).sum()


def test_the_planes_scored_to_choose_the_dab_rule():
    from nucleispark_train import score_histology_planes
    raw, mask = he_field()
    ring = np.zeros_like(mask)
    ring[8:22, 8:22] = True
    ring[mask] = False
    raw[ring] = stained(0.05, 0.0, 0.6)  # a brown ring around the nucleus: membranous IHC
    variants = score_histology_planes.planes({"normalisation": canonical.metadata()})
    assert variants["served"] == canonical.served_dab(canonical.metadata())
    grey = {k: canonical.canonical(raw, "histology", v)[0][0] for k, v in variants.items()}
    assert grey["everywhere"][9, 15] > 0.9, "without the rule the ring is as bright as a nucleus"
    assert np.array_equal(grey["served"], grey["alone"]) and np.array_equal(grey["solid"], grey["alone"])


def test_the_planes_scored_to_choose_the_histology_input():
    """score_histology_inputs compares these planes; the served one (rings out) is canonical.histology_grey's, and the
    plain inverted mean keeps the ring of membranous IHC as dark as a nucleus."""
    from nucleispark_train import held_out_sets, score_histology_inputs
    raw, mask = he_field()
    rings = held_out_sets.ihc_stained(raw, [mask], AllPositive(), membrane=True)
    dab = canonical.served_dab(canonical.metadata())
    planes = score_histology_inputs.planes(rings, dab)
    assert set(planes) == {"haematoxylin", "inverted mean", "inverted mean, rings out", "summed optical density"}
    grey = canonical.served(rings, {**canonical.metadata(), "membranous_share": None})[0]
    assert np.array_equal(planes["inverted mean, rings out"], grey)
    assert np.array_equal(planes["haematoxylin"], canonical.canonical(rings, "histology", dab)[0])
    assert planes["inverted mean"][0][8, 15] > 0.7 and planes["inverted mean, rings out"][0][8, 15] < 0.4
