"""Fast checks of the U-Net recipe: targets, normalisation, metric, and a tiny train/export round trip.

Run: cd src/main/python && /usr/bin/python3 -m pytest -q tests
"""
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from scipy import ndimage

from nucleispark_train import canonical, data, export, instances, score_markers, train_unet
from nucleispark_train.unet import pad_to_multiple

# <repo>/src/main/python/tests/<this file> -> <repo>/sample-data/dsb
SAMPLE_DSB = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
# The two smallest sample images (256 x 256) keep the smoke run within seconds.
SMOKE_IDS = ["1631352dbafb8a90f11219fffd3bea368a30bc3bad3bbe0e84e19bd720df4945",
             "5e263abff938acba1c0cff698261c7c00c23d7376e3ceacc3d5d4a655216b16d"]


def disc(shape, centre, radius):
    yy, xx = np.mgrid[:shape[0], :shape[1]]
    return (yy - centre[0]) ** 2 + (xx - centre[1]) ** 2 <= radius ** 2


# ---------------------------------------------------------------- targets

def test_border_between_touching_discs():
    labels = np.zeros((40, 40), np.uint16)
    labels[disc(labels.shape, (20, 14), 6)] = 1
    labels[disc(labels.shape, (20, 26), 5)] = 2  # 1 px gap between the discs
    border = data.touching_border(labels, radius=2)
    assert border.any()
    # Every border pixel is within the radius of both discs, i.e. in the gap between them.
    dist_to_1 = ndimage.distance_transform_edt(labels != 1)
    dist_to_2 = ndimage.distance_transform_edt(labels != 2)
    assert np.all(dist_to_1[border] <= 2) and np.all(dist_to_2[border] <= 2)
    cols = np.nonzero(border)[1]
    assert cols.min() > 14 and cols.max() < 26


def test_no_border_for_lone_or_distant_discs():
    lone = disc((40, 40), (20, 20), 8).astype(np.uint16)
    assert not data.touching_border(lone, radius=2).any()
    apart = np.zeros((40, 60), np.uint16)
    apart[disc(apart.shape, (20, 12), 6)] = 1
    apart[disc(apart.shape, (20, 40), 6)] = 2
    assert not data.touching_border(apart, radius=2).any()


def test_targets_channels():
    labels = np.zeros((20, 20), np.uint16)
    labels[2:6, 2:6] = 1
    targets = data.make_targets(labels)
    assert targets.shape == (2, 20, 20) and targets.dtype == np.uint8
    assert targets[0].sum() == 16 and targets[1].sum() == 0


# ---------------------------------------------------------------- normalisation

def test_normalisation_known_values(tmp_path):
    # Grey ramp 0..100 stored as RGBA: alpha is dropped, R=G=B. Over the 303 values,
    # the 1.0th percentile is 1 and the 99.8th is 100, so x = clip((v - 1) / 99, 0, 1).
    ramp = np.arange(101, dtype=np.uint8).reshape(1, 101)
    rgba = np.stack([ramp, ramp, ramp, np.full_like(ramp, 255)], axis=-1)
    (tmp_path / "a" / "images").mkdir(parents=True)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a" / "images" / "a.png")
    x = data.normalise(data.read_raw(tmp_path, "a"))
    assert x.shape == (3, 1, 101) and x.dtype == np.float32
    expected = np.clip((np.arange(101) - 1.0) / 99.0, 0, 1).astype(np.float32)
    for plane in x:
        np.testing.assert_array_equal(plane[0], expected)
    # A single grey plane gives exactly the same result (replicated before the percentiles).
    np.testing.assert_array_equal(data.normalise(ramp[:, :, None]), x)


def test_constant_image_normalises_to_zero():
    assert not data.normalise(np.full((8, 8, 3), 77, np.uint8)).any()


def documented_percentile(values, p):
    """The definition written into model.json for the Java port, transcribed literally."""
    v = sorted(float(a) for a in values.ravel())
    n = len(v)
    pos = (n - 1) * (p / 100)
    i = math.floor(pos)
    g = pos - i
    a, b = v[i], v[min(i + 1, n - 1)]
    return a + (b - a) * g if g < 0.5 else b - (b - a) * (1 - g)


@pytest.mark.parametrize("seed", range(5))
def test_documented_percentile_matches_numpy_exactly(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 65536, size=rng.integers(50, 5000)).astype(np.float64)
    for p in (data.LOW_PERCENTILE, data.HIGH_PERCENTILE):
        assert documented_percentile(values, p) == np.percentile(values, p)


# ---------------------------------------------------------------- metric

def test_dsb_score():
    truth = np.zeros((20, 20), np.int32)
    truth[2:8, 2:8], truth[10:16, 10:16] = 1, 2
    assert instances.dsb_score(truth, truth) == 1.0
    assert instances.dsb_score(np.zeros_like(truth), np.zeros_like(truth)) == 1.0
    assert instances.dsb_score(truth, np.zeros_like(truth)) == 0.0
    half = truth.copy()
    half[truth == 2] = 0  # one of two found: TP 1, FN 1 at every threshold
    assert instances.dsb_score(truth, half) == pytest.approx(0.5)


def test_watershed_splits_touching_pair():
    prob = np.zeros((2, 40, 40), np.float32)
    a, b = disc((40, 40), (20, 14), 6), disc((40, 40), (20, 26), 6)
    prob[0][a | b] = 0.9
    prob[1][:, 19:22] = 0.9  # a predicted border between them
    labels = instances.instances_from_probabilities(prob)
    assert labels.max() == 2


def test_marker_margin_splits_a_pair_the_border_threshold_merges():
    # a weak border (0.4) where two nuclei touch: under 0.5, so the thesis' markers join across it; nucleus - border
    # (0.45) is not above a margin of 0.5, so the margin's markers do not, and the flood on -(nucleus - border)
    # divides the pair along the border ridge
    prob = np.zeros((2, 40, 40), np.float32)
    a, b = disc((40, 40), (20, 14), 6), disc((40, 40), (20, 26), 6)
    prob[0][a | b] = 0.95
    prob[0][:, 19:22] = np.where((a | b)[:, 19:22], 0.85, 0.0)
    prob[1][:, 19:22] = 0.4
    assert instances.instances_from_probabilities(prob, border_threshold=0.5).max() == 1
    labels = instances.instances_from_probabilities(prob, border_threshold=0.5, marker_margin=0.5)
    assert labels.max() == 2
    assert labels[20, 14] != labels[20, 26] and labels[20, 14] > 0 and labels[20, 26] > 0
    assert (labels > 0).sum() == (prob[0] > 0.5).sum()  # the border pixels are regrown, none lost


def test_smoothing_the_difference_keeps_ripples_from_seeding_markers():
    # as Java's ProbabilityWatershedTest: border stripes (0.55 every 4th column) across one disc make nucleus - border
    # alternate 0.9 / 0.4 around the margin; unblurred every stripe seeds, blurred by sigma 2 the disc is one instance
    prob = np.zeros((2, 30, 60), np.float32)
    inside = disc((30, 60), (15, 30), 10.9)
    prob[0] = np.where(inside, 0.95, 0.02)
    stripes = np.zeros((30, 60), bool)
    stripes[:, ::4] = True
    prob[1] = np.where(inside & stripes, 0.55, 0.05)
    assert instances.instances_from_probabilities(prob, border_threshold=1.0, marker_margin=0.5).max() > 2
    labels = instances.instances_from_probabilities(prob, border_threshold=1.0, marker_margin=0.5, smooth_sigma=2.0)
    assert labels.max() == 1 and (labels > 0).sum() == inside.sum()


def test_merged_counts_true_nuclei_an_instance_shares():
    a, b, c = disc((40, 60), (20, 12), 6), disc((40, 60), (20, 27), 6), disc((40, 60), (20, 48), 6)
    truth = np.zeros((40, 60), np.int32)
    truth[a], truth[b], truth[c] = 1, 2, 3
    one_blob = np.zeros_like(truth)
    one_blob[a | b], one_blob[18:23, 12:27], one_blob[c] = 1, 1, 2  # the pair and the gap between them
    assert score_markers.merged(truth, one_blob) == 2  # the pair under one instance; the lone nucleus is matched
    assert score_markers.merged(truth, truth) == 0
    assert score_markers.merged(truth, np.zeros_like(truth)) == 0


# ---------------------------------------------------------------- train / export round trip

def test_train_export_reload(tmp_path, dsb_subset):
    data_dir = dsb_subset(SAMPLE_DSB, SMOKE_IDS)
    common = ["--fold", "all", "--data", str(data_dir), "--batch", "2", "--crop", "64",
              "--cache-dir", str(tmp_path / "cache"), "--checkpoint-dir", str(tmp_path / "ckpt")]
    state = train_unet.main(common + ["--epochs", "2"])  # 2 images / batch 2 = 1 iteration per epoch
    assert state["epoch"] == 2
    state = train_unet.main(common + ["--epochs", "3"])  # resumes from last.pt
    assert state["epoch"] == 3
    log = (tmp_path / "ckpt" / "train.log").read_text().splitlines()
    assert log[0].startswith("epoch\ttrain_loss") and len(log) == 4

    meta = export.export(tmp_path / "ckpt" / "best.pt", tmp_path / "model")
    model_file = tmp_path / "model" / "model.pt"
    assert hashlib.sha256(model_file.read_bytes()).hexdigest() == meta["sha256"]
    assert json.loads((tmp_path / "model" / "model.json").read_text())["sha256"] == meta["sha256"]

    model = torch.jit.load(str(model_file))
    image = data.normalise(data.read_raw(SAMPLE_DSB, SMOKE_IDS[0]))
    x, h, w = pad_to_multiple(torch.from_numpy(image)[None])
    with torch.no_grad():
        y = model(x)
    assert y.shape == (1, 2, h, w)
    assert float(y.min()) >= 0.0 and float(y.max()) <= 1.0


def test_canonical_generalising_training_from_an_exported_model_records_its_scale(tmp_path, dsb_subset):
    """--canonical --generalise --init --extra-data: fine-tunes the exported weights on two data sets,
    and the export states the canonical contract and the training images' nucleus diameter."""
    first = dsb_subset(SAMPLE_DSB, SMOKE_IDS)
    common = ["--fold", "all", "--data", str(first), "--batch", "2", "--crop", "64",
              "--cache-dir", str(tmp_path / "cache")]
    train_unet.main(common + ["--epochs", "1", "--checkpoint-dir", str(tmp_path / "base")])
    export.export(tmp_path / "base" / "last.pt", tmp_path / "base_model")

    extra = tmp_path / "extra"
    extra.mkdir()
    other = [i for i in data.list_ids(SAMPLE_DSB) if i not in SMOKE_IDS][:4]
    for i in other:  # the same images under other ids, as a second data set in the DSB layout
        d = extra / f"x{i[:6]}"
        (d / "images").mkdir(parents=True)
        (d / "images" / f"{d.name}.png").symlink_to((SAMPLE_DSB / i / "images" / f"{i}.png").resolve())
        (d / "masks").symlink_to((SAMPLE_DSB / i / "masks").resolve())
    state = train_unet.main(common + ["--epochs", "1", "--canonical", "--generalise", "--extra-data", str(extra),
                                      "--init", str(tmp_path / "base_model" / "model.pt"),
                                      "--checkpoint-dir", str(tmp_path / "tuned")])
    assert state["epoch"] == 1
    meta = export.export(tmp_path / "tuned" / "last.pt", tmp_path / "tuned_model")
    assert meta["normalisation"]["method"] == "canonical"
    assert meta["normalisation"]["hed_from_rgb_column0"] == list(canonical.HED_FROM_RGB[:, 0])
    assert meta["nucleus_diameter"]["images"] == len(SMOKE_IDS) + len(other)
    assert 3 < meta["nucleus_diameter"]["median_estimate"] < 60
    assert meta["serving"] == {"shrink_above": 1.5, "enlarge": False, "shrink_above_histology": 1.1,
                               "enlarge_histology_below": 1.5}, \
        "the rescale rule Java reads (ScaleToModel)"
    assert meta["training"]["generalise"] is True


def test_training_for_the_grey_histology_input_serves_histology_as_java_does(tmp_path, dsb_subset, monkeypatch):
    """--histology-input grey: the histology image's cached input becomes what a model.json with histology_input
    grey serves (canonical.served), the brightfield one stays; the run trains and the export records it."""
    first = dsb_subset(SAMPLE_DSB, SMOKE_IDS)  # one H&E image, one brightfield
    common = ["--fold", "all", "--data", str(first), "--batch", "2", "--crop", "64", "--epochs", "1",
              "--cache-dir", str(tmp_path / "cache"), "--canonical", "--generalise"]
    with pytest.raises(SystemExit):
        train_unet.parse_args(["--fold", "all", "--data", str(first), "--histology-input", "grey"])

    args = train_unet.parse_args(common + ["--histology-input", "grey"])
    train_unet.split_ids(args)
    samples = train_unet.load_all(args, SMOKE_IDS)
    cached = {i: samples[i][0].copy() for i in SMOKE_IDS}
    assert train_unet.serve_histology(args, samples, SMOKE_IDS) == 1
    he, bf = SMOKE_IDS
    raw = data.read_raw(first, he)
    served = canonical.served(raw, canonical.metadata(histology_input="grey", trained_on="grey"))[0]
    assert np.abs(samples[he][0].astype(np.float32) - served).max() < 1e-3  # float16 as the cache stores it
    assert np.abs(cached[he].astype(np.float32) - served).mean() > 0.02, "not the haematoxylin plane any more"
    assert np.array_equal(samples[bf][0], cached[bf])
    assert np.array_equal(samples[he][1], data.cached_sample(first, he, canonical_input=True,
                                                             cache_dir=tmp_path / "cache")[1])

    # types prepare_generalise found already: a known brightfield image is not read again, a histology one is
    # served from the raw colour kept for stain jitter
    args.groups, args.raws = {he: "histology", bf: "brightfield"}, {he: np.moveaxis(raw, 2, 0)}
    again = train_unet.load_all(args, SMOKE_IDS)
    reads = []
    monkeypatch.setattr(data, "read_raw", lambda root, i: reads.append(i) or raw)
    assert train_unet.serve_histology(args, again, SMOKE_IDS) == 1 and reads == []
    assert np.array_equal(again[he][0], samples[he][0])
    monkeypatch.undo()

    state = train_unet.main(common + ["--histology-input", "grey", "--checkpoint-dir", str(tmp_path / "grey")])
    assert state["epoch"] == 1
    meta = export.export(tmp_path / "grey" / "last.pt", tmp_path / "grey_model")
    assert meta["training"]["histology_input"] == "grey"
    assert meta["normalisation"]["histology_input"] == "grey"
    assert meta["normalisation"]["membranous_share"] is None, "trained on the grey plane: no membranous switch"


def test_balanced_epochs_draw_rare_types_more_often_than_their_share():
    ids = [f"f{i}" for i in range(90)] + [f"h{i}" for i in range(10)]
    groups = {i: i[0] for i in ids}
    order = train_unet.epoch_order(ids, groups, np.random.default_rng(0))
    assert len(order) == 100
    share = sum(1 for i in order if i.startswith("h")) / len(order)
    # weights 1/sqrt(n): 10/sqrt(10) : 90/sqrt(90) = 3.16 : 9.49 -> a quarter, not a tenth
    assert 0.15 < share < 0.4
    assert list(train_unet.epoch_order(ids, None, np.random.default_rng(0))) != ids  # plain shuffle otherwise


def test_scale_estimate_follows_disc_size():
    from nucleispark_train import scale
    for r in (5, 10, 25):
        yy, xx = np.mgrid[:400, :400]
        plane = np.zeros((400, 400), np.float32)
        step = 4 * r + 8
        for cy in range(step // 2, 400, step):
            for cx in range(step // 2, 400, step):
                plane[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = 0.9
        assert abs(scale.diameter(plane) - 2 * r) <= 2.5
    assert np.isnan(scale.diameter(np.zeros((10, 10), np.float32)))


# ---------------------------------------------------------------- the user's-script reference (bin/bench-vs-python)

def test_reference_script_segments_with_the_shipped_model(tmp_path, dsb_subset):
    from nucleispark_train import reference_segment
    model_dir = Path(__file__).resolve().parents[4] / "models" / "unet"
    data_dir = dsb_subset(SAMPLE_DSB, SMOKE_IDS[:1])
    reference_segment.main(["--model", str(model_dir), "--input", str(data_dir), "--output", str(tmp_path / "out")])
    labels = np.asarray(Image.open(tmp_path / "out" / f"{SMOKE_IDS[0]}_labels.png"))
    rows = (tmp_path / "out" / f"{SMOKE_IDS[0]}.csv").read_text().splitlines()
    assert labels.shape == data.read_raw(SAMPLE_DSB, SMOKE_IDS[0]).shape[:2] and rows[0].startswith("label,area")
    assert len(rows) - 1 == len(np.unique(labels)) - 1 >= 5  # one CSV row per labelled nucleus
    truth = data.read_labels(SAMPLE_DSB, SMOKE_IDS[0], labels.shape)
    assert instances.dsb_score(truth, labels) > 0.2  # 0.29 measured; a real segmentation, not an empty or noise one


def test_distilling_the_four_flip_average_trains_and_is_recorded(tmp_path, dsb_subset):
    """--distill-from: the teacher's four-flip average is a second target; the checkpoint carries the
    options but not the teacher or the held histology images, and the export records where it came from."""
    data_dir = dsb_subset(SAMPLE_DSB, SMOKE_IDS)
    common = ["--fold", "all", "--data", str(data_dir), "--batch", "2", "--crop", "64",
              "--cache-dir", str(tmp_path / "cache")]
    train_unet.main(common + ["--epochs", "1", "--checkpoint-dir", str(tmp_path / "base")])
    export.export(tmp_path / "base" / "last.pt", tmp_path / "teacher")
    teacher_pt = tmp_path / "teacher" / "model.pt"
    state = train_unet.main(common + ["--epochs", "1", "--canonical", "--generalise", "--init", str(teacher_pt),
                                      "--distill-from", str(teacher_pt), "--distill-weight", "0.7",
                                      "--checkpoint-dir", str(tmp_path / "student")])
    assert state["epoch"] == 1
    args = torch.load(tmp_path / "student" / "last.pt")["args"]
    assert "soft" not in args and "raws" not in args
    meta = export.export(tmp_path / "student" / "last.pt", tmp_path / "student_model")
    assert meta["training"]["distilled_from"] == str(teacher_pt) and meta["training"]["distill_weight"] == 0.7
    assert meta["training"]["distilled_from_sha256"] == hashlib.sha256(teacher_pt.read_bytes()).hexdigest()


def test_flip_average_undoes_each_flip():
    """A network that is not flip-equivariant (a fixed ramp added to its input) gives, averaged over the
    four flips, the input plus the ramp averaged over its four mirror images."""
    from nucleispark_train.unet import flip_averaged_probabilities

    class AddRamp(torch.nn.Module):
        def forward(self, x):
            ramp = torch.arange(x.shape[-1], dtype=x.dtype).expand_as(x)
            return x + ramp

    x = torch.randn(2, 1, 4, 6)
    got = flip_averaged_probabilities(AddRamp(), x)
    ramp = torch.arange(6, dtype=x.dtype).expand_as(x)
    want = (2 * torch.sigmoid(x + ramp) + 2 * torch.sigmoid(x + ramp.flip(3))) / 4
    assert torch.allclose(got, want, atol=1e-6)


def test_soft_targets_follow_the_crops_geometry_and_stay_continuous():
    """augment(..., soft=): the soft maps are cropped, scaled, rotated and flipped with the image; a soft
    map equal to the binary targets comes back equal to them up to resampling, and values in between stay."""
    from nucleispark_train import augment as aug
    labels = np.zeros((80, 96), np.uint16)
    labels[disc(labels.shape, (30, 30), 12)] = 1
    labels[disc(labels.shape, (50, 66), 9)] = 2
    targets = data.make_targets(labels)
    image = np.repeat(targets[:1].astype(np.float32), 3, axis=0)  # the image is its own nucleus mask
    soft = np.concatenate([targets.astype(np.float16), np.full((1, 80, 96), 0.3, np.float16)])
    for seed in range(5):
        img, tgt, s = aug.augment(image, targets, 64, np.random.default_rng(seed), generalise=False, soft=soft)
        assert tgt.shape == (2, 64, 64) and s.shape == (3, 64, 64)
        assert torch.equal((s[:2] > 0.5).float(), tgt)  # same geometry as the binary targets
        assert torch.allclose(s[2], torch.full((64, 64), 0.3), atol=1e-3)  # not re-binarised
        assert ((img[0] > 0.5) == (tgt[0] > 0.5)).float().mean() > 0.95  # and as the image


def test_teacher_maps_are_the_same_in_one_pass_or_view_by_view(tmp_path, monkeypatch):
    from nucleispark_train import distill
    torch.manual_seed(0)
    net = train_unet.UNet(base=4).eval()
    image = np.random.default_rng(0).random((3, 40, 56)).astype(np.float32)
    one_pass = distill.whole_image_average(net, image)
    monkeypatch.setattr(distill, "ONE_PASS_PIXELS", 0)
    by_view = distill.whole_image_average(net, image)
    assert one_pass.shape == (2, 40, 56) and one_pass.dtype == np.float16
    assert np.allclose(one_pass.astype(np.float32), by_view.astype(np.float32), atol=1e-3)
