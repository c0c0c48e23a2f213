"""Fixtures shared by the training-recipe tests."""
import pytest


@pytest.fixture
def dsb_subset(tmp_path):
    """make(root, ids) -> a DSB-layout folder under tmp_path holding only those images (as links)."""
    def make(root, ids):
        assert root.is_dir(), root
        subset = tmp_path / "dsb"
        subset.mkdir()
        for image_id in ids:
            (subset / image_id).symlink_to((root / image_id).resolve())
        return subset
    return make
