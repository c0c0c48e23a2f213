package org.nucleispark.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import java.util.Locale;

/**
 * Finds ground truth under a root: the DSB layout ({@code <id>/masks/*.png}, id = the folder name)
 * when any such folder exists, otherwise label images ({@code <image_id>.png|.tif}, id = path
 * relative to the root without extension, the same ids {@code segment} gives its inputs).
 */
public final class GroundTruthLister {
    private GroundTruthLister() {}

    public static List<GroundTruthItem> list(String root, Configuration conf) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf);
        Path q = fs.makeQualified(rootPath);
        if (!fs.exists(q)) throw new FileNotFoundException("ground truth " + root + " does not exist");
        String rootText = q.toUri().getPath();
        rootText = rootText.endsWith("/") ? rootText : rootText + "/";
        Map<String, List<String>> masks = new TreeMap<>();
        Map<String, String> labels = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(q, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String full = f.getPath().toUri().getPath();
            String rel = full.startsWith(rootText) ? full.substring(rootText.length()) : full;
            String[] parts = rel.split("/");
            String name = parts[parts.length - 1];
            if (name.startsWith(".") || name.startsWith("_")) continue;
            String lower = name.toLowerCase(Locale.ROOT);
            boolean image = lower.endsWith(".png") || lower.endsWith(".tif") || lower.endsWith(".tiff");
            if (!image) continue;
            if (parts.length >= 3 && parts[parts.length - 2].equals("masks")) {
                masks.computeIfAbsent(parts[parts.length - 3], k -> new ArrayList<>()).add(f.getPath().toString());
            } else if (parts.length < 2 || !parts[parts.length - 2].equals("images")) {
                labels.put(InputLister.stem(rel), f.getPath().toString());
            }
        }
        List<GroundTruthItem> out = new ArrayList<>();
        if (!masks.isEmpty()) {
            for (var e : masks.entrySet()) {
                List<String> paths = new ArrayList<>(e.getValue());
                paths.sort(null); // mask order defines true labels: make it independent of listing order
                out.add(new GroundTruthItem(e.getKey(), paths, null));
            }
        } else {
            for (var e : labels.entrySet()) out.add(new GroundTruthItem(e.getKey(), List.of(), e.getValue()));
        }
        return out;
    }
}
