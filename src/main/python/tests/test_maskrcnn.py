"""Mask R-CNN recipe: pure-op NMS/RoIAlign against torchvision, training targets and augmentation,
a two-iteration train/export/reload round trip, and the exported model against torchvision.

Run: cd src/main/python && /usr/bin/python3 -m pytest -q tests/test_maskrcnn.py
"""
import hashlib
import json
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch
import torchvision
from torch import nn
from torch.nn import functional as F
from torchvision.models.detection.roi_heads import paste_masks_in_image

from nucleispark_train import (augment, data, export, export_maskrcnn, instance_augment, maskrcnn, ops,
                               predict_maskrcnn, train_maskrcnn)

# <repo>/src/main/python/tests/<this file> -> <repo>/sample-data/dsb
SAMPLE_DSB = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
SMOKE_IDS = ["44ab6a09eedee848b072ea3acd0f4e781f9c43b8d4e3d62598e1024584bf0b01",   # 256 x 256
             "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f"]   # 256 x 256
# A small network with the same code paths as the default one (5 FPN levels, both batched-NMS
# branches: ~1100 RPN boxes > 4000 coordinates, 200 proposals below). The low score threshold
# makes a random network emit detections.
TINY = {"fpn_channels": 32, "representation_size": 32, "mask_channels": 16, "mask_layers": 2,
        "rpn_pre_nms_top_n_train": 300, "rpn_post_nms_top_n_train": 200,
        "rpn_pre_nms_top_n_test": 300, "rpn_post_nms_top_n_test": 200,
        "box_batch_size_per_image": 64, "box_score_thresh": 0.01}


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# ---------------------------------------------------------------- NMS

def grid_boxes(gen, n, cell=40, max_side=15):
    """Integer boxes on a small grid: many exact IoU fractions (1/2, 1/3, ...) and duplicates."""
    xy = torch.randint(0, cell, (n, 2), generator=gen).float()
    wh = torch.randint(1, max_side, (n, 2), generator=gen).float()
    boxes = torch.cat([xy, xy + wh], 1)
    boxes[n // 2:n // 2 + n // 10] = boxes[:n // 10]  # exact duplicates
    return boxes


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_nms_matches_torchvision(seed, threshold):
    gen = torch.Generator().manual_seed(seed)
    boxes = grid_boxes(gen, 400)
    tied = torch.randint(0, 12, (400,), generator=gen).float() / 12  # heavy score ties
    assert torch.equal(ops.nms(boxes, tied, threshold), torchvision.ops.nms(boxes, tied, threshold))
    xy = torch.rand(300, 2, generator=gen) * 100
    floats = torch.cat([xy, xy + torch.rand(300, 2, generator=gen) * 30 + 0.5], 1)
    scores = torch.rand(300, generator=gen)
    assert torch.equal(ops.nms(floats, scores, threshold), torchvision.ops.nms(floats, scores, threshold))


def test_nms_compares_the_float_iou_in_double_like_torchvision():
    # IoU = 3/10 in float32 is 0.3000000119 > 0.3: torchvision suppresses, a float32 compare would not.
    boxes = torch.tensor([[0.0, 0.0, 10.0, 1.0], [0.0, 0.0, 3.0, 1.0]])
    scores = torch.tensor([0.9, 0.8])
    assert torchvision.ops.nms(boxes, scores, 0.3).tolist() == [0]
    assert ops.nms(boxes, scores, 0.3).tolist() == [0]


def test_nms_empty_and_scripted():
    empty = torch.zeros((0, 4))
    assert ops.nms(empty, torch.zeros(0), 0.5).numel() == 0
    assert ops.batched_nms(empty, torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5).numel() == 0
    gen = torch.Generator().manual_seed(7)
    boxes, scores = grid_boxes(gen, 200), torch.rand(200, generator=gen)
    assert torch.equal(torch.jit.script(ops.nms)(boxes, scores, 0.5), torchvision.ops.nms(boxes, scores, 0.5))


@pytest.mark.parametrize("n", [300, 1500])  # coordinate-offset branch, per-class branch (> 4000 coords)
def test_batched_nms_matches_torchvision(n):
    gen = torch.Generator().manual_seed(n)
    boxes = grid_boxes(gen, n, cell=80)
    scores = torch.randint(0, 20, (n,), generator=gen).float() / 20
    classes = torch.randint(0, 4, (n,), generator=gen)
    for threshold in (0.3, 0.5, 0.7):
        assert torch.equal(ops.batched_nms(boxes, scores, classes, threshold),
                           torchvision.ops.batched_nms(boxes, scores, classes, threshold))


# ---------------------------------------------------------------- RoIAlign

def random_rois(gen, k, extent, n_images):
    """Boxes of 0-60 px, some partly or wholly outside the feature map, some degenerate."""
    corner = torch.rand(k, 2, generator=gen) * (extent + 30) - 15
    size = torch.rand(k, 2, generator=gen) * 60
    size[:5] = 0.0
    batch = torch.randint(0, n_images, (k, 1), generator=gen).float()
    return torch.cat([batch, corner, corner + size], 1)


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("sampling_ratio", [2, -1])
def test_roi_align_matches_torchvision(aligned, sampling_ratio):
    gen = torch.Generator().manual_seed(1)
    features = torch.randn(2, 8, 40, 48, generator=gen)
    rois = random_rois(gen, 80, 48, 2)
    for scale in (1.0, 0.5, 0.25):
        for size in ([7, 7], [14, 14], [5, 3]):
            expected = torchvision.ops.roi_align(features, rois, size, scale, sampling_ratio, aligned)
            got = ops.roi_align(features, rois, size, scale, sampling_ratio, aligned)
            assert (expected - got).abs().max().item() < 1e-4


def test_multiscale_roi_align_matches_torchvision():
    gen = torch.Generator().manual_seed(2)
    height, width = 500, 470
    features = OrderedDict((str(i), torch.randn(2, 16, -(-height // 2 ** (i + 2)), -(-width // 2 ** (i + 2)),
                                                generator=gen)) for i in range(4))
    boxes = []
    for _ in range(2):
        # sqrt(area) log-uniform in 3..700 px: FPN level k=2 below 112 px, 3, 4, then 5 from 448 px.
        side = 3 * torch.exp(torch.rand(60, 1, generator=gen) * np.log(700 / 3))
        ratio = torch.exp(torch.rand(60, 1, generator=gen) - 0.5)
        centre = torch.rand(60, 2, generator=gen) * torch.tensor([width, height])
        half = torch.cat([side * ratio, side / ratio], 1) / 2
        boxes.append(torch.cat([centre - half, centre + half], 1))
    assert set(ops.fpn_levels(boxes, 2, 5).tolist()) == {0, 1, 2, 3}  # every level is exercised
    scales = [0.25, 0.125, 0.0625, 0.03125]
    for size in (7, 14):
        pool = torchvision.ops.MultiScaleRoIAlign(["0", "1", "2", "3"], size, 2)
        expected = pool(features, boxes, [(height, width)] * 2)
        got = ops.multiscale_roi_align(list(features.values()), boxes, [size, size], 2, scales)
        assert (expected - got).abs().max().item() < 1e-4


# ---------------------------------------------------------------- targets and augmentation

def test_targets_from_labels_boxes_are_pixel_edges():
    labels = np.zeros((20, 30), np.int32)
    labels[2:6, 3:10] = 1
    labels[10:15, 20:21] = 2  # 1 px wide: the box still has a positive width
    labels[15, 15] = 3        # below MIN_TARGET_PX: no target
    t = maskrcnn.targets_from_labels(labels)
    assert t["boxes"].tolist() == [[3, 2, 10, 6], [20, 10, 21, 15]]
    assert t["labels"].tolist() == [1, 1]
    assert t["masks"].shape == (2, 20, 30) and t["masks"].dtype == torch.uint8
    assert int(t["masks"][0].sum()) == 28 and int(t["masks"][1].sum()) == 5
    empty = maskrcnn.targets_from_labels(np.zeros((8, 8), np.int32))
    assert empty["boxes"].shape == (0, 4) and empty["masks"].shape == (0, 8, 8)


def test_resize_labels_is_per_instance_bilinear_threshold():
    rng = np.random.default_rng(0)
    labels = np.zeros((37, 41), np.int64)
    for i in range(1, 9):
        y, x = rng.integers(0, 30, 2)
        labels[y:y + rng.integers(3, 9), x:x + rng.integers(3, 9)] = i
    for size in ((64, 50), (20, 23)):
        got = instance_augment.resize_labels(labels, *size)
        for i in range(1, 9):
            mask = torch.from_numpy((labels == i).astype(np.float32))[None, None]
            expected = F.interpolate(mask, size=size, mode="bilinear", align_corners=False)[0, 0] > 0.5
            assert np.array_equal(got == i, expected.numpy())


def test_split_disconnected_gives_mirrored_copies_their_own_id():
    labels = np.zeros((10, 10), np.uint16)
    labels[1:3, 1:3] = 1
    labels[6:8, 6:8] = 1
    labels[4:6, 0:2] = 2
    out = instance_augment.split_disconnected(labels)
    assert sorted(np.unique(out).tolist()) == [0, 1, 2, 3]
    assert (out[1:3, 1:3] == 1).all() and (out[6:8, 6:8] == 3).all()


@pytest.mark.parametrize("seed", range(3))
def test_augment_instances_follows_the_unet_augmentation(seed):
    image_id = SMOKE_IDS[0]
    raw = data.read_raw(SAMPLE_DSB, image_id)
    labels = data.read_labels(SAMPLE_DSB, image_id, raw.shape[:2])
    image = data.normalise(raw).astype(np.float16)  # as cached for training
    for crop in (256, 384):
        unet_img, unet_tgt = augment.augment(image, data.make_targets(labels), crop, np.random.default_rng(seed))
        img, lab = instance_augment.augment_instances(image, labels, crop, np.random.default_rng(seed))
        assert img.shape == (3, crop, crop) and lab.shape == (crop, crop)
        assert (img - unet_img).abs().max().item() < 1e-6
        # Touching nuclei: the union can exceed 0.5 where no single nucleus does; nearly never.
        assert ((lab > 0) == (unet_tgt[0] > 0)).float().mean().item() > 0.999


def test_augment_instances_follows_the_unet_augmentation_when_generalising():
    """--generalise: wide scale, stain jitter of the raw colour and appearance jitter, drawn exactly as the
    U-Net's augment.augment draws them (histology sample, canonical input as cached)."""
    image_id = next(i for i in data.list_ids(SAMPLE_DSB) if i.startswith("1631352d"))  # H&E
    raw = data.read_raw(SAMPLE_DSB, image_id)
    labels = data.read_labels(SAMPLE_DSB, image_id, raw.shape[:2])
    image = data.model_input(raw, canonical_input=True).astype(np.float16)
    raw_chw = np.moveaxis(raw[..., :3], 2, 0)
    restained = 0
    for seed in range(8):
        crop = 256
        unet_img, unet_tgt = augment.augment(image, data.make_targets(labels), crop, np.random.default_rng(seed),
                                             True, raw_chw)
        img, lab = instance_augment.augment_instances(image, labels, crop, np.random.default_rng(seed), True, raw_chw)
        # the same draws from other raw colours: differs exactly when the crop was re-stained (or made grey)
        other, _ = instance_augment.augment_instances(image, labels, crop, np.random.default_rng(seed), True,
                                                      255 - raw_chw)
        restained += (img - other).abs().max().item() > 1e-3
        assert (img - unet_img).abs().max().item() < 1e-5, seed
        assert ((lab > 0) == (unet_tgt[0] > 0)).float().mean().item() > 0.999
    assert 0 < restained < 8  # some crops re-stained (or seen as grey), some as cached


def test_augment_instances_follows_the_unet_augmentation_on_the_grey_histology_input():
    """train_maskrcnn --histology-input grey: the same crops as train_unet's, on the served grey plane."""
    from nucleispark_train import canonical
    image_id = next(i for i in data.list_ids(SAMPLE_DSB) if i.startswith("1631352d"))  # H&E
    raw = data.read_raw(SAMPLE_DSB, image_id)
    labels = data.read_labels(SAMPLE_DSB, image_id, raw.shape[:2])
    image = canonical.served(raw, canonical.metadata(histology_input="grey"))[0].astype(np.float16)
    raw_chw = np.moveaxis(raw[..., :3], 2, 0)
    differs = 0
    for seed in range(8):
        unet_img, _ = augment.augment(image, data.make_targets(labels), 256, np.random.default_rng(seed), True,
                                      raw_chw, histology_input="grey")
        img, _ = instance_augment.augment_instances(image, labels, 256, np.random.default_rng(seed), True, raw_chw,
                                                    "grey")
        haematoxylin, _ = instance_augment.augment_instances(image, labels, 256, np.random.default_rng(seed), True,
                                                             raw_chw)
        assert (img - unet_img).abs().max().item() < 1e-5, seed
        differs += (img - haematoxylin).abs().max().item() > 1e-3
    assert 0 < differs < 8  # re-stained crops are seen as another plane; cached ones are the same
    with pytest.raises(ValueError):
        instance_augment.augment_instances(image, labels, 256, np.random.default_rng(0), True, raw_chw, "eosin")


# ---------------------------------------------------------------- detections -> instances

def test_paste_mask_matches_torchvision():
    gen = torch.Generator().manual_seed(3)
    masks = torch.rand(6, 1, 28, 28, generator=gen)
    corner = torch.rand(6, 2, generator=gen) * 50 - 5
    boxes = torch.cat([corner, corner + torch.rand(6, 2, generator=gen) * 30 + 1], 1)
    expected = paste_masks_in_image(masks, boxes, (48, 52), padding=1)[:, 0]
    for k in range(6):
        (y0, y1, x0, x1), prob = maskrcnn.paste_mask(masks[k, 0], boxes[k], 48, 52)
        full = np.zeros((48, 52), np.float32)
        full[y0:y1, x0:x1] = prob
        assert np.abs(full - expected[k].numpy()).max() < 1e-6


def test_overlapping_masks_split_by_nearest_centroid():
    masks = np.ones((2, 28, 28), np.float32)  # two full boxes overlapping on about 4 columns
    boxes = np.array([[0.0, 0.0, 14.0, 10.0], [10.0, 0.0, 24.0, 10.0]])
    labels = maskrcnn.instances_from_detections(boxes, np.array([0.9, 0.8]), masks, (12, 30), paste="torchvision")
    foregrounds = []
    for k in range(2):
        (y0, y1, x0, x1), prob = maskrcnn.paste_mask(masks[k], boxes[k], 12, 30)
        fg = np.zeros((12, 30), bool)
        fg[y0:y1, x0:x1] = prob > 0.5
        foregrounds.append(fg)
    a, b = foregrounds
    assert (a & b).sum() >= 20  # the masks really overlap
    ca, cb = np.argwhere(a).mean(0), np.argwhere(b).mean(0)
    yy, xx = np.mgrid[:12, :30]
    da = (yy - ca[0]) ** 2 + (xx - ca[1]) ** 2
    db = (yy - cb[0]) ** 2 + (xx - cb[1]) ** 2
    expected = np.where(a & (~b | (da <= db)), 1, np.where(b, 2, 0))
    assert np.array_equal(labels, expected)
    assert maskrcnn.instances_from_detections(boxes, np.array([0.3, 0.2]), masks, (12, 30)).max() == 0


def test_roi_align_paste_inverts_the_training_targets_better_than_torchvisions_paste():
    """Training targets are true masks cropped by roi_align(aligned=False) (torchvision's
    project_masks_on_boxes); pasting such a target back must give the nucleus it came from. Discs
    of 6 to 30 px across: the roi_align paste recovers them far better than torchvision's paste,
    whose masks come out about a pixel too wide."""
    from torchvision.ops import roi_align
    yy, xx = np.mgrid[:64, :64]
    recovered = {"roi_align": [], "torchvision": []}
    for radius in (3.2, 5.5, 8.7, 15.1):
        disc = ((yy - 31.3) ** 2 + (xx - 30.6) ** 2 <= radius ** 2)
        rows, cols = np.nonzero(disc)
        box = np.array([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1], np.float32)  # as targets_from_labels
        target = roi_align(torch.as_tensor(disc, dtype=torch.float32)[None, None], [torch.as_tensor(box)[None]],
                           (28, 28), 1.0)[0, 0].numpy()
        for name in recovered:
            (y0, y1, x0, x1), prob = maskrcnn.PASTES[name](target, box, 64, 64)
            pasted = np.zeros((64, 64), bool)
            pasted[y0:y1, x0:x1] = prob > 0.5
            recovered[name].append((pasted & disc).sum() / (pasted | disc).sum())
    # measured: roi_align 0.75 / 0.905 / 0.962 / 0.975, torchvision 0.711 / 0.819 / 0.893 / 0.922
    assert all(r > t for r, t in zip(recovered["roi_align"], recovered["torchvision"])), recovered
    assert recovered["roi_align"][-1] > 0.95, recovered
    assert np.mean(recovered["roi_align"]) > np.mean(recovered["torchvision"]) + 0.05, recovered


# ---------------------------------------------------------------- export

def test_default_model_weights_well_under_100_mb():
    assert maskrcnn.parameter_megabytes(maskrcnn.build_model()) < 90


def test_normalisation_block_is_the_unets(tmp_path):
    stub = tmp_path / "model.pt"
    stub.write_bytes(b"x")
    unet_ckpt = {"args": {"border_radius": 2, "data": "d", "fold": "0", "epochs": 1, "crop": 256, "batch": 8,
                          "base": 16, "lr": 1e-3, "border_weight": 2.5}, "epoch": 1, "seconds": 1.0}
    assert data.normalisation_metadata() == export.metadata(stub, unet_ckpt)["normalisation"]


def test_foreign_op_check_catches_torchvision_ops():
    class UsesTorchvisionNms(nn.Module):
        def forward(self, boxes, scores):
            return torchvision.ops.nms(boxes, scores, 0.5)
    assert export_maskrcnn.foreign_ops(torch.jit.script(UsesTorchvisionNms()))


@pytest.fixture(scope="module")
def tiny_export(tmp_path_factory):
    """A fixed-seed random tiny network exported (and verified by export_model) to a temp dir."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = maskrcnn.build_model(TINY).eval()
    out = tmp_path_factory.mktemp("maskrcnn")
    meta = export_maskrcnn.export_model(model, out)
    return model, out, meta


def test_exported_model_matches_torchvision(tiny_export):
    model, out, meta = tiny_export
    check = meta["export_check"]
    # export_model raised if any image differed; here: the comparison covered what it should.
    assert {"noise 256x256", "noise 320x384", SMOKE_IDS[0][:8], "1631352d"} <= set(check)
    for name, diffs in check.items():
        assert diffs["count"][0] == diffs["count"][1] > 0, name
        assert diffs["boxes"] <= 1e-3 and diffs["scores"] <= 1e-4 and diffs["masks"] <= 1e-3, name
    scripted = torch.jit.load(str(out / "model.pt"))
    assert export_maskrcnn.foreign_ops(scripted) == []
    # A size that is not a multiple of 32 goes through the internal padding.
    image = torch.rand((3, 200, 232), generator=torch.Generator().manual_seed(5))
    diffs = export_maskrcnn.compare(export_maskrcnn.reference_detections(model, image), scripted(image[None]))
    assert diffs["count"][0] == diffs["count"][1] > 0 and diffs["boxes"] <= 1e-3 and diffs["masks"] <= 1e-3
    meta_file = json.loads((out / "model.json").read_text())
    assert meta_file["sha256"] == hashlib.sha256((out / "model.pt").read_bytes()).hexdigest()
    assert meta_file["outputs"] == ["boxes", "scores", "masks"]


def test_reexport_emits_fewer_detections_and_serves_the_same(tiny_export, tmp_path):
    """A higher emitted minimum skips the mask head for detections Java would drop anyway."""
    _, out, meta = tiny_export
    served = meta["thresholds"]["score_threshold"]
    new = export_maskrcnn.reexport(out, tmp_path, min_score_emitted=served - 0.1)
    assert new["thresholds"]["min_score_emitted"] == pytest.approx(served - 0.1)
    assert new["thresholds"]["score_threshold"] == served
    assert new["reexported_from"]["sha256"] == meta["sha256"] != new["sha256"]
    before, after = torch.jit.load(str(out / "model.pt")), torch.jit.load(str(tmp_path / "model.pt"))
    emitted = served_count = 0
    for _, image in export_maskrcnn.verification_images():
        (_, s1, _), (_, s2, _) = before(image[None]), after(image[None])
        assert bool((s2 > served - 0.1).all()) and len(s2) <= len(s1)
        assert int((s1 >= served).sum()) == int((s2 >= served).sum())
        emitted, served_count = emitted + len(s1) - len(s2), served_count + int((s1 >= served).sum())
    assert emitted > 0 and served_count > 0, "the check compared something"
    with pytest.raises(ValueError):
        export_maskrcnn.reexport(out, tmp_path / "bad", min_score_emitted=served)


def test_reexport_with_a_smaller_proposal_budget_keeps_the_weights_and_records_the_change(tiny_export, tmp_path):
    """Fewer RPN proposals: the same weights, the new budget in the module and model.json, served counts recorded."""
    _, out, meta = tiny_export
    new = export_maskrcnn.reexport(out, tmp_path, rpn_pre_nms_top_n=50, rpn_post_nms_top_n=20)
    assert new["architecture"]["rpn_pre_nms_top_n_test"] == 50 and new["architecture"]["rpn_post_nms_top_n_test"] == 20
    assert new["thresholds"]["min_score_emitted"] == meta["thresholds"]["min_score_emitted"], "only the budget changed"
    was = new["reexported_from"]
    assert was["rpn_post_nms_top_n_test"] == meta["architecture"]["rpn_post_nms_top_n_test"] != 20
    counts = was["served_detections"]
    assert set(counts["before"]) == set(counts["after"]) == {name for name, _ in export_maskrcnn.verification_images()}
    before, after = torch.jit.load(str(out / "model.pt")), torch.jit.load(str(tmp_path / "model.pt"))
    assert after.rpn_pre_nms_top_n == 50 and after.rpn_post_nms_top_n == 20
    assert all(torch.equal(a, b) for a, b in zip(before.state_dict().values(), after.state_dict().values()))
    with pytest.raises(ValueError):
        export_maskrcnn.reexport(out, tmp_path / "nothing")


def test_reexport_carries_the_serving_block_over(tiny_export, tmp_path):
    """How the model is served (maskrcnn_serving) is not the export's business: a re-export keeps it."""
    import shutil
    from nucleispark_train import maskrcnn_serving
    _, out, _ = tiny_export
    src = tmp_path / "src"
    shutil.copytree(out, src)
    meta = json.loads((src / "model.json").read_text())
    meta["serving"] = maskrcnn_serving.serving_metadata(["fluorescence", "brightfield"], 3.0)
    meta["nucleus_diameter"] = {"median_estimate": 14.0}
    (src / "model.json").write_text(json.dumps(meta))
    new = export_maskrcnn.reexport(src, tmp_path / "new", rpn_pre_nms_top_n=50, rpn_post_nms_top_n=20)
    assert new["serving"] == meta["serving"] and new["nucleus_diameter"] == {"median_estimate": 14.0}


LOAD_WITHOUT_TORCHVISION = """
import sys, torch
assert "torchvision" not in sys.modules
model = torch.jit.load(sys.argv[1])
assert "torchvision" not in sys.modules
torch.save(model(torch.load(sys.argv[2])), sys.argv[3])
"""


def test_exported_model_runs_without_torchvision(tiny_export, tmp_path):
    """What DJL does: load and run the file in a process where torchvision never registered ops."""
    _, out, _ = tiny_export
    image = torch.from_numpy(data.normalise(data.read_raw(SAMPLE_DSB, SMOKE_IDS[0])))[None]
    torch.save(image, tmp_path / "x.pt")
    subprocess.run([sys.executable, "-c", LOAD_WITHOUT_TORCHVISION, str(out / "model.pt"),
                    str(tmp_path / "x.pt"), str(tmp_path / "y.pt")], check=True, timeout=120)
    expected = torch.jit.load(str(out / "model.pt"))(image)
    got = torch.load(tmp_path / "y.pt")
    assert all(torch.equal(a, b) for a, b in zip(expected, got))


# ---------------------------------------------------------------- train / export round trip

def test_train_export_reload(tmp_path, dsb_subset):
    data_dir = dsb_subset(SAMPLE_DSB, SMOKE_IDS)
    common = ["--fold", "all", "--data", str(data_dir), "--batch", "2", "--crop-min", "256",
              "--crop-max", "288", "--threads", "1", "--eval-images", "2", "--model-config", json.dumps(TINY),
              "--cache-dir", str(tmp_path / "cache"), "--checkpoint-dir", str(tmp_path / "ckpt")]
    state = train_maskrcnn.main(common + ["--epochs", "2"])  # 2 images / batch 2 = 1 iteration per epoch
    assert (state["epoch"], state["iteration"]) == (2, 2)
    state = train_maskrcnn.main(common + ["--epochs", "3"])  # resumes from last.pt
    assert (state["epoch"], state["iteration"]) == (3, 3)
    log = (tmp_path / "ckpt" / "train.log").read_text().splitlines()
    assert log[0].startswith("epoch\titeration\tloss") and len(log) == 4
    assert state["validation"] is not None and 0.0 <= state["validation"]["mAP"] <= 1.0

    meta = export_maskrcnn.export(tmp_path / "ckpt" / "best.pt", tmp_path / "model")
    model_file = tmp_path / "model" / "model.pt"
    assert hashlib.sha256(model_file.read_bytes()).hexdigest() == meta["sha256"]
    assert meta["architecture"]["fpn_channels"] == TINY["fpn_channels"]
    assert meta["thresholds"]["score_threshold"] == state["validation"]["score_threshold"]
    model = torch.jit.load(str(model_file))
    image = torch.from_numpy(data.normalise(data.read_raw(SAMPLE_DSB, SMOKE_IDS[1])))
    boxes, scores, masks = model(image[None])
    n = boxes.shape[0]
    assert boxes.shape == (n, 4) and scores.shape == (n,) and masks.shape == (n, 1, 28, 28)
    assert bool((scores[:-1] >= scores[1:]).all())
    assert n == 0 or 0.0 <= float(masks.min()) <= float(masks.max()) <= 1.0

    # Out-of-fold detections from the checkpoint and from the exported file agree.
    for name, source in (("oof_ckpt", tmp_path / "ckpt" / "best.pt"), ("oof_pt", model_file)):
        predict_maskrcnn.main(["--model", str(source), "--fold", "all", "--data", str(data_dir),
                               "--out", str(tmp_path / name), "--threads", "1"])
    for image_id in SMOKE_IDS:
        a, b = np.load(tmp_path / "oof_ckpt" / f"{image_id}.npz"), np.load(tmp_path / "oof_pt" / f"{image_id}.npz")
        assert a["boxes"].shape == b["boxes"].shape and a["masks"].dtype == np.uint8
        assert np.abs(a["boxes"] - b["boxes"]).max(initial=0) <= 1e-3
        assert np.abs(a["scores"] - b["scores"]).max(initial=0) <= 1e-4
        assert np.abs(a["masks"].astype(int) - b["masks"]).max(initial=0) <= 1


def test_fine_tune_from_an_export_on_the_canonical_input(tmp_path, dsb_subset, tiny_export):
    """--init starts from an exported model's weights (an architecture mismatch is refused); --canonical
    --generalise trains on the canonical input with type-balanced epochs, as train_unet does."""
    model, out, _ = tiny_export
    weights = train_maskrcnn.exported_weights(out, maskrcnn.model_config(TINY))
    assert weights.keys() == model.state_dict().keys()
    assert all(torch.equal(weights[k], v) for k, v in model.state_dict().items())
    with pytest.raises(SystemExit, match="fpn_channels"):
        train_maskrcnn.exported_weights(out, maskrcnn.model_config(TINY | {"fpn_channels": 64}))

    data_dir = dsb_subset(SAMPLE_DSB, [SMOKE_IDS[0], next(i for i in data.list_ids(SAMPLE_DSB) if i.startswith("1631352d"))])
    state = train_maskrcnn.main(["--fold", "all", "--data", str(data_dir), "--batch", "2", "--crop-min", "256",
                                 "--crop-max", "256", "--threads", "1", "--eval-images", "1", "--epochs", "1",
                                 "--model-config", json.dumps(TINY), "--canonical", "--generalise", "--init", str(out),
                                 "--histology-input", "grey",
                                 "--cache-dir", str(tmp_path / "cache"), "--checkpoint-dir", str(tmp_path / "ckpt")])
    assert (state["epoch"], state["iteration"]) == (1, 1)
    ckpt = torch.load(tmp_path / "ckpt" / "last.pt", map_location="cpu")
    assert ckpt["args"]["canonical"] and ckpt["args"]["generalise"]
    assert sorted(ckpt["args"]["groups"].values()) == ["fluorescence", "histology"]
    assert "raws" not in ckpt["args"]  # the histology images held for stain jitter stay out of checkpoints
    assert any(f.name.endswith("_c1.npz") for f in (tmp_path / "cache").rglob("*.npz"))  # canonical cache entries
    changed = [k for k, v in ckpt["model"].items() if v.dtype.is_floating_point and not torch.equal(v, weights[k])]
    assert changed  # one step from the exported weights
    meta = export_maskrcnn.export(tmp_path / "ckpt" / "last.pt", tmp_path / "model")
    assert meta["training"]["canonical"] is True and meta["training"]["init"] == str(out)
    assert meta["training"]["histology_input"] == "grey"
    assert meta["training"]["init_sha256"] == hashlib.sha256((out / "model.pt").read_bytes()).hexdigest()
