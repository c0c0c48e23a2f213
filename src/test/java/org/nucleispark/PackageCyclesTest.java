package org.nucleispark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dependencies between org.nucleispark.* packages point one way: no package reaches itself. */
class PackageCyclesTest {
    private static final Path MAIN_CLASSES = Paths.get("target/classes");

    @Test
    void mainPackagesAreFreeOfCycles() throws Exception {
        Map<String, Set<String>> edges = PackageGraph.read(MAIN_CLASSES);
        assertTrue(edges.containsKey("segment") && edges.containsKey("image"), "read the compiled classes: " + edges.keySet());
        assertEquals(List.of(), PackageGraph.cycles(edges), "package cycles (a → … → a)");
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> edges = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        List<List<String>> cycles = PackageGraph.cycles(edges);
        assertEquals(1, cycles.size(), cycles.toString());
        assertEquals(4, cycles.get(0).size());
        assertEquals(cycles.get(0).get(0), cycles.get(0).get(3));
        assertEquals(List.of(), PackageGraph.cycles(Map.of("a", Set.of("b"), "b", Set.of())));
    }
}
