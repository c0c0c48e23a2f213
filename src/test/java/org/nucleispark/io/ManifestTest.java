package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @Test
    void missingColumnsAreNamed() {
        Manifest.checkColumns(List.of("path", "experiment", "well", "field", "frame"));
        Manifest.checkColumns(List.of("frame", "channel", "field", "well", "experiment", "path"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manifest.checkColumns(List.of("path", "well", "frame")));
        assertTrue(e.getMessage().contains("[experiment, field]"), e.getMessage());
    }

    @Test
    void rowsBecomeSequenceFields() {
        Map<String, String> row = Map.of("path", "a/b.tif", "experiment", "e1", "well", "A01", "field", " 2 ", "frame", "5", "channel", "");
        Manifest.Entry e = Manifest.entry(1, row::get);
        assertEquals("a/b.tif", e.path());
        assertEquals(new SequenceFields("e1", "A01", "2", null, 5), e.fields());
        // Parquet manifests written from pandas often carry frames as doubles
        assertEquals(3, Manifest.entry(2, Map.of("path", "x", "frame", "3.0")::get).fields().frame());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Manifest.entry(7, Map.of("path", "x.tif", "frame", "t5")::get));
        assertTrue(bad.getMessage().contains("row 7") && bad.getMessage().contains("t5"), bad.getMessage());
    }

    @Test
    void resolvesAgainstTheListingAndKeepsMissingFilesAsInputs(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("e"));
        Files.write(root.resolve("e/a.png"), new byte[10]);
        Path outside = Files.createTempFile(root.getParent(), "outside", ".png");
        Configuration conf = new Configuration();
        List<InputFile> listed = InputLister.list(root.toString(), conf);
        SequenceFields f0 = new SequenceFields("e", "w", "1", null, 0);
        SequenceFields f1 = new SequenceFields("e", "w", "1", null, 1);
        List<InputFile> files = Manifest.resolve(List.of(
                new Manifest.Entry("e/a.png", f0),
                new Manifest.Entry("e/gone.png", f1),
                new Manifest.Entry(outside.toUri().toString(), SequenceFields.NONE)), root.toString(), listed, conf);
        assertEquals(3, files.size());
        assertEquals("e/a", files.get(0).imageId());
        assertEquals(10, files.get(0).size());
        assertEquals(f0, files.get(0).sequence());
        assertTrue(files.get(1).missing());
        assertEquals("e/gone", files.get(1).imageId());
        assertTrue(!files.get(2).missing() && files.get(2).path().endsWith(outside.getFileName().toString()));
        Files.delete(outside);
        assertThrows(IllegalArgumentException.class, () -> Manifest.resolve(List.of(
                new Manifest.Entry("e/a.png", f0), new Manifest.Entry(root.resolve("e/a.png").toString(), f1)),
                root.toString(), listed, conf), "the same file named twice");
    }
}
