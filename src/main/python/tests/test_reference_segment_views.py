"""reference_segment.probabilities averages flipped views of an exported U-Net, each flipped back."""
import numpy as np
import torch

from nucleispark_train import reference_segment


class RowRamp(torch.nn.Module):
    """Not flip-equivariant: two planes, the input times its row index and its column index, so a view that is not
    flipped back would land its values on the wrong pixels."""

    def forward(self, x):
        h, w = x.shape[2:]
        rows = torch.arange(h, dtype=x.dtype)[:, None].expand(h, w)
        cols = torch.arange(w, dtype=x.dtype)[None, :].expand(h, w)
        return torch.stack([x[0, 0] * rows, x[0, 1] * cols])[None]


def test_views_are_flipped_back_and_averaged():
    rng = np.random.default_rng(0)
    x = rng.random((3, 16, 16)).astype(np.float32)
    model = RowRamp()
    one = reference_segment.probabilities(model, x, 16)
    rows, cols = np.arange(16.0)[:, None], np.arange(16.0)[None, :]
    assert np.allclose(one, np.stack([x[0] * rows, x[1] * cols]))
    updown = reference_segment.probabilities(model, x, 16, ((1,),))
    assert np.allclose(updown, np.stack([x[0] * (15 - rows), x[1] * cols])), "flipped back: row r saw row 15 - r"
    four = reference_segment.probabilities(model, x, 16, reference_segment.VIEWS)
    assert np.allclose(four, np.stack([x[0] * 7.5, x[1] * 7.5]), atol=1e-5), "every flip: the mean row and column"
    assert four.dtype == np.float32 and four.flags.c_contiguous
