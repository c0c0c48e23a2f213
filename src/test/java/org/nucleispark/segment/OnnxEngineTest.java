package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nucleispark.image.Image;
import org.nucleispark.image.Segmentation;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelUnavailableException;

/**
 * The U-Net's ONNX copy on ONNX Runtime against its TorchScript on libtorch: same probabilities within float
 * tolerance, hence the same nuclei, and the engine chosen as --engine says.
 */
class OnnxEngineTest {
    private static UNetOptions options(InferenceEngine engine) {
        return new UNetOptions(false, Double.NaN, Double.NaN, 4, null, 0, engine, UNetOptions.DEFAULT_PASS_PIXELS);
    }

    @Test
    void onnxRuntimeGivesTheTorchScriptsProbabilitiesAndNuclei() throws Exception {
        String id = SampleImages.ids().get(0);
        Image image = SampleImages.image(id);
        ModelFiles files = ModelFiles.resolve("models", "unet", new Configuration());
        assertNotNull(files.localOnnx(), "models/unet ships model.onnx");
        try (UNetSegmenter torch = new UNetSegmenter(files, options(InferenceEngine.PYTORCH));
             UNetSegmenter onnx = new UNetSegmenter(files, options(InferenceEngine.ONNXRUNTIME))) {
            assertTrue(onnx.device().contains("onnxruntime"), onnx.device());
            assertFalse(torch.device().contains("onnxruntime"), torch.device());
            assertEquals(torch.version(), onnx.version(), "the engine is not part of the version");
            float[][] a = torch.probabilities(image), b = onnx.probabilities(image);
            double maxDiff = 0;
            for (int c = 0; c < 2; c++) for (int i = 0; i < a[c].length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[c][i] - b[c][i]));
            assertTrue(maxDiff < 1e-4, "max |p_torch - p_onnx| = " + maxDiff);
            Segmentation sa = torch.segment(image), sb = onnx.segment(image);
            assertTrue(sa.labels().maxLabel() > 5);
            assertEquals(sa.labels().maxLabel(), sb.labels().maxLabel());
            int differ = 0;
            int[] la = sa.labels().labels(), lb = sb.labels().labels();
            for (int i = 0; i < la.length; i++) if (la[i] != lb[i]) differ++;
            assertTrue(differ <= la.length / 1000, differ + " of " + la.length + " label pixels differ");
        }
    }

    @Test
    void autoTakesOnnxRuntimeOnCpusOnlyWhenTheModelHasAnOnnxCopy() {
        assertEquals(InferenceEngine.ONNXRUNTIME, InferenceEngine.AUTO.resolve(true, null, 0));
        assertEquals(InferenceEngine.PYTORCH, InferenceEngine.AUTO.resolve(true, "gpu1", 0));
        assertEquals(InferenceEngine.PYTORCH, InferenceEngine.AUTO.resolve(true, null, 2)); // DJL would pick GPU 0
        assertEquals(InferenceEngine.PYTORCH, InferenceEngine.AUTO.resolve(false, null, 0));
        assertEquals(InferenceEngine.PYTORCH, InferenceEngine.PYTORCH.resolve(true, null, 0));
        assertThrows(ModelUnavailableException.class, () -> InferenceEngine.ONNXRUNTIME.resolve(false, null, 0));
        assertThrows(ModelUnavailableException.class, () -> InferenceEngine.ONNXRUNTIME.resolve(true, "gpu0", 0));
        assertEquals(InferenceEngine.ONNXRUNTIME, InferenceEngine.parse("OnnxRuntime"));
        assertThrows(IllegalArgumentException.class, () -> InferenceEngine.parse("tensorrt"));
    }

    @Test
    void aModelWithoutAnOnnxCopyStillServesOnPyTorch(@TempDir Path dir) throws Exception {
        Path unet = Files.createDirectories(dir.resolve("unet"));
        Files.copy(Path.of("models/unet/model.pt"), unet.resolve("model.pt"));
        JsonObject json = JsonParser.parseString(Files.readString(Path.of("models/unet/model.json"))).getAsJsonObject();
        json.remove("onnx");
        Files.writeString(unet.resolve("model.json"), json.toString());
        ModelFiles files = ModelFiles.resolve(dir.toString(), "unet", new Configuration());
        assertNull(files.localOnnx());
        try (UNetSegmenter s = new UNetSegmenter(files, options(InferenceEngine.AUTO))) {
            assertFalse(s.device().contains("onnxruntime"));
        }
    }

    @Test
    void aCorruptOnnxCopyStopsTheRunWithItsName(@TempDir Path dir) throws Exception {
        Path unet = Files.createDirectories(dir.resolve("unet"));
        for (String f : new String[] {"model.pt", "model.json"}) {
            Files.copy(Path.of("models/unet", f), unet.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(unet.resolve("model.onnx"), new byte[] {1, 2, 3});
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> ModelFiles.resolve(dir.toString(), "unet", new Configuration()));
        assertTrue(e.getMessage().contains("model.onnx") && e.getMessage().contains("sha256"), e.getMessage());
    }
}
