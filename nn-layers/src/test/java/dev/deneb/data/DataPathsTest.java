package dev.deneb.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk up from a start directory: shared/data first, a data/ folder only with the marker. */
class DataPathsTest {
    @Test
    void dataFolderCountsOnlyWithTheMarker(@TempDir Path tmp) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo/examples"));
        Path data = Files.createDirectories(tmp.resolve("repo/data/mnist"));
        assertEquals(Optional.empty(), DataPaths.searchUpFrom(repo).filter(p -> p.startsWith(tmp)));
        Files.writeString(data.getParent().resolve(DataPaths.MARKER), "");
        assertEquals(Optional.of(data.getParent()), DataPaths.searchUpFrom(repo));
    }

    @Test
    void sharedDataWinsAtTheSameLevel(@TempDir Path tmp) throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared/data"));
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data").resolve(DataPaths.MARKER), "");
        assertEquals(Optional.of(shared), DataPaths.searchUpFrom(tmp));
        assertTrue(DataPaths.describeSearch().contains("shared/data") || DataPaths.describeSearch().contains("-D"));
    }
}
