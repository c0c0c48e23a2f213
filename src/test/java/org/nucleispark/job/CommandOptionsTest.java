package org.nucleispark.job;

import org.nucleispark.job.evaluate.EvaluateOptions;
import org.nucleispark.job.train.TrainEnsembleOptions;
import org.nucleispark.runtime.ExitCodes;
import org.nucleispark.runtime.SetupException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nucleispark.segment.SegmenterRegistry;

class CommandOptionsTest {
    @Test
    void evaluateOptionsKeepWhatTheyAreGiven() {
        EvaluateOptions o = new EvaluateOptions("out", "gt", "eval", "local[2]", "v1,v2");
        assertEquals("out", o.predictions());
        assertEquals("gt", o.groundTruth());
        assertEquals("eval", o.output());
        assertEquals("local[2]", o.master());
        assertEquals("v1,v2", o.modelVersion());
        assertNull(new EvaluateOptions("out", "gt", "eval", null, null).modelVersion());
    }

    @Test
    void evaluateOptionsRefuseAMissingPath() {
        assertTrue(assertThrows(SetupException.class, () -> new EvaluateOptions(null, "gt", "eval", null, null))
                .getMessage().contains("predictions"));
        assertTrue(assertThrows(SetupException.class, () -> new EvaluateOptions("out", " ", "eval", null, null))
                .getMessage().contains("ground truth"));
        assertTrue(assertThrows(SetupException.class, () -> new EvaluateOptions("out", "gt", "", null, null))
                .getMessage().contains("output"));
    }

    @Test
    void trainEnsembleOptionsDefaultAndCopy() {
        TrainEnsembleOptions d = new TrainEnsembleOptions("out", "gt", "models/ensemble", null, 60, 4);
        assertEquals(60, d.maxIter());
        assertEquals(4, d.folds());
        assertEquals(false, d.intensity());
        assertEquals(List.of(), d.versions());
        assertNull(d.oofOutput());
        assertEquals(TrainEnsembleOptions.DEFAULT_SEEDS, d.seeds());
        assertEquals(org.nucleispark.ensemble.FeatureSet.SCALE_FREE, d.features(), "the feature set the shipped trees use");

        List<String> versions = new ArrayList<>(List.of("a", "b"));
        TrainEnsembleOptions o = new TrainEnsembleOptions("out", "gt", "m", "local[1]", 1, 2, true, versions, "oof", 1);
        versions.add("c");
        assertEquals(List.of("a", "b"), o.versions(), "a copy: later changes to the caller's list do not reach it");
        assertEquals("oof", o.oofOutput());
        assertEquals(List.of(), new TrainEnsembleOptions("out", "gt", "m", null, 1, 2, false, null, null, 1).versions());
    }

    @Test
    void trainEnsembleSelectionIsAutoOrANumber() {
        assertEquals(org.nucleispark.ensemble.SelectionGrid.DEFAULT, Main.TrainEnsemble.selection("0.3", "auto"),
                "the command line's defaults are the thesis' overlap with the minimum tuned");
        assertEquals(org.nucleispark.ensemble.SelectionGrid.of(null, 0.45), Main.TrainEnsemble.selection("AUTO", " 0.45 "));
        assertEquals(org.nucleispark.ensemble.SelectionGrid.DEFAULT,
                new TrainEnsembleOptions("out", "gt", "m", null, 60, 4).selection());
        assertTrue(assertThrows(SetupException.class, () -> Main.TrainEnsemble.selection("half", "auto"))
                .getMessage().contains("--max-overlap"));
        assertTrue(assertThrows(SetupException.class, () -> Main.TrainEnsemble.selection("0.3", "2"))
                .getMessage().contains("[0, 1]"));
    }

    @Test
    void trainEnsembleOptionsRefuseImpossibleValues() {
        assertTrue(assertThrows(SetupException.class, () -> new TrainEnsembleOptions("out", "gt", "m", null, 0, 4))
                .getMessage().contains("--max-iter"));
        assertTrue(assertThrows(SetupException.class, () -> new TrainEnsembleOptions("out", "gt", "m", null, 60, 1))
                .getMessage().contains("--folds"));
        assertTrue(assertThrows(SetupException.class, () -> new TrainEnsembleOptions("out", "gt", "m", null, 60, 4, false, null, null, 0))
                .getMessage().contains("--seeds"));
        assertThrows(SetupException.class, () -> new TrainEnsembleOptions("out", null, "m", null, 60, 4));
        assertThrows(SetupException.class, () -> new TrainEnsembleOptions("out", "gt", null, null, 60, 4));
    }

    @Test
    void theCommandLineReportsABadValueAsASetupError() {
        assertEquals(ExitCodes.SETUP_ERROR, Main.run("train-ensemble", "--predictions", "out", "--ground-truth", "gt",
                "--output", "m", "--folds", "1"));
    }

    @Test
    void modelHelpListsEveryRegisteredModel() {
        PrintStream out = System.out;
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        System.setOut(new PrintStream(help, true, StandardCharsets.UTF_8));
        try {
            assertEquals(ExitCodes.OK, Main.run("segment", "--help"));
        } finally {
            System.setOut(out);
        }
        String text = help.toString(StandardCharsets.UTF_8);
        for (String key : SegmenterRegistry.keys()) assertTrue(text.contains(key + ": "), key + " in\n" + text);
        assertTrue(text.contains("Default: ensemble"), text);
    }
}
