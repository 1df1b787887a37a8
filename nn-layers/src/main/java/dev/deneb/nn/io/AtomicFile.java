package dev.deneb.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file through a temporary sibling that is synced and then moved over the target, so a crash never leaves
 * a half-written file under the target's name.
 *
 * <p>The temporary file is named {@code .<target name>.deneb-<pid>-<random>.tmp} in the target's folder and is
 * created with the process's normal permissions (mode 0666 less the umask, like any file the process creates;
 * {@code Files.createTempFile} would force 0600). It is deleted when writing fails with any exception; a process
 * killed mid-write leaves it behind, recognisable by that name.
 */
final class AtomicFile {
    /** The body of a write: fills the channel of the temporary file. */
    interface Body {
        void write(FileChannel ch) throws IOException;
    }

    private AtomicFile() {}

    /** The temporary siblings of {@code target} are named {@code prefix(target) + "<pid>-<random>.tmp"}. */
    static String prefix(Path target) {
        return "." + target.getFileName() + ".deneb-";
    }

    static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = create(target, dir);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException ignored) {
                    // best effort: the failure being reported matters more
                }
            }
        }
    }

    /** A new, empty temporary sibling of {@code target} with default permissions. */
    private static Path create(Path target, Path dir) throws IOException {
        String prefix = prefix(target) + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; ; attempt++) {
            String name = prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp";
            Path tmp = dir == null ? Path.of(name) : dir.resolve(name);
            try {
                return Files.createFile(tmp); // no attributes: the umask decides, as for any new file
            } catch (FileAlreadyExistsException e) {
                if (attempt == 16) {
                    throw e;
                }
            }
        }
    }
}
