package org.nucleispark.job.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nucleispark.io.Manifest;

/**
 * Reads a manifest on the driver: Parquet (a .parquet file or a folder of them) or CSV with a header.
 * Spark's readers handle quoting and any Hadoop URI; the rows are validated by {@link Manifest}.
 */
final class ManifestReader {
    private ManifestReader() {}

    /** @throws IllegalArgumentException for missing columns or bad values, with the fix */
    static List<Manifest.Entry> read(SparkSession spark, String uri) {
        Dataset<Row> df = isParquet(uri)
                ? spark.read().parquet(uri)
                // every column as text: frame is parsed by Manifest, which can say which row is wrong
                : spark.read().option("header", "true").option("inferSchema", "false").csv(uri);
        List<String> columns = new ArrayList<>();
        for (String c : df.columns()) columns.add(c.trim().toLowerCase(Locale.ROOT));
        Manifest.checkColumns(columns);
        List<Manifest.Entry> out = new ArrayList<>();
        int line = 0;
        for (Row r : df.collectAsList()) {
            line++;
            out.add(Manifest.entry(line, name -> {
                int i = columns.indexOf(name);
                if (i < 0) return null;
                Object v = r.get(i);
                return v == null ? null : v.toString();
            }));
        }
        return out;
    }

    /** A .parquet file or a folder (Spark's Parquet output); anything else with an extension is CSV. */
    static boolean isParquet(String uri) {
        String u = uri.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        String name = u.substring(u.lastIndexOf('/') + 1);
        return name.endsWith(".parquet") || !name.contains(".");
    }
}
