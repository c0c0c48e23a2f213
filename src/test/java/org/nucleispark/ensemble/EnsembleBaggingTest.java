package org.nucleispark.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EnsembleTrainer#bagged}: each variant fitted on other draws, the first fit as before. */
class EnsembleBaggingTest {
    @Test
    void eachVariantIsRepeatedWithItsOwnSeedAndOneSeedIsTheVariantsAsTheyAre() {
        List<EnsembleTrainer.Variant> base = EnsembleTrainer.defaultVariants(60);
        assertEquals(base, EnsembleTrainer.bagged(base, 1));
        List<EnsembleTrainer.Variant> three = EnsembleTrainer.bagged(base, 3);
        assertEquals(9, three.size());
        assertEquals(base.get(0), three.get(0), "the first fit keeps its name and seed");
        assertEquals("depth5_all_seed1", three.get(1).name());
        assertEquals(1000L, three.get(1).seedOffset());
        assertEquals(2000L, three.get(2).seedOffset());
        assertEquals(base.get(1).name(), three.get(3).name());
        assertEquals(base.get(0).maxDepth(), three.get(2).maxDepth(), "same configuration, other draws");
        assertEquals(9, three.stream().map(EnsembleTrainer.Variant::name).distinct().count(), "names are unique: mllib/<name>/");
        assertThrows(IllegalArgumentException.class, () -> EnsembleTrainer.bagged(base, 0));
    }
}
