"""The block path's large test images: copies tiled, every copy's nuclei labelled apart."""
import numpy as np

from nucleispark_train import mosaic


def test_copies_are_tiled_and_their_nuclei_numbered_apart():
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    labels = np.array([[0, 1, 1], [2, 0, 0]])
    big, big_labels = mosaic.tiled(image, labels, 2)
    assert big.shape == (4, 6, 3) and np.array_equal(big[2:, 3:], image)
    assert big_labels.max() == 8 and len(np.unique(big_labels)) == 9
    assert np.array_equal(big_labels[2:, 3:], np.where(labels > 0, labels + 6, 0))
    grey, _ = mosaic.tiled(image[..., 0], labels, 3)
    assert grey.shape == (6, 9)
