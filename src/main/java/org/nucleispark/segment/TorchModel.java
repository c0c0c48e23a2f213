package org.nucleispark.segment;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.FloatBuffer;
import org.nucleispark.model.ModelUnavailableException;
import ai.djl.Device;
import java.util.function.Function;
import java.nio.file.Path;

/**
 * A network served by DJL, shared by all task threads of a JVM: a TorchScript file on the PyTorch
 * engine, or its ONNX copy on ONNX Runtime ({@link InferenceEngine}). DJL predictors are not
 * thread-safe, so each thread gets its own (cheap: it shares the weights).
 */
public final class TorchModel implements TiledPredictor.BatchModel, AutoCloseable {
    static {
        // The profiling graph executor re-optimises for every new input shape, and tiles of
        // different images have different shapes: it costs seconds per shape and gains nothing here.
        System.setProperty("ai.djl.pytorch.graph_optimizer", System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
    }

    private final ZooModel<NDList, NDList> model;
    private final ThreadLocal<Predictor<NDList, NDList>> predictors;
    private final InferenceEngine engine;

    public TorchModel(Path weights) {
        this(weights, null);
    }

    /** @param device DJL device name ("cpu", "gpu1"); null = DJL's default (GPU 0 where there is one) */
    public TorchModel(Path weights, String device) {
        this(weights, device, InferenceEngine.PYTORCH);
    }

    /**
     * @param weights the file for the engine: TorchScript (.pt) for PyTorch, ONNX for ONNX Runtime
     * @param engine  PYTORCH or ONNXRUNTIME (resolved, not AUTO)
     */
    public TorchModel(Path weights, String device, InferenceEngine engine) {
        if (engine == InferenceEngine.AUTO) throw new IllegalArgumentException("resolve the engine first");
        this.engine = engine;
        try {
            Criteria.Builder<NDList, NDList> builder = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(weights)
                    .optEngine(engine.djlName())
                    .optTranslator(new NoopTranslator());
            if (engine == InferenceEngine.ONNXRUNTIME) {
                // one intra-op thread per task core, as TaskThreads gives libtorch: N tasks keep N cores busy,
                // and ONNX Runtime's own pools do not oversubscribe them
                builder = builder.optOption("interOpNumThreads", "1")
                        .optOption("intraOpNumThreads", String.valueOf(TaskThreads.threads()));
            } else if (device != null) {
                builder = builder.optDevice(Device.fromName(device));
            }
            Criteria<NDList, NDList> criteria = builder.build();
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelUnavailableException("the " + engine.djlName() + " engine cannot load " + weights + ": " + e.getMessage());
        }
        predictors = ThreadLocal.withInitial(model::newPredictor);
    }

    /** The device DJL loaded the weights on, e.g. cpu() or gpu(0), and the engine when it is ONNX Runtime. */
    public String device() {
        String d = model.getNDManager().getDevice().toString();
        return engine == InferenceEngine.ONNXRUNTIME ? d + " (onnxruntime)" : d;
    }

    public InferenceEngine engine() {
        return engine;
    }

    @Override
    public float[] run(float[] input, int n, int channels, int height, int width) {
        return infer(input, new Shape(n, channels, height, width), out -> out.singletonOrThrow().toFloatArray());
    }

    /**
     * Runs a model whose forward returns several tensors (a tuple, as a detector's boxes, scores and
     * masks): one flat float array per output, in the model's order.
     */
    public float[][] runAll(float[] input, int n, int channels, int height, int width) {
        return infer(input, new Shape(n, channels, height, width), out -> {
            float[][] arrays = new float[out.size()][];
            for (int i = 0; i < out.size(); i++) arrays[i] = out.get(i).toFloatArray();
            return arrays;
        });
    }

    /**
     * One forward pass on this thread's predictor, its outputs read back by {@code read} before the
     * call's tensors are freed; all of it counted on the {@link InferenceClock} (on a GPU, reading
     * the outputs back is what waits for the forward pass).
     */
    private <T> T infer(float[] input, Shape shape, Function<NDList, T> read) {
        long t0 = System.nanoTime();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(FloatBuffer.wrap(input), shape);
            return read.apply(predictors.get().predict(new NDList(x)));
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            InferenceClock.add(System.nanoTime() - t0);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
