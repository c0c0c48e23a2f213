"""Builds sample-data/timelapse/drift16.tif: a 16-bit, LZW-compressed, 3-page TIFF stack.

Each page is the DSB image b0d6dfcc... (grey fluorescence, 256x256) shifted right by 4 px per frame,
scaled from 8 to 12 bits (x * 16, as a 12-bit camera would store it in 16-bit words).
It exercises the multi-page/16-bit/LZW decoder paths with real nuclei whose answer is known:
the frames are shifted copies of a ground-truthed image.

Run with Debian's Python (python3-pil, python3-numpy): /usr/bin/python3 sample-data/make_timelapse.py
"""
import os
import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
src_id = "b0d6dfcc95e4d087d232378f860fc3ef9f95ea5a4c26d623a0be091f820a793f"
src = np.asarray(Image.open(os.path.join(here, "dsb", src_id, "images", src_id + ".png")))[..., 0]
frames = []
for t in range(3):
    shifted = np.roll(src, 4 * t, axis=1).astype(np.uint16) * 16
    frames.append(Image.fromarray(shifted, mode="I;16"))
out = os.path.join(here, "timelapse", "drift16.tif")
frames[0].save(out, save_all=True, append_images=frames[1:], compression="tiff_lzw")
print("wrote", out)
