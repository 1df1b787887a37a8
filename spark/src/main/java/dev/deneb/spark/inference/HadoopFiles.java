package dev.deneb.spark.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whole files read and written through Hadoop's {@link FileSystem}, so one path string may be local
 * ({@code /tmp/m}, {@code file:/tmp/m}) or remote ({@code hdfs://…}, {@code s3a://…}) as the cluster allows.
 * <pre>{@code
 * Configuration conf = spark.sparkContext().hadoopConfiguration();
 * HadoopFiles.write("hdfs:///models/net.safetensors", bytes, conf);
 * byte[] back = HadoopFiles.read("hdfs:///models/net.safetensors", conf);
 * }</pre>
 */
public final class HadoopFiles {
    private HadoopFiles() {}

    /** The bytes of the file at {@code path}. */
    public static byte[] read(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("HadoopFiles: no file at " + path);
            }
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HadoopFiles: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code path}, replacing any file there and creating missing parent folders. */
    public static void write(String path, byte[] bytes, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (OutputStream out = fs.create(p, true)) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HadoopFiles: cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
