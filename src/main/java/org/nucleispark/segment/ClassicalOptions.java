package org.nucleispark.segment;

/**
 * Settings of the classical (weight-free) segmenter.
 *
 * @param blurSigma      Gaussian blur before Otsu, in px: suppresses shot noise that would otherwise
 *                       punch holes into dim nuclei and scatter specks over the background
 * @param peakRadius     half-size of the window in which a distance-transform maximum must be the
 *                       largest to seed a nucleus; larger merges more, smaller splits more
 * @param minPeakDistance minimum distance-transform value (px from the background) of a seed, so that
 *                       thin bridges between nuclei do not become seeds of their own
 * @param minArea        objects smaller than this (px) are dropped
 */
public record ClassicalOptions(double blurSigma, int peakRadius, double minPeakDistance, int minArea) {
    public static ClassicalOptions defaults() {
        return new ClassicalOptions(1.0, 5, 2.0, 10);
    }

    /** Stable text of the settings, part of the model version. */
    public String describe() {
        return "blur=" + blurSigma + ",peak=" + peakRadius + ",minPeak=" + minPeakDistance + ",minArea=" + minArea;
    }
}
