package org.nucleispark.job.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nucleispark.io.InputFile;
import org.nucleispark.io.SequenceFields;

class SequencePartitionerTest {
    private static InputFile frame(String exp, String well, int frame, long size) {
        return new InputFile("file:/d/" + exp + "/" + well + "_t" + frame + ".tif", exp + "/" + well + "_t" + frame, size, 1,
                new SequenceFields(exp, well, "1", null, frame));
    }

    private static InputFile single(String id, long size) {
        return new InputFile("file:/d/" + id + ".png", id, size, 1);
    }

    @Test
    void defaultCountIsFourPerCoreAndCapsAPartitionsFiles() {
        assertEquals(8, SequencePartitioner.defaultCount(48, 2), "4 per core");
        assertEquals(5, SequencePartitioner.defaultCount(5, 2), "never more than the inputs");
        assertEquals(1, SequencePartitioner.defaultCount(0, 2));
        assertEquals(1024, SequencePartitioner.defaultCount(100_000, 256), "4 per core already keeps partitions under the cap");
        assertEquals(3907, SequencePartitioner.defaultCount(1_000_000, 256), "1e6 / 256 rounded up");
        List<InputFile> archive = new ArrayList<>();
        for (int i = 0; i < 3000; i++) archive.add(single(String.format("img%05d", i), 1000 + i % 7));
        List<List<InputFile>> plan = SequencePartitioner.plan(archive, SequencePartitioner.defaultCount(archive.size(), 2));
        assertEquals(12, plan.size());
        assertTrue(plan.stream().allMatch(p -> p.size() <= SequencePartitioner.MAX_DEFAULT_FILES), "each partition within the cap");
    }

    @Test
    void eachSequenceInOnePartitionInFrameOrder() {
        List<InputFile> inputs = new ArrayList<>();
        for (int t = 0; t < 12; t++) inputs.add(frame("expA", "A01", t, 100));
        for (int t = 0; t < 7; t++) inputs.add(frame("expB", "B02", t, 100));
        Collections.shuffle(inputs, new Random(42));
        List<List<InputFile>> plan = SequencePartitioner.plan(inputs, 4);
        assertEquals(2, plan.size(), "two groups fill two partitions; the other two would be empty");
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int p = 0; p < plan.size(); p++) {
            int last = -1;
            for (InputFile f : plan.get(p)) {
                Integer before = partitionOf.put(f.sequence().experiment(), p);
                assertTrue(before == null || before == p, f.imageId() + " left its sequence's partition");
                assertTrue(f.sequence().frame() > last, "frames out of order in partition " + p);
                last = f.sequence().frame();
            }
        }
        assertEquals(19, plan.stream().mapToInt(List::size).sum());
    }

    @Test
    void balancesBytesNotFileCounts() {
        // one heavy sequence (4 frames × 1000) and eight light single files (8 × 500): 4000 vs 4000
        List<InputFile> inputs = new ArrayList<>();
        for (int t = 0; t < 4; t++) inputs.add(frame("big", "W", t, 1000));
        for (int i = 0; i < 8; i++) inputs.add(single("small" + i, 500));
        List<List<InputFile>> plan = SequencePartitioner.plan(inputs, 2);
        assertEquals(2, plan.size());
        assertEquals(4000, SequencePartitioner.weight(plan.get(0)));
        assertEquals(4000, SequencePartitioner.weight(plan.get(1)));
        assertTrue(plan.stream().anyMatch(p -> p.size() == 4) && plan.stream().anyMatch(p -> p.size() == 8),
                "equal bytes means 4 files in one partition and 8 in the other");
    }

    @Test
    void framesWithoutNumbersGoLastAndSameKeyAcrossChannelsStaysApart() {
        InputFile dapi0 = new InputFile("p0", "w/dapi0", 1, 1, new SequenceFields("e", "w", "1", "dapi", 0));
        InputFile gfp0 = new InputFile("p1", "w/gfp0", 1, 1, new SequenceFields("e", "w", "1", "gfp", 0));
        InputFile dapiNoFrame = new InputFile("p2", "w/dapi-x", 1, 1, new SequenceFields("e", "w", "1", "dapi", null));
        List<List<InputFile>> groups = SequencePartitioner.groups(List.of(dapiNoFrame, gfp0, dapi0));
        assertEquals(List.of(List.of(dapi0, dapiNoFrame), List.of(gfp0)), groups);
    }

    @Test
    void neverMorePartitionsThanGroupsAndNoneEmpty() {
        List<List<InputFile>> plan = SequencePartitioner.plan(List.of(single("a", 0), single("b", 0), single("c", 0)), 8);
        assertEquals(3, plan.size());
        plan.forEach(p -> assertEquals(1, p.size()));
    }
}
