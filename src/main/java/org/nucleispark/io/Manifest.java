package org.nucleispark.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import java.io.FileNotFoundException;

/**
 * A time-lapse manifest: one row per file with columns {@code path, experiment, well, field, frame}
 * and optionally {@code channel}. Paths are relative to the input root or full URIs. The manifest is
 * the corpus: files under the root that it does not name are not processed, and files it names that
 * do not exist become error rows rather than disappearing.
 */
public final class Manifest {
    public static final List<String> REQUIRED_COLUMNS = List.of("path", "experiment", "well", "field", "frame");
    public static final String OPTIONAL_COLUMN = "channel";

    /** One manifest row. */
    public record Entry(String path, SequenceFields fields) {}

    private Manifest() {}

    /** @throws IllegalArgumentException naming the missing columns */
    public static void checkColumns(List<String> columns) {
        List<String> missing = new ArrayList<>();
        for (String c : REQUIRED_COLUMNS) if (!columns.contains(c)) missing.add(c);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("manifest lacks column(s) " + missing + "; it needs a header "
                    + String.join(",", REQUIRED_COLUMNS) + "[," + OPTIONAL_COLUMN + "] and has " + columns);
        }
    }

    /**
     * One row, given a lookup of its values by column name (null or blank = unknown).
     *
     * @param line 1-based data row number, for messages
     * @throws IllegalArgumentException for a missing path or a frame that is not a whole number
     */
    public static Entry entry(int line, Function<String, String> value) {
        String path = blankToNull(value.apply("path"));
        if (path == null) throw new IllegalArgumentException("manifest row " + line + " has no path");
        String frameText = blankToNull(value.apply("frame"));
        Integer frame = null;
        if (frameText != null) {
            try {
                frame = Integer.valueOf(frameText.endsWith(".0") ? frameText.substring(0, frameText.length() - 2) : frameText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("manifest row " + line + " (" + path + "): frame '" + frameText
                        + "' is not a whole number");
            }
        }
        return new Entry(path, new SequenceFields(blankToNull(value.apply("experiment")), blankToNull(value.apply("well")),
                blankToNull(value.apply("field")), blankToNull(value.apply(OPTIONAL_COLUMN)), frame));
    }

    /**
     * The manifest's files as inputs. Files found by listing the root keep the lister's image id, size
     * and time (one listing is far cheaper than a metadata request per file on S3); others are looked
     * up one by one.
     *
     * @throws IllegalArgumentException when a path is named twice
     */
    public static List<InputFile> resolve(List<Entry> entries, String root, List<InputFile> listed, Configuration conf)
            throws IOException {
        Path rootPath = new Path(root);
        FileSystem rootFs = rootPath.getFileSystem(conf);
        Path qualifiedRoot = rootFs.makeQualified(rootPath);
        Map<String, InputFile> byPath = new HashMap<>();
        for (InputFile f : listed) byPath.put(f.path(), f);
        Set<String> seen = new HashSet<>();
        List<InputFile> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Path p = isAbsolute(e.path()) ? new Path(e.path()) : new Path(qualifiedRoot, e.path());
            FileSystem fs = p.getFileSystem(conf);
            Path q = fs.makeQualified(p);
            if (!seen.add(q.toString())) {
                throw new IllegalArgumentException("manifest names " + e.path() + " twice");
            }
            InputFile known = byPath.get(q.toString());
            if (known == null) known = lookUp(fs, q, qualifiedRoot);
            out.add(known.withSequence(e.fields()));
        }
        return out;
    }

    private static InputFile lookUp(FileSystem fs, Path q, Path root) throws IOException {
        String id = idFor(q, root);
        try {
            FileStatus st = fs.getFileStatus(q);
            return new InputFile(q.toString(), id, st.getLen(), st.getModificationTime());
        } catch (FileNotFoundException e) {
            return new InputFile(q.toString(), id, 0, -1);
        }
    }

    private static String idFor(Path q, Path root) {
        String r = root.toUri().getPath();
        String p = q.toUri().getPath();
        String rel = p.startsWith(r.endsWith("/") ? r : r + "/") ? p.substring(r.length() + (r.endsWith("/") ? 0 : 1)) : p;
        return InputLister.stem(rel);
    }

    private static boolean isAbsolute(String path) {
        return path.startsWith("/") || path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
