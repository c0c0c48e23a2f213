"""The Mask R-CNN's serving block (nucleispark_train/maskrcnn_serving.py): input by modality, the shrink
trigger Java's ScaleToModel repeats, and boxes mapped back from a shrunk image.

Run: cd src/main/python && /usr/bin/python3 -m pytest -q tests/test_maskrcnn_serving.py
"""
import numpy as np
import pytest

from nucleispark_train import canonical, data, maskrcnn_serving, scale

META = {"serving": maskrcnn_serving.serving_metadata(["fluorescence", "brightfield"], 3.0),
        "nucleus_diameter": {"median_estimate": 14.0}}


def test_the_triggers_match_javas_scale_to_model():
    # U-Net defaults (ScaleToModelTest.onlyMismatchesBeyondTheTriggersAreRescaledAndWithinClamps)
    assert scale.factor(20, 14.5, 500, 500) == 1.0
    assert scale.factor(25, 14.5, 500, 500) == pytest.approx(14.5 / 25)
    assert scale.factor(7, 14.5, 500, 500) == 2.0
    assert scale.factor(100, 14.5, 200, 300) == pytest.approx(64 / 200)
    # the Mask R-CNN's (aModelsOwnTriggersShrinkLaterAndNeverEnlarge)
    assert scale.factor(25, 14, 500, 500, shrink_above=3.0, enlarge_below=None) == 1.0
    assert scale.factor(41, 14, 500, 500, shrink_above=3.0, enlarge_below=None) == 1.0
    assert scale.factor(50, 14, 1000, 1000, shrink_above=3.0, enlarge_below=None) == pytest.approx(14 / 50)
    assert scale.factor(3, 14, 500, 500, shrink_above=3.0, enlarge_below=None) == 1.0
    assert scale.factor(float("nan"), 14, 500, 500) == 1.0


def test_serving_metadata_refuses_unknown_modalities_and_a_trigger_below_one():
    with pytest.raises(ValueError):
        maskrcnn_serving.serving_metadata(["phase"], 3.0)
    with pytest.raises(ValueError):
        maskrcnn_serving.serving_metadata(["fluorescence"], 0.5)


def test_grey_and_brightfield_get_the_canonical_plane_histology_its_rgb():
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 60, (40, 50, 1)).astype(np.uint8)
    grey[10:20, 10:20] = 200
    x, m, plane = maskrcnn_serving.served_input(grey, META)
    assert m == "fluorescence" and np.array_equal(x[0], plane) and np.array_equal(x[0], x[2])
    bright = (255 - grey).repeat(3, axis=2)
    x, m, _ = maskrcnn_serving.served_input(bright, META)
    assert m == "brightfield"
    assert x[0][15, 15] > 0.9, "nuclei bright: the canonical plane, not the percentile RGB (dark)"
    he = np.stack([rng.integers(180, 230, (40, 50)), rng.integers(100, 140, (40, 50)),
                   rng.integers(170, 210, (40, 50))], axis=2).astype(np.uint8)
    x, m, plane = maskrcnn_serving.served_input(he, META)
    assert m == "histology" and np.array_equal(x, data.normalise(he))
    assert plane is not None, "the size estimate still reads the canonical plane"
    # without a serving block: the training input, whatever the image
    x, m, plane = maskrcnn_serving.served_input(bright, {})
    assert m is None and np.array_equal(x, data.normalise(bright))


def test_boxes_found_on_a_shrunk_image_come_back_in_the_images_pixels():
    img = np.zeros((400, 600, 1), np.uint8)
    yy, xx = np.mgrid[0:400, 0:600]
    for cy, cx in [(100, 150), (100, 450), (300, 150), (300, 450)]:
        img[(yy - cy) ** 2 + (xx - cx) ** 2 < 50 ** 2] = 200   # nuclei ~100 px across, 7x the model's 14
    seen = {}

    def detect(x):
        seen["shape"] = x.shape
        h, w = x.shape[1:]
        return (np.array([[0.25 * w - 5, 0.25 * h - 5, 0.25 * w + 5, 0.25 * h + 5]], np.float32),
                np.array([0.9], np.float32), np.ones((1, 28, 28), np.float32))
    boxes, _, _ = maskrcnn_serving.served_detections(detect, img, META)
    f = scale.factor(scale.diameter(canonical.canonical(img)[0][0]), 14.0, 600, 400, 3.0, None)
    assert f < 0.25 and seen["shape"][1:] == (round(400 * f), round(600 * f))
    assert boxes[0, 0] + boxes[0, 2] == pytest.approx(2 * 150, abs=1e-3)
    assert boxes[0, 1] + boxes[0, 3] == pytest.approx(2 * 100, abs=1e-3)
    boxes, _, _ = maskrcnn_serving.served_detections(detect, img, META, diameter=0)
    assert seen["shape"][1:] == (400, 600), "--nucleus-diameter off: the image at its own size"


def test_score_maskrcnn_scores_each_type_as_served(tmp_path, capsys):
    """score_maskrcnn on a one-image histology "set" with the shipped model: the served input (its RGB for
    histology) scores the image as maskrcnn_serving serves it, and --canonical-for chooses the input."""
    from pathlib import Path

    from nucleispark_train import instances, maskrcnn, score_maskrcnn
    from nucleispark_train.predict_maskrcnn import load_detector
    repo = Path(__file__).resolve().parents[4]
    sample = repo / "sample-data" / "dsb"
    image_id = next(i for i in data.list_ids(sample) if i.startswith("1631352d"))  # H&E
    (tmp_path / "histology").mkdir()
    (tmp_path / "histology" / image_id).symlink_to(sample / image_id)
    models = repo / "models" / "maskrcnn"

    def run(*extra):
        score_maskrcnn.main(["--model-dir", str(models), "--sets", str(tmp_path), "--threads", "1", *extra])
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("histology\t1\t") and lines[1].startswith("type mean\t1\t")
        return float(lines[0].split("\t")[2])

    served = run()
    import json
    meta = json.loads((models / "model.json").read_text())
    raw = data.read_raw(sample, image_id)
    boxes, scores, masks = maskrcnn_serving.served_detections(load_detector(models / "model.pt"), raw, meta)
    pred = maskrcnn.instances_from_detections(boxes, scores, masks, raw.shape[:2], meta["thresholds"]["score_threshold"])
    assert served == pytest.approx(instances.dsb_score(data.read_labels(sample, image_id, raw.shape[:2]), pred), abs=1e-4)
    assert served > 0.2
    rgb, canonical_plane = run("--canonical-for", ""), run("--canonical-for", "histology")
    assert rgb != canonical_plane
    assert served == (canonical_plane if "histology" in meta["serving"]["canonical_for"] else rgb)


def test_a_model_trained_on_the_canonical_input_gets_it_for_every_modality(tmp_path):
    import json
    from pathlib import Path
    sample = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
    for trained_canonical, expected in ((True, list(canonical.MODALITIES)), (False, ["fluorescence", "brightfield"])):
        model_dir = tmp_path / str(trained_canonical)
        model_dir.mkdir()
        (model_dir / "model.json").write_text(json.dumps({"training": {"fold": "all", "canonical": trained_canonical}}))
        maskrcnn_serving.main(["--model-dir", str(model_dir), "--data", str(sample)])
        meta = json.loads((model_dir / "model.json").read_text())
        assert meta["serving"]["canonical_for"] == expected
        assert meta["nucleus_diameter"]["images"] == len(data.list_ids(sample))


def discs_and_specks(size, radius, spacing, speck):
    """Discs of radius r on a grid and, between them, specks of speck/2 x speck pixels (as
    ScaleToModelTest.discsAndSpecks draws them): the speckle of a haematoxylin plane."""
    plane = np.zeros((size, size), np.float32)
    yy, xx = np.mgrid[:size, :size]
    for cy in range(spacing // 2, size, spacing):
        for cx in range(spacing // 2, size, spacing):
            plane[(yy - cy) ** 2 + (xx - cx) ** 2 <= radius * radius] = 0.9
    for cy in range(0, size - speck, spacing // 4):
        for cx in range(0, size - speck, spacing // 4):
            if plane[max(0, cy - 1):cy + speck + 1, max(0, cx - 1):cx + speck + 1].any():
                continue
            plane[cy:cy + speck // 2, cx:cx + speck] = 0.9
    return plane


def test_the_weighted_estimate_ignores_specks_at_any_magnification():
    one = discs_and_specks(400, 10, 80, 6)
    assert scale.diameter(one) < 6, "the plain median reads a speck"
    assert scale.weighted_diameter(one) == pytest.approx(20, abs=2.5)
    assert scale.weighted_diameter(discs_and_specks(800, 20, 160, 12)) == pytest.approx(40, abs=3)
    assert np.isnan(scale.weighted_diameter(np.zeros((10, 10), np.float32)))
    yy, xx = np.mgrid[:200, :200]
    clean = (((yy % 48) - 24) ** 2 + ((xx % 48) - 24) ** 2 <= 100).astype(np.float32)
    assert scale.weighted_diameter(clean) == scale.diameter(clean), "equal discs: the same estimate"


def test_histology_is_brought_to_its_own_training_median_with_its_own_trigger():
    """As ScaleToModelTest.histologyIsBroughtToItsOwnTrainingMedianWhenTheModelRecordsOne."""
    plane = discs_and_specks(400, 20, 80, 6)
    weighted = scale.weighted_diameter(plane)
    diameters = {"median_estimate": 14.0, "histology": {"median_estimate": 22.0}}
    meta = {"serving": maskrcnn_serving.serving_metadata(["histology"], 3.0, 1.5), "nucleus_diameter": diameters}
    assert scale.served_diameters(plane, "histology", diameters) == (weighted, 22.0)
    assert scale.served_diameters(plane, "fluorescence", diameters) == (scale.diameter(plane), 14.0)
    assert scale.served_factor(meta, plane, 400, 400, modality="histology") == pytest.approx(22 / weighted)
    assert scale.served_factor(meta, plane, 400, 400, modality="fluorescence") == 1.0
    assert scale.served_factor(meta, plane, 400, 400, 40, "histology") == pytest.approx(22 / 40)
    assert scale.served_factor(meta, plane, 400, 400, 30, "histology") == 1.0
    assert scale.served_factor(meta, plane, 400, 400, 0, "histology") == 1.0
    older = {"serving": maskrcnn_serving.serving_metadata(["histology"], 3.0), "nucleus_diameter": {"median_estimate": 14.0}}
    assert "shrink_above_histology" not in older["serving"]
    assert scale.served_factor(older, plane, 400, 400, modality="histology") == 1.0
    with pytest.raises(ValueError):
        maskrcnn_serving.serving_metadata(["histology"], 3.0, 0.9)
    # low magnification: enlarged only with serving.enlarge_histology_below (as ScaleToModelTest's)
    yy, xx = np.mgrid[:400, :400]
    small = ((((yy % 30) - 15) ** 2 + ((xx % 30) - 15) ** 2) <= 36).astype(np.float32)
    w_small = scale.weighted_diameter(small)
    assert w_small < 22 / 1.5
    assert scale.served_factor(meta, small, 400, 400, modality="histology") == 1.0
    enlarging = {"serving": maskrcnn_serving.serving_metadata(["histology"], 3.0, 1.1, 1.5), "nucleus_diameter": diameters}
    assert scale.served_factor(enlarging, small, 400, 400, modality="histology") == pytest.approx(22 / w_small)
    assert scale.served_factor(enlarging, small, 400, 400, modality="fluorescence") == 1.0
    assert scale.served_factor(enlarging, small, 400, 400, 5, "histology") == 2.0


def test_the_histology_median_is_recorded_over_the_training_histology(tmp_path):
    """scale.main adds nucleus_diameter.histology to an exported model.json: over the images detected as histology."""
    import json
    from pathlib import Path
    meta = {"name": "unet", "nucleus_diameter": {"median_estimate": 14.0, "images": 3},
            "serving": {"shrink_above": 1.5, "enlarge": False}}
    (tmp_path / "model.json").write_text(json.dumps(meta))
    root = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"
    scale.main(["--model-dir", str(tmp_path), "--data", str(root)])
    written = json.loads((tmp_path / "model.json").read_text())
    assert written["serving"] == scale.UNET_SERVING
    block = written["nucleus_diameter"]
    histology = [i for i in data.list_ids(root) if canonical.detect(data.read_raw(root, i)) == "histology"]
    assert block["median_estimate"] == 14.0 and block["histology"]["images"] == len(histology) == 3
    expected = np.median([scale.weighted_diameter(canonical.canonical(data.read_raw(root, i))[0][0]) for i in histology])
    assert block["histology"]["median_estimate"] == pytest.approx(expected, abs=1e-3)


def test_an_enlarged_histology_image_is_interpolated_as_java_does():
    """Enlarging (serving.enlarge_histology_below) resizes bilinearly with half-pixel centres, as Java's
    ScaleToModel.resize (OpenCV INTER_LINEAR). torch's "area" mode, right for shrinking, repeats pixels when
    enlarging: MaskRcnnSegmenterTest's Java labels then disagreed with Python's on the sample 5ef4442e."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(3)
    raw = rng.integers(0, 255, (20, 30, 3)).astype(np.uint8)
    meta = {"serving": maskrcnn_serving.serving_metadata(list(canonical.MODALITIES), 3.0, 1.1, 1.5),
            "nucleus_diameter": {"median_estimate": 14.0, "histology": {"median_estimate": 22.0}}}
    seen = {}

    def detect(x):
        seen["x"] = x
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 28, 28), np.float32)
    maskrcnn_serving.served_detections(detect, raw, meta, modality="histology", diameter=5)  # 22 / 5: 2x at most
    x = canonical.served(raw, meta["serving"]["canonical"], "histology")[0]  # as served
    assert seen["x"].shape == (3, 40, 60)
    expected = F.interpolate(torch.from_numpy(x)[None], size=(40, 60), mode="bilinear", align_corners=False)[0].numpy()
    assert np.allclose(seen["x"], expected, atol=1e-6)
    assert not np.allclose(seen["x"], x.repeat(2, axis=1).repeat(2, axis=2), atol=1e-3), "not pixel repetition"
