"""Packing for the trip to a GPU machine must not change a single training array, and the shared
training helpers must fit schedules to budgets as documented.

Run: cd src/main/python && /usr/bin/python3 -m pytest -q tests
"""
import math
from pathlib import Path

import numpy as np
import torch

from nucleispark_train import data, pack, slim, training

SAMPLE_DSB = Path(__file__).resolve().parents[4] / "sample-data" / "dsb"


def test_pack_unpack_gives_identical_training_arrays(tmp_path):
    ids = pack.pack(SAMPLE_DSB, tmp_path / "packed")
    assert ids == data.list_ids(SAMPLE_DSB) and len(ids) == 9
    assert pack.unpack(tmp_path / "packed", tmp_path / "dsb") == ids
    for image_id in ids:
        raw = data.read_raw(SAMPLE_DSB, image_id)
        back = data.read_raw(tmp_path / "dsb", image_id)
        assert np.array_equal(data.normalise(raw), data.normalise(back)), image_id
        assert np.array_equal(data.read_labels(SAMPLE_DSB, image_id, raw.shape[:2]),
                              data.read_labels(tmp_path / "dsb", image_id, back.shape[:2])), image_id
    original = sum(p.stat().st_size for p in SAMPLE_DSB.rglob("*.png"))
    packed = sum(p.stat().st_size for p in (tmp_path / "packed").iterdir())
    assert packed < original


def test_grey_stored_as_rgb_becomes_one_plane_and_colour_stays():
    grey = np.random.default_rng(0).integers(0, 255, (5, 7, 1), dtype=np.uint8)
    assert pack.compact_image(np.repeat(grey, 3, axis=2)).shape == (5, 7)
    colour = np.concatenate([grey, grey, grey + 1], axis=2)
    assert pack.compact_image(colour).shape == (5, 7, 3)


def test_fit_epochs_lowers_only_when_the_budget_is_short():
    assert training.fit_epochs(80, 20, 10.0, math.inf) == 80
    assert training.fit_epochs(80, 20, 10.0, 1000.0) == 80  # 20 + 100 >= 80
    assert training.fit_epochs(80, 20, 10.0, 305.0) == 50
    assert training.fit_epochs(80, 20, 10.0, 5.0) == 21  # never below one more epoch


def test_shortened_horizon_anneals_the_learning_rate_sooner():
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    horizon = training.Horizon(100)
    sched = training.warmup_cosine(opt, 0, horizon)
    for _ in range(10):
        opt.step()
        sched.step()
    assert sched.get_last_lr()[0] > 0.9
    horizon.total_steps = 10
    opt.step()
    sched.step()
    assert abs(sched.get_last_lr()[0] - 0.01) < 1e-9


def test_slim_checkpoint_drops_optimizer_and_halves_weights(tmp_path):
    net = torch.nn.Linear(4, 3)
    opt = torch.optim.Adam(net.parameters())
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "scheduler": {}, "epoch": 7},
               tmp_path / "c.pt")
    small = slim.slim(tmp_path / "c.pt", half=True)
    assert set(small) == {"model", "epoch"} and small["epoch"] == 7
    assert all(v.dtype == torch.float16 for v in small["model"].values())
    back = torch.nn.Linear(4, 3)
    back.load_state_dict(small["model"])  # copied into float32 parameters
    assert back.weight.dtype == torch.float32
    assert torch.allclose(back.weight, net.weight, atol=1e-3)
