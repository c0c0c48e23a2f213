package org.nucleispark.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The ensemble's IoU regressor as served: several gradient-boosted tree ensembles (variants trained
 * with different hyperparameters, as in the thesis) whose predictions are averaged, plus the
 * selection settings tuned with it. Stored as {@code trees.json} beside the MLlib models it was
 * exported from.
 */
public record IouModel(List<String> featureNames, List<List<RegressionTree>> variants, double maxOverlap,
                       double minPredictedIou) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when the model was trained with {@link IntensityFeatures}, so serving must compute them too. */
    public boolean usesIntensity() {
        return featureNames.stream().anyMatch(IntensityFeatures.NAMES::contains);
    }

    /** Mean over variants of each variant's weighted tree sum (MLlib GBT's prediction). */
    public double predict(double[] x) {
        if (x.length != featureNames.size()) {
            throw new IllegalArgumentException("expected " + featureNames.size() + " features, got " + x.length);
        }
        double sum = 0;
        for (List<RegressionTree> trees : variants) {
            double v = 0;
            for (RegressionTree t : trees) v += t.weight() * t.predict(x);
            sum += v;
        }
        return sum / variants.size();
    }

    public double[] predictAll(double[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = predict(rows[i]);
        return out;
    }

    public IouModel withSelection(double newMaxOverlap, double newMinPredictedIou) {
        return new IouModel(featureNames, variants, newMaxOverlap, newMinPredictedIou);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode names = root.putArray("features");
        featureNames.forEach(names::add);
        root.put("max_overlap", maxOverlap);
        root.put("min_predicted_iou", minPredictedIou);
        ArrayNode vs = root.putArray("variants");
        for (List<RegressionTree> trees : variants) {
            ArrayNode ts = vs.addArray();
            for (RegressionTree t : trees) {
                ObjectNode n = ts.addObject();
                n.put("weight", t.weight());
                ArrayNode f = n.putArray("feature");
                ArrayNode th = n.putArray("threshold");
                ArrayNode l = n.putArray("left");
                ArrayNode r = n.putArray("right");
                ArrayNode v = n.putArray("value");
                for (int i = 0; i < t.feature().length; i++) {
                    f.add(t.feature()[i]);
                    th.add(t.threshold()[i]);
                    l.add(t.left()[i]);
                    r.add(t.right()[i]);
                    v.add(t.value()[i]);
                }
            }
        }
        return root.toString();
    }

    public static IouModel fromJson(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        List<String> names = new ArrayList<>();
        root.get("features").forEach(n -> names.add(n.asText()));
        List<List<RegressionTree>> variants = new ArrayList<>();
        for (JsonNode vs : root.get("variants")) {
            List<RegressionTree> trees = new ArrayList<>();
            for (JsonNode t : vs) {
                int n = t.get("feature").size();
                int[] f = new int[n], l = new int[n], r = new int[n];
                double[] th = new double[n], v = new double[n];
                for (int i = 0; i < n; i++) {
                    f[i] = t.get("feature").get(i).asInt();
                    th[i] = t.get("threshold").get(i).asDouble();
                    l[i] = t.get("left").get(i).asInt();
                    r[i] = t.get("right").get(i).asInt();
                    v[i] = t.get("value").get(i).asDouble();
                }
                trees.add(new RegressionTree(t.get("weight").asDouble(), f, th, l, r, v));
            }
            variants.add(trees);
        }
        if (!CandidateFeatures.KNOWN.containsAll(names)) {
            List<String> unknown = names.stream().filter(n -> !CandidateFeatures.KNOWN.contains(n)).toList();
            throw new IOException("ensemble model was trained on features " + unknown + " that this build does not compute "
                    + "(it computes " + CandidateFeatures.KNOWN + "); retrain it with train-ensemble");
        }
        return new IouModel(names, variants, root.get("max_overlap").asDouble(), root.get("min_predicted_iou").asDouble());
    }
}
