package org.nucleispark.ensemble;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

/** Exports a trained MLlib GBT model's trees to {@link RegressionTree}s (continuous splits only). */
public final class MllibTrees {
    private MllibTrees() {}

    public static List<RegressionTree> of(GBTRegressionModel model) {
        DecisionTreeRegressionModel[] trees = model.trees();
        double[] weights = model.treeWeights();
        List<RegressionTree> out = new ArrayList<>();
        for (int t = 0; t < trees.length; t++) out.add(flatten(trees[t].rootNode(), weights[t]));
        return out;
    }

    private static RegressionTree flatten(Node root, double weight) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(root);
        List<int[]> children = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n instanceof InternalNode in) {
                nodes.add(in.leftChild());
                nodes.add(in.rightChild());
                children.add(new int[] {nodes.size() - 2, nodes.size() - 1});
            } else {
                children.add(null);
            }
        }
        int size = nodes.size();
        int[] feature = new int[size], left = new int[size], right = new int[size];
        double[] threshold = new double[size], value = new double[size];
        for (int i = 0; i < size; i++) {
            Node n = nodes.get(i);
            if (n instanceof LeafNode leaf) {
                feature[i] = -1;
                value[i] = leaf.prediction();
            } else {
                InternalNode in = (InternalNode) n;
                if (!(in.split() instanceof ContinuousSplit split)) {
                    throw new IllegalArgumentException("categorical splits are not used by the ensemble's features");
                }
                feature[i] = split.featureIndex();
                threshold[i] = split.threshold();
                left[i] = children.get(i)[0];
                right[i] = children.get(i)[1];
                value[i] = in.prediction();
            }
        }
        return new RegressionTree(weight, feature, threshold, left, right, value);
    }
}
