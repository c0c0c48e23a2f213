"""Writes the Python reference for MaskRcnnSegmenterTest / MaskRcnnPostprocessTest (run from src/main/python
with the Debian torch: cd src/main/python && PYTHONPATH=. /usr/bin/python3 ../../test/resources/maskrcnn/make_reference.py).

paste.json: hand-made boxes and seeded random 28x28 masks pasted by each of maskrcnn.PASTES.
instances.json: maskrcnn.instances_from_detections on a small synthetic detection set (each paste).
labels/<id>.png: 16-bit label images of the shipped model on sample-data/dsb, served (input by modality,
rescale: maskrcnn_serving.served_detections) and post-processed as its model.json says (thresholds, min
size, paste).
"""
import json
from pathlib import Path

import numpy as np
from PIL import Image

from nucleispark_train import data, maskrcnn, maskrcnn_serving
from nucleispark_train.predict_maskrcnn import load_detector

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
rng = np.random.default_rng(7)

def mask():
    # smooth-ish probabilities with values on both sides of 0.5
    m = rng.random((28, 28)).astype(np.float32)
    yy, xx = np.mgrid[0:28, 0:28]
    blob = np.exp(-((yy - 13.5) ** 2 + (xx - 13.5) ** 2) / 120.0).astype(np.float32)
    return (0.6 * blob + 0.4 * m).astype(np.float32)

H, W = 30, 40
boxes = [
    [10.3, 5.7, 25.9, 19.2],     # inside, downscaled
    [-3.2, -1.5, 8.4, 9.9],      # clipped at top-left
    [30.6, 22.1, 41.5, 31.8],    # clipped at bottom-right
    [12.2, 14.6, 12.9, 15.1],    # sub-pixel
    [2.0, 1.0, 38.5, 29.0],      # larger than 30 px: upscaled
    [0.0, 0.0, 40.0, 30.0],      # the whole image
    [5.5, 3.25, 7.75, 24.5],     # thin
]
cases = []
for b in boxes:
    m = mask()
    case = {"box": b, "mask": m.ravel().tolist(), "height": H, "width": W}
    for name, paste in maskrcnn.PASTES.items():
        (y0, y1, x0, x1), prob = paste(m, np.asarray(b, np.float32), H, W)
        case[name] = {"window": [int(y0), int(y1), int(x0), int(x1)], "prob": prob.astype(np.float64).ravel().tolist()}
    cases.append(case)
(HERE / "paste.json").write_text(json.dumps({"cases": cases}))

# synthetic detections: overlapping pairs, a tie, a small object, a ring with a hole, low score
det_boxes = np.array([
    [5, 5, 20, 20], [12, 8, 27, 23], [30, 2, 38, 10], [33, 2, 41, 10], [2, 24, 5, 27], [20, 24, 36, 38],
    [40, 30, 47, 37]], np.float32)
det_scores = np.array([0.99, 0.95, 0.9, 0.9, 0.88, 0.85, 0.5], np.float32)
det_masks = np.stack([mask() for _ in det_boxes])
ring = np.zeros((28, 28), np.float32)
yy, xx = np.mgrid[0:28, 0:28]
r = np.hypot(yy - 13.5, xx - 13.5)
ring[(r > 5) & (r < 12)] = 0.9
det_masks[5] = ring
labels = {name: maskrcnn.instances_from_detections(det_boxes, det_scores, det_masks, (40, 50), score_threshold=0.8,
                                                   mask_threshold=0.5, min_size=10, paste=name).ravel().tolist()
          for name in maskrcnn.PASTES}
(HERE / "instances.json").write_text(json.dumps({
    "height": 40, "width": 50, "score_threshold": 0.8, "mask_threshold": 0.5, "min_size": 10,
    "boxes": det_boxes.tolist(), "scores": det_scores.astype(np.float64).tolist(),
    "masks": det_masks.astype(np.float64).reshape(len(det_boxes), -1).tolist(),
    "labels": labels}))

meta = json.loads((ROOT / "models/maskrcnn/model.json").read_text())
post = dict(score_threshold=meta["thresholds"]["score_threshold"], mask_threshold=meta["thresholds"]["mask_threshold"],
            min_size=meta["postprocess"]["min_object_px"], paste=meta["postprocess"].get("paste", "torchvision"))
print("post-process", post)
detect = load_detector(ROOT / "models/maskrcnn/model.pt")
dsb = ROOT / "sample-data/dsb"
out = HERE / "labels"
out.mkdir(exist_ok=True)
for d in sorted(dsb.iterdir()):
    raw = data.read_raw(dsb, d.name)
    boxes, scores, masks = maskrcnn_serving.served_detections(detect, raw, meta)
    lab = maskrcnn.instances_from_detections(boxes, scores, masks, raw.shape[:2], **post)
    Image.fromarray(lab.astype(np.uint16)).save(out / f"{d.name}.png")
    print(d.name[:8], raw.shape[:2], len(scores), int((scores >= 0.8).sum()), int(lab.max()), flush=True)
