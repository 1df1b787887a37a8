package dev.deneb.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deneb.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How saves create their file: through a recognisable temporary sibling, with normal permissions, cleaned up. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Files.createTempFile made every save mode 0600 whatever the umask. */
    @Test
    void savedFilesGetTheSamePermissionsAsAnyNewFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path saved = dir.resolve("saved.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(3)), saved);
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(saved));
        assertEquals(List.of("plain.txt", "saved.safetensors"), listing(), "no temporary file is left");
    }

    /**
     * A save that fails while writing data removes its temporary file; while it exists, the temporary file sits next
     * to the target under a name that says what it is.
     */
    @Test
    void aFailedSaveLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        List<String> seenWhileWriting = new ArrayList<>();
        Map<String, Tensor> failing = new AbstractMap<>() {
            int passes;

            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return Set.of(Map.entry("w", Tensor.ones(4)));
            }

            @Override
            public java.util.Collection<Tensor> values() {
                if (++passes < 2) {
                    return List.of(Tensor.ones(4)); // sizing the buffer
                }
                return new java.util.AbstractCollection<>() {
                    @Override
                    public Iterator<Tensor> iterator() {
                        try {
                            seenWhileWriting.addAll(listing());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        throw new IllegalStateException("the data could not be produced");
                    }

                    @Override
                    public int size() {
                        return 1;
                    }
                };
            }
        };
        assertThrows(IllegalStateException.class, () -> SafeTensors.save(failing, target));
        assertEquals(1, seenWhileWriting.size(), seenWhileWriting.toString());
        String tmp = seenWhileWriting.get(0);
        assertTrue(tmp.startsWith(".model.safetensors.deneb-" + ProcessHandle.current().pid() + "-")
                && tmp.endsWith(".tmp"), tmp);
        assertEquals(List.of(), listing(), "the temporary file is removed");
    }

    @Test
    void aFailedMoveLeavesNoTemporaryFileAndNamesTheTarget() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafeTensors.save(Map.of("w", Tensor.ones(2)), target));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals(List.of("taken"), listing());
    }
}
