package org.nucleispark.segment;

import java.util.List;
import org.nucleispark.model.ModelUnavailableException;

/**
 * Which device a task's models run on. Spark's resource scheduling gives each task the GPU addresses
 * it may use (spark.task.resource.gpu.amount, the executor's discovery script); without this, DJL
 * would put every model on GPU 0 and an executor offered GPUs 0 and 1 would leave 1 idle while its
 * tasks queue on 0. The addresses are CUDA ordinals as seen by the executor (deploy/gpu-discovery.sh
 * renumbers them under CUDA_VISIBLE_DEVICES exactly as CUDA does).
 */
public final class GpuAssignment {
    private GpuAssignment() {}

    /**
     * @param addresses the task's "gpu" addresses (empty when it was given none)
     * @return the DJL device name ("gpu1"), or null when the task has no GPU: DJL's default then
     *     applies (GPU 0 where one exists and no scheduling is configured, e.g. a workstation; else CPU)
     */
    public static String device(List<String> addresses) {
        if (addresses.isEmpty()) return null;
        // a task given several GPUs (amount > 1) runs its one model on the first; more would need
        // model parallelism, which nuclei-sized models do not
        String first = addresses.get(0).trim();
        if (!first.matches("\\d+")) {
            throw new ModelUnavailableException("Spark assigned GPU address '" + first + "', which is not a CUDA device "
                    + "ordinal; make the discovery script print ordinals (deploy/gpu-discovery.sh does)");
        }
        return "gpu" + Integer.parseInt(first);
    }
}
