package dev.deneb.spark;

import dev.deneb.nn.io.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where distributed training keeps its per-epoch checkpoint: a directory every task can reach, given as a local
 * path (a shared mount on a cluster) or a Hadoop URI ({@code hdfs://…}, {@code s3a://…}, {@code dbfs:/…}). The file
 * is written next to its final name and then renamed, so a task killed mid-write leaves the previous checkpoint.
 */
final class CheckpointStore {
    static final String FILE = "deneb-data-parallel.ckpt.safetensors";
    private final String dir;

    CheckpointStore(String dir) {
        this.dir = dir;
    }

    private org.apache.hadoop.fs.Path target() {
        URI uri = URI.create(dir.endsWith("/") ? dir : dir + "/");
        if (uri.getScheme() == null) {
            uri = Path.of(dir).toAbsolutePath().toUri();
        }
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(uri), FILE);
    }

    /** The last checkpoint, or null when none was written yet. */
    Checkpoint read() {
        Path local = null;
        try {
            org.apache.hadoop.fs.Path p = target();
            FileSystem fs = p.getFileSystem(new Configuration());
            if (!fs.exists(p)) {
                return null;
            }
            local = Files.createTempFile("deneb-ckpt", ".safetensors");
            fs.copyToLocalFile(false, p, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return Checkpoint.load(local);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot read " + target() + ": " + e, e);
        } finally {
            delete(local);
        }
    }

    /** Writes {@code c} in place of the previous checkpoint. */
    void write(Checkpoint c) {
        Path local = null;
        try {
            org.apache.hadoop.fs.Path p = target();
            FileSystem fs = p.getFileSystem(new Configuration());
            local = Files.createTempFile("deneb-ckpt", ".safetensors");
            c.save(local);
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(p.getParent(), "." + FILE + ".tmp");
            fs.mkdirs(p.getParent());
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), tmp);
            fs.delete(p, false);
            if (!fs.rename(tmp, p)) {
                throw new IOException("rename " + tmp + " -> " + p + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot write " + target() + ": " + e, e);
        } finally {
            delete(local);
        }
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
