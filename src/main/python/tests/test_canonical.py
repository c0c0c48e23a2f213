"""The canonical input: modality decisions on known cases, and the committed Java reference still true."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

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
