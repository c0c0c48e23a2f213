"""Training recipes for NucleiSpark's deep segmenters (U-Net); they produce models/unet/."""
