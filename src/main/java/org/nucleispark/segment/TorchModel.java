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
 * A TorchScript model served by DJL's PyTorch engine, shared by all task threads of a JVM. DJL
 * predictors are not thread-safe, so each thread gets its own (cheap: it shares the weights).
 */
public final class TorchModel implements TiledPredictor.BatchModel, AutoCloseable {
    static {
        // The profiling graph executor re-optimises for every new input shape, and tiles of
        // different images have different shapes: it costs seconds per shape and gains nothing here.
        System.setProperty("ai.djl.pytorch.graph_optimizer", System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
    }

    private final ZooModel<NDList, NDList> model;
    private final ThreadLocal<Predictor<NDList, NDList>> predictors;

    public TorchModel(Path weights) {
        this(weights, null);
    }

    /** @param device DJL device name ("cpu", "gpu1"); null = DJL's default (GPU 0 where there is one) */
    public TorchModel(Path weights, String device) {
        try {
            Criteria.Builder<NDList, NDList> builder = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(weights)
                    .optEngine("PyTorch")
                    .optTranslator(new NoopTranslator());
            if (device != null) builder = builder.optDevice(Device.fromName(device));
            Criteria<NDList, NDList> criteria = builder.build();
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelUnavailableException("the PyTorch engine cannot load " + weights + ": " + e.getMessage());
        }
        predictors = ThreadLocal.withInitial(model::newPredictor);
    }

    /** The device DJL loaded the weights on, e.g. cpu() or gpu(0). */
    public String device() {
        return model.getNDManager().getDevice().toString();
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
