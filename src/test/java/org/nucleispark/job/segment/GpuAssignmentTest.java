package org.nucleispark.job.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nucleispark.segment.GpuAssignment;
import org.nucleispark.model.ModelUnavailableException;

/** Per-task GPU selection: the address Spark gives a task decides which device its models load on. */
class GpuAssignmentTest {
    @Test
    void theTasksFirstAddressNamesItsDevice() {
        assertEquals("gpu1", GpuAssignment.device(List.of("1")));
        assertEquals("gpu0", GpuAssignment.device(List.of("0", "3")), "a task given two GPUs uses the first");
        assertNull(GpuAssignment.device(List.of()), "no GPU assigned: DJL's default device");
        assertThrows(ModelUnavailableException.class, () -> GpuAssignment.device(List.of("MIG-4f2c")));
    }

    /**
     * Spark's local mode offers no custom resources (a task that asks for a GPU there is never
     * scheduled), so a real multi-GPU assignment needs a cluster; here a real task shows the other
     * side: given no GPU, it keeps DJL's default device and so the driver's cached segmenter spec.
     */
    @Test
    void aTaskGivenNoGpuKeepsTheDefaultDevice() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("gpu-assignment")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<String> devices = jsc.parallelize(List.of(1, 2), 2)
                    .map(i -> String.valueOf(GpuAssignment.device(SegmentPartition.gpus(TaskContext.get())))).collect();
            assertEquals(List.of("null", "null"), devices);
        } finally {
            spark.stop();
        }
        assertTrue(SegmentPartition.gpus(null).isEmpty(), "outside a task");
    }
}
