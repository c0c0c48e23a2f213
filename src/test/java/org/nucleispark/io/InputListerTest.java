package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputListerTest {
    @TempDir Path root;

    private void touch(String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1, 2, 3});
    }

    @Test
    void dsbLayoutPlainFilesAndSkippedSidecars() throws Exception {
        touch("abc/images/abc.png");
        touch("abc/masks/m1.png");
        touch("abc/masks/m2.png");
        touch("plate1/well_A1.tif");
        touch("plate1/notes.txt");
        touch("plate1/.hidden.png");
        touch("_SUCCESS");
        touch("odd.bmp");
        touch("stray/masks/m.png"); // not a DSB sample (no stray/images/stray.png): an ordinary input
        List<InputFile> files = InputLister.list(root.toString(), new Configuration());
        List<String> ids = files.stream().map(InputFile::imageId).toList();
        assertEquals(List.of("abc", "odd", "plate1/well_A1", "stray/masks/m"), ids);
        assertEquals(3, files.get(0).size());
        assertEquals(true, files.get(0).path().endsWith("abc/images/abc.png"));
    }

    @Test
    void sameStemDifferentExtensionsKeepUniqueIds() throws Exception {
        touch("a.png");
        touch("a.tif");
        List<String> ids = InputLister.list(root.toString(), new Configuration()).stream().map(InputFile::imageId).toList();
        assertEquals(2, ids.stream().distinct().count(), ids.toString());
    }

    @Test
    void missingRootIsReported() {
        assertThrows(FileNotFoundException.class,
                () -> InputLister.list(root.resolve("nope").toString(), new Configuration()));
    }
}
