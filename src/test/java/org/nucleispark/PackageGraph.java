package org.nucleispark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependencies between the packages {@code org.nucleispark.<p>} (a sub-package such as {@code job.segment} is a
 * package of its own: Java has no nesting of packages, only of names), read from the compiled
 * classes: every name a class file's constant pool mentions (class references, field and method
 * descriptors, generic signatures) counts, so an inline fully qualified name is an edge as much as an
 * import is. Run as a main to print the graph as Mermaid for docs/packages.md:
 * {@code java -cp target/test-classes org.nucleispark.PackageGraph target/classes}.
 */
public final class PackageGraph {
    private static final Pattern NAME = Pattern.compile("org/nucleispark/([a-z0-9_]+(?:/[a-z0-9_]+)*)/[A-Z]");

    private PackageGraph() {}

    /** package → packages it uses (itself excluded), for the classes under {@code classesDir}. */
    public static Map<String, Set<String>> read(Path classesDir) throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        Path root = classesDir.resolve("org/nucleispark");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) continue; // a class in org.nucleispark itself belongs to no package
                String from = packageOf(rel);
                Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
                try (InputStream in = Files.newInputStream(f)) {
                    for (String utf8 : utf8Constants(in)) {
                        Matcher m = NAME.matcher(utf8);
                        while (m.find()) {
                            String used = m.group(1).replace('/', '.');
                            if (!used.equals(from)) to.add(used);
                        }
                    }
                }
            }
        }
        return edges;
    }

    /** "job.segment" for job/segment/SegmentJob.class (a path relative to org/nucleispark). */
    private static String packageOf(Path rel) {
        return rel.getParent().toString().replace(rel.getFileSystem().getSeparator(), ".");
    }

    /** Lines of source per package under {@code sourceDir} (org/nucleispark/&lt;p&gt;/*.java). */
    public static Map<String, Long> linesPerPackage(Path sourceDir) throws IOException {
        Map<String, Long> lines = new TreeMap<>();
        Path root = sourceDir.resolve("org/nucleispark");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) continue;
                long n;
                try (Stream<String> l = Files.lines(f)) {
                    n = l.count();
                }
                lines.merge(packageOf(rel), n, Long::sum);
            }
        }
        return lines;
    }

    /** The cycles among packages, each as a path a → b → … → a; empty when the graph is acyclic. */
    public static List<List<String>> cycles(Map<String, Set<String>> edges) {
        List<List<String>> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : edges.keySet()) {
            visit(start, edges, new ArrayDeque<>(), new TreeSet<>(), done, found);
        }
        return found;
    }

    private static void visit(String p, Map<String, Set<String>> edges, Deque<String> path, Set<String> onPath,
                              Set<String> done, List<List<String>> found) {
        if (onPath.contains(p)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String q : (Iterable<String>) path::descendingIterator) {
                if (q.equals(p)) in = true;
                if (in) cycle.add(q);
            }
            cycle.add(p);
            found.add(cycle);
            return;
        }
        if (done.contains(p)) return;
        path.push(p);
        onPath.add(p);
        for (String q : edges.getOrDefault(p, Set.of())) visit(q, edges, path, onPath, done, found);
        onPath.remove(p);
        path.pop();
        done.add(p);
    }

    public static String mermaid(Map<String, Set<String>> edges) {
        StringBuilder sb = new StringBuilder("```mermaid\ngraph TD\n");
        edges.forEach((from, tos) -> {
            if (tos.isEmpty()) sb.append("  ").append(node(from)).append('\n');
            for (String to : tos) sb.append("  ").append(node(from)).append(" --> ").append(node(to)).append('\n');
        });
        return sb.append("```\n").toString();
    }

    /** A Mermaid node: a dotted name gets an id without dots and itself as the label. */
    private static String node(String pkg) {
        return pkg.contains(".") ? pkg.replace('.', '_') + "[" + pkg + "]" : pkg;
    }

    /** The UTF-8 entries of a class file's constant pool (JVMS §4.4). */
    static List<String> utf8Constants(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> out.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> { in.skipNBytes(8); i++; }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        Path classes = Paths.get(args.length > 0 ? args[0] : "target/classes");
        Map<String, Set<String>> edges = read(classes);
        System.out.print(mermaid(edges));
        List<List<String>> cycles = cycles(edges);
        System.out.println();
        System.out.println(cycles.isEmpty() ? "No package cycles." : "Cycles: " + cycles);
        if (args.length > 1) {
            System.out.println();
            System.out.println("| package | lines |");
            System.out.println("|---|---:|");
            linesPerPackage(Paths.get(args[1])).forEach((p, n) -> System.out.println("| " + p + " | " + n + " |"));
        }
    }
}
