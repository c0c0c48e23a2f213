"""A small U-Net (Ronneberger et al. 2015) predicting nucleus foreground and touching borders.

Four 2x down-samplings, so input height and width must be multiples of 16. The decoder never pads
or crops skip connections: that keeps the forward pass free of shape-dependent Python, so one
torch.jit.trace works for every multiple-of-16 size and batch size.
"""
import torch
from torch import nn

OUTPUTS = ("nucleus", "touching_border")


def double_conv(c_in, c_out):
    """(3x3 conv, BatchNorm, ReLU) x 2; bias is redundant before BatchNorm."""
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """(N, in_channels, H, W) -> (N, out_channels, H, W) logits; widths base * (1, 2, 4, 8, 16)."""

    def __init__(self, in_channels=3, out_channels=2, base=16, depth=4):
        super().__init__()
        widths = [base * 2 ** i for i in range(depth + 1)]
        self.down = nn.ModuleList([double_conv(in_channels, widths[0])] +
                                  [double_conv(widths[i], widths[i + 1]) for i in range(depth)])
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2)
                                 for i in reversed(range(depth))])
        self.merge = nn.ModuleList([double_conv(2 * widths[i], widths[i]) for i in reversed(range(depth))])
        self.head = nn.Conv2d(widths[0], out_channels, 1)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))
            skips.append(x)
        x = skips.pop()
        for up, merge in zip(self.up, self.merge):
            x = merge(torch.cat([skips.pop(), up(x)], dim=1))
        return self.head(x)


class ProbabilityModel(nn.Module):
    """Export wrapper: the served model returns probabilities, not logits."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.sigmoid(self.net(x))


def pad_to_multiple(x, multiple=16):
    """Reflect-pad the bottom/right of an (N, C, H, W) tensor to multiples; returns (padded, H, W)."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        # reflect needs pad < size; replicate covers tiny images
        mode = "reflect" if ph < h and pw < w else "replicate"
        x = nn.functional.pad(x, (0, pw, 0, ph), mode=mode)
    return x, h, w


# The four views the served TTA averages (TiledPredictor's flip codes 0-3): as is, left-right, up-down, both.
FLIP_DIMS = ((), (3,), (2,), (2, 3))


@torch.no_grad()
def flip_averaged_probabilities(model, x, dims=FLIP_DIMS):
    """(N, C, H, W) input -> (N, 2, H, W) probabilities averaged over the flips (by default the four the
    served TTA averages), each un-flipped; one forward pass over the views. model returns logits."""
    views = torch.cat([torch.flip(x, d) if d else x for d in dims])
    probs = torch.sigmoid(model(views)).chunk(len(dims))
    return sum(torch.flip(p, d) if d else p for p, d in zip(probs, dims)) / len(dims)


@torch.no_grad()
def predict_probabilities(model, image, multiple=16, flips=((),)):
    """Full-image inference: (3, H, W) float array/tensor -> (2, H, W) float32 numpy probabilities,
    averaged over flips (FLIP_DIMS: the served TTA's four views; by default the image as is).

    model returns logits (a UNet) in eval mode.
    """
    device = next(model.parameters()).device
    x = torch.as_tensor(image, dtype=torch.float32)[None].to(device)
    x, h, w = pad_to_multiple(x, multiple)
    return flip_averaged_probabilities(model, x, flips)[0, :, :h, :w].cpu().numpy()
