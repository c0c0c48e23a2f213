package org.nucleispark.segment;

import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Path;
import java.util.Locale;
import org.nucleispark.model.ModelFiles;
import org.nucleispark.model.ModelUnavailableException;

/**
 * Which DJL engine serves a network ({@code --engine}). The TorchScript file is the model of record and
 * the GPU path; on CPU executors ONNX Runtime runs the same network from the ONNX copy that
 * {@code nucleispark_train.export_onnx} writes, 1.4–1.6× faster per megapixel than libtorch on the
 * tiles the job runs (measured by {@code org.nucleispark.bench.UNetBenchmark}, docs/benchmarks.md), with the same probabilities within float
 * tolerance ({@code OnnxEngineTest}).
 */
public enum InferenceEngine {
    /** ONNX Runtime on CPU when the model has an ONNX copy and the task has no GPU; PyTorch otherwise. */
    AUTO,
    PYTORCH,
    ONNXRUNTIME;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file this (resolved) engine loads: the ONNX copy for ONNX Runtime, the TorchScript otherwise. */
    public Path weights(ModelFiles files) {
        return this == ONNXRUNTIME ? files.localOnnx() : files.localWeights();
    }

    /** DJL's engine name. */
    String djlName() {
        return this == ONNXRUNTIME ? "OnnxRuntime" : "PyTorch";
    }

    public static InferenceEngine parse(String text) {
        if (text == null) return AUTO;
        for (InferenceEngine e : values()) if (e.key().equalsIgnoreCase(text.trim())) return e;
        throw new IllegalArgumentException("--engine must be auto, pytorch or onnxruntime, not '" + text + "'");
    }

    /**
     * The engine a model runs on.
     *
     * @param hasOnnx whether the model ships an ONNX copy
     * @param device  the task's DJL device ({@link GpuAssignment}); null = none assigned
     * @param gpus    CUDA devices this JVM sees
     */
    public InferenceEngine resolve(boolean hasOnnx, String device, int gpus) {
        boolean gpu = device != null ? device.startsWith("gpu") : gpus > 0;
        switch (this) {
            case PYTORCH:
                return PYTORCH;
            case ONNXRUNTIME:
                if (!hasOnnx) {
                    throw new ModelUnavailableException("--engine onnxruntime: the model has no ONNX copy (model.json lacks 'onnx'); "
                            + "add one with python -m nucleispark_train.export_onnx --model DIR, or use --engine auto");
                }
                if (gpu) {
                    throw new ModelUnavailableException("--engine onnxruntime runs on CPUs only (the bundled ONNX Runtime has no CUDA "
                            + "provider); this task has GPU " + (device != null ? device : "0") + ": use --engine auto or pytorch");
                }
                return ONNXRUNTIME;
            default:
                return hasOnnx && !gpu ? ONNXRUNTIME : PYTORCH;
        }
    }

    /** {@link #resolve(boolean, String, int)} with the GPUs CUDA reports (0 without a CUDA runtime). */
    public InferenceEngine resolve(boolean hasOnnx, String device) {
        return resolve(hasOnnx, device, device != null ? 0 : CudaUtils.getGpuCount());
    }
}
