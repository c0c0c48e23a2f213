package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilenamePatternTest {
    private final FilenamePattern plate = FilenamePattern.compile("{experiment}/{well}_{field}_t{frame}.tif");

    @Test
    void parsesEveryPlaceholder() {
        assertEquals(new SequenceFields("exp1", "A01", "3", null, 7), plate.match("exp1/A01_3_t007.tif").orElseThrow());
        // the well may itself contain '_' only if the rest still matches: the shortest well wins
        assertEquals(new SequenceFields("e", "B", "2_x", null, 12), plate.match("e/B_2_x_t12.tif").orElseThrow());
    }

    @Test
    void literalsAreLiteral() {
        assertTrue(plate.match("exp1/A01_3_t007xtif").isEmpty(), "'.' is not a wildcard");
        assertTrue(plate.match("exp1/A01_3_tseven.tif").isEmpty(), "frame must be digits");
        assertTrue(plate.match("deeper/exp1/A01_3_t007.tif").isEmpty(), "placeholders do not span folders");
        assertTrue(plate.match("exp1/A01_3_t007.tif.bak").isEmpty(), "the whole path must match");
    }

    @Test
    void channelAndPartialTemplates() {
        FilenamePattern p = FilenamePattern.compile("{well}/{channel}/f{field}-{frame}.png");
        assertEquals(new SequenceFields(null, "C05", "1", "dapi", 0), p.match("C05/dapi/f1-0.png").orElseThrow());
    }

    @Test
    void badTemplatesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilenamePattern.compile("{plate}/{frame}.tif"))
                .getMessage().contains("{plate}"));
        assertThrows(IllegalArgumentException.class, () -> FilenamePattern.compile("{frame}/{frame}.tif"));
        assertThrows(IllegalArgumentException.class, () -> FilenamePattern.compile("plain.tif"));
    }

    @Test
    void listerAppliesThePatternAndKeepsOtherFiles(@TempDir Path root) throws Exception {
        for (String rel : List.of("expA/A01_1_t0.tif", "expA/A01_1_t1.tif", "expA/readme-image.tif")) {
            Files.createDirectories(root.resolve(rel).getParent());
            Files.write(root.resolve(rel), new byte[] {1});
        }
        List<InputFile> files = InputLister.list(root.toString(), new Configuration(), plate);
        assertEquals(List.of("expA/A01_1_t0", "expA/A01_1_t1", "expA/readme-image"), files.stream().map(InputFile::imageId).toList());
        assertEquals(new SequenceFields("expA", "A01", "1", null, 1), files.get(1).sequence());
        assertEquals(SequenceFields.NONE, files.get(2).sequence());
    }
}
