package org.nucleispark.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import java.util.Arrays;

/**
 * Lists the inputs under a root on any Hadoop FileSystem and gives each its image id.
 *
 * <p>Layouts: a plain folder tree of images (id = path relative to the root, without extension), and
 * the DSB layout {@code <id>/images/<id>.png} (id = the folder name) whose {@code masks/} folders
 * are ground truth, not inputs. Every other file is an input, so that a corrupt or unsupported file
 * shows up as an error row instead of vanishing; only hidden files ({@code .x}, {@code _x}, as
 * Hadoop treats them) and sidecar documents (notes, scripts, tables) are skipped.
 */
public final class InputLister {
    private static final Set<String> SIDECAR_EXTENSIONS = Set.of(
            "md", "txt", "py", "json", "csv", "tsv", "xml", "html", "yml", "yaml", "parquet", "crc", "ini", "log");

    private InputLister() {}

    /** @throws FileNotFoundException when the root does not exist; IOException when it cannot be read */
    public static List<InputFile> list(String root, Configuration conf) throws IOException {
        return list(root, conf, null);
    }

    /**
     * As {@link #list(String, Configuration)}, and when {@code pattern} is given, each file whose
     * relative path follows it gets its experiment/well/field/channel/frame; the others stay inputs
     * without them (so nothing vanishes because of a typo in the pattern).
     */
    public static List<InputFile> list(String root, Configuration conf, FilenamePattern pattern) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf);
        Path qualifiedRoot = fs.makeQualified(rootPath);
        if (!fs.exists(qualifiedRoot)) {
            throw new FileNotFoundException("input " + root + " does not exist");
        }
        List<FileStatus> files = new ArrayList<>();
        FileStatus rootStatus = fs.getFileStatus(qualifiedRoot);
        if (rootStatus.isFile()) {
            files.add(rootStatus);
            qualifiedRoot = qualifiedRoot.getParent();
        } else if (isLocal(fs)) {
            walk(fs, qualifiedRoot, files);
        } else {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(qualifiedRoot, true); // object stores: one bulk listing
            while (it.hasNext()) files.add(it.next());
        }
        String rootText = qualifiedRoot.toUri().getPath();
        List<String> relPaths = new ArrayList<>();
        for (FileStatus f : files) relPaths.add(relative(rootText, f.getPath().toUri().getPath()));
        Set<String> dsbDirs = dsbSampleDirs(relPaths);

        List<InputFile> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            FileStatus f = files.get(i);
            String rel = relPaths.get(i);
            if (isSkipped(rel, dsbDirs)) continue;
            String id = imageId(rel, dsbDirs);
            if (!seen.add(id)) {
                // two files with the same stem (a.png and a.tif): keep ids unique by keeping the extension
                id = rel;
            }
            SequenceFields seq = pattern == null ? SequenceFields.NONE : pattern.match(rel).orElse(SequenceFields.NONE);
            out.add(new InputFile(f.getPath().toString(), id, f.getLen(), f.getModificationTime(), seq));
        }
        out.sort((a, b) -> a.imageId().compareTo(b.imageId()));
        return out;
    }

    /**
     * On the local file system, listFiles builds a LocatedFileStatus per file, and copying a local
     * status's permissions forks an {@code ls}/{@code stat} process per file (Hadoop's
     * RawLocalFileSystem): 6 s of a 166-image run's 10 s setup here. Plain listStatus never asks for them.
     */
    private static void walk(FileSystem fs, Path dir, List<FileStatus> out) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        Arrays.sort(entries); // by path, as listFiles returns them within a folder
        for (FileStatus e : entries) {
            if (e.isDirectory()) {
                walk(fs, e.getPath(), out);
            } else {
                out.add(e);
            }
        }
    }

    private static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    /** Folders {@code <id>} holding {@code <id>/images/<id>.<ext>}: samples in the DSB layout. */
    static Set<String> dsbSampleDirs(List<String> relPaths) {
        Set<String> dirs = new HashSet<>();
        for (String rel : relPaths) {
            String[] parts = rel.split("/");
            int n = parts.length;
            if (n >= 3 && parts[n - 2].equals("images") && stem(parts[n - 1]).equals(parts[n - 3])) {
                dirs.add(String.join("/", Arrays.copyOf(parts, n - 2)));
            }
        }
        return dirs;
    }

    static boolean isSkipped(String rel, Set<String> dsbDirs) {
        String[] parts = rel.split("/");
        for (String p : parts) {
            if (p.startsWith(".") || p.startsWith("_")) return true;
        }
        String name = parts[parts.length - 1];
        int dot = name.lastIndexOf('.');
        if (dot > 0 && SIDECAR_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) return true;
        if (parts.length >= 2 && parts[parts.length - 2].equals("masks")) {
            String sample = String.join("/", Arrays.copyOf(parts, parts.length - 2));
            return dsbDirs.contains(sample);
        }
        return false;
    }

    static String imageId(String rel, Set<String> dsbDirs) {
        String[] parts = rel.split("/");
        int n = parts.length;
        if (n >= 3 && parts[n - 2].equals("images")) {
            String sample = String.join("/", Arrays.copyOf(parts, n - 2));
            if (dsbDirs.contains(sample)) return parts[n - 3];
        }
        return stem(rel);
    }

    static String stem(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1 ? name.substring(0, dot) : name;
    }

    private static String relative(String root, String path) {
        String r = root.endsWith("/") ? root : root + "/";
        return path.startsWith(r) ? path.substring(r.length()) : path;
    }
}
