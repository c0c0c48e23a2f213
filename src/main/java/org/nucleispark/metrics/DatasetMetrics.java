package org.nucleispark.metrics;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Data-set level metrics over a collection of {@link ImageEvaluation}s.
 *
 * <p>mAP, AP and Dice are means over images, as in the DSB 2018 leaderboard ("the score is the mean
 * of the image scores"). Precision, recall and matched-pair Dice are pooled: counts are summed over
 * all images before dividing, so every nucleus weighs the same wherever it is.
 *
 * <p>Undefined ratios: precision with no predictions anywhere and recall with no true nuclei anywhere
 * are defined as 1.0 (nothing was claimed wrongly / nothing was missed), matching the DSB 0/0 choice
 * in {@link DsbMetric#score}. With no images, mAP, AP and Dice are NaN; with no matched pairs,
 * matched Dice is NaN. NaN is written as JSON {@code null}.
 *
 * @param images number of images evaluated
 * @param mAP mean over images of the DSB image score
 * @param ap threshold key ("0.50" … "0.95") to the mean over images of the score at that threshold,
 *     in threshold order
 * @param dice mean over images of the foreground Dice
 * @param precisionAt07 pooled TP / predictions at IoU > 0.7
 * @param recallAt07 pooled TP / true nuclei at IoU > 0.7
 * @param oversegmentation total split true nuclei
 * @param undersegmentation total merging predictions
 * @param matchedDice pooled mean Dice of pairs matched at IoU > 0.5
 */
public record DatasetMetrics(
        int images,
        double mAP,
        Map<String, Double> ap,
        double dice,
        double precisionAt07,
        double recallAt07,
        long oversegmentation,
        long undersegmentation,
        double matchedDice) implements Serializable {

    public DatasetMetrics {
        Objects.requireNonNull(ap, "ap");
        ap = Collections.unmodifiableMap(new LinkedHashMap<>(ap));
    }

    public static DatasetMetrics of(Collection<ImageEvaluation> evaluations) {
        Objects.requireNonNull(evaluations, "evaluations");
        int n = evaluations.size();
        double scoreSum = 0;
        double diceSum = 0;
        double[] thresholdSums = new double[DsbMetric.THRESHOLD_COUNT];
        long tp = 0;
        long preds = 0;
        long trues = 0;
        long over = 0;
        long under = 0;
        double matchedDiceSum = 0;
        long matched = 0;
        for (ImageEvaluation e : evaluations) {
            scoreSum += e.score();
            diceSum += e.foregroundDice();
            for (int i = 0; i < thresholdSums.length; i++) {
                thresholdSums[i] += e.thresholdScore(i);
            }
            tp += e.tpAt07();
            preds += e.nPred();
            trues += e.nTrue();
            over += e.oversegmentation();
            under += e.undersegmentation();
            matchedDiceSum += e.matchedDiceSum();
            matched += e.matchedCount();
        }
        Map<String, Double> ap = new LinkedHashMap<>();
        for (int i = 0; i < thresholdSums.length; i++) {
            ap.put(DsbMetric.thresholdKey(i), thresholdSums[i] / n);
        }
        return new DatasetMetrics(n, scoreSum / n, ap, diceSum / n,
                ratioOrOne(tp, preds), ratioOrOne(tp, trues), over, under,
                matched == 0 ? Double.NaN : matchedDiceSum / matched);
    }

    private static double ratioOrOne(long numerator, long denominator) {
        return denominator == 0 ? 1.0 : (double) numerator / denominator;
    }

    /** Pretty-printed JSON with keys images, mAP, AP, dice, precision_at_0.7, recall_at_0.7,
     *  oversegmentation, undersegmentation, matched_dice (in that order). */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"images\": ").append(images).append(",\n");
        sb.append("  \"mAP\": ").append(json(mAP)).append(",\n");
        sb.append("  \"AP\": {");
        String sep = "\n";
        for (Map.Entry<String, Double> e : ap.entrySet()) {
            sb.append(sep).append("    \"").append(e.getKey()).append("\": ").append(json(e.getValue()));
            sep = ",\n";
        }
        sb.append(ap.isEmpty() ? "},\n" : "\n  },\n");
        sb.append("  \"dice\": ").append(json(dice)).append(",\n");
        sb.append("  \"precision_at_0.7\": ").append(json(precisionAt07)).append(",\n");
        sb.append("  \"recall_at_0.7\": ").append(json(recallAt07)).append(",\n");
        sb.append("  \"oversegmentation\": ").append(oversegmentation).append(",\n");
        sb.append("  \"undersegmentation\": ").append(undersegmentation).append(",\n");
        sb.append("  \"matched_dice\": ").append(json(matchedDice)).append("\n");
        sb.append("}\n");
        return sb.toString();
    }

    /** JSON has no NaN or Infinity; an undefined value is null. Double.toString is valid JSON otherwise. */
    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** A short table for the console. */
    public String toTable() {
        return String.format(Locale.ROOT,
                "images            %d%n"
                        + "mAP               %s%n"
                        + "AP@0.50           %s%n"
                        + "AP@0.75           %s%n"
                        + "Dice              %s%n"
                        + "P / R @0.7        %s / %s%n"
                        + "matched Dice      %s%n"
                        + "over / under      %d / %d%n",
                images, fmt(mAP), fmt(ap.get("0.50")), fmt(ap.get("0.75")), fmt(dice),
                fmt(precisionAt07), fmt(recallAt07), fmt(matchedDice), oversegmentation, undersegmentation);
    }

    private static String fmt(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
