package dev.deneb.examples.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads of synthetic files from a local server: resume, no-Range servers, bad hashes, 404, stalls, archives. */
class DownloaderTest {
    @TempDir
    Path served;
    @TempDir
    Path dest;
    byte[] bytes;
    final StringWriter log = new StringWriter();

    @BeforeEach
    void file() throws Exception {
        bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.createDirectories(served.resolve("set"));
        Files.write(served.resolve("set/blob.bin"), bytes);
    }

    private DataSet set(Source source, Expected expected) {
        return new DataSet("set", "set", List.of(DataFile.of("blob.bin", expected, source)), "test set");
    }

    private Downloader.Outcome run(LocalServer server, DataSet set, Duration timeout) {
        try (HttpFetcher f = new HttpFetcher(timeout, 2, new PrintWriter(log, true), false)) {
            return new Downloader(dest, null, f, new PrintWriter(log, true)).download(set).getFirst();
        }
    }

    private Downloader.Outcome run(LocalServer server, String path, Expected expected) {
        return run(server, set(new Source.Url(server.base().resolve(path)), expected), Duration.ofSeconds(10));
    }

    private Expected right() {
        return Expected.sha256(Expected.sha256(served.resolve("set/blob.bin"), false));
    }

    private Path target() {
        return dest.resolve("set/blob.bin");
    }

    @Test
    void fetchesVerifiesAndThenLeavesAlone() throws Exception {
        try (LocalServer s = new LocalServer(served)) {
            assertEquals(Downloader.Status.FETCHED, run(s, "set/blob.bin", right()).status(), log::toString);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
            assertEquals(Downloader.Status.PRESENT, run(s, "set/blob.bin", right()).status());
            assertEquals(1, s.requests.size(), s.requests::toString);
            assertTrue(Files.isRegularFile(dest.resolve(dev.deneb.data.DataPaths.MARKER)));
        }
    }

    @Test
    void interruptedTransferResumesWithRange() throws Exception {
        try (LocalServer s = new LocalServer(served)) {
            s.cutNextAfter = 100_000;
            Downloader.Outcome o = run(s, "set/blob.bin", right());
            assertEquals(Downloader.Status.FETCHED, o.status(), o.detail() + "\n" + log);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
            assertEquals(2, s.requests.size(), s.requests::toString);
            assertTrue(s.requests.get(1).matches("/set/blob.bin bytes=[1-9]\\d*-"), s.requests::toString);
            assertTrue(log.toString().contains("resuming"), log::toString);
        }
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws Exception {
        Files.createDirectories(target().getParent());
        Files.write(dest.resolve("set/blob.bin.part"), java.util.Arrays.copyOf(bytes, 123_456));
        try (LocalServer s = new LocalServer(served)) {
            assertEquals(Downloader.Status.FETCHED, run(s, "set/blob.bin", right()).status(), log::toString);
            assertEquals(List.of("/set/blob.bin bytes=123456-"), s.requests);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
            assertFalse(Files.exists(dest.resolve("set/blob.bin.part")));
        }
    }

    @Test
    void serverWithoutRangeSupportRestartsCleanly() throws Exception {
        Files.createDirectories(target().getParent());
        Files.write(dest.resolve("set/blob.bin.part"), new byte[50_000]);  // wrong bytes: appending would corrupt
        try (LocalServer s = new LocalServer(served)) {
            s.rangeSupport = false;
            assertEquals(Downloader.Status.FETCHED, run(s, "set/blob.bin", right()).status(), log::toString);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
            assertTrue(log.toString().contains("no Range support"), log::toString);
            assertEquals(1, s.requests.size(), "the 200 answer itself is used, from byte 0: " + s.requests);
        }
    }

    @Test
    void wrongHashRemovesTheFileWithAClearError() throws Exception {
        try (LocalServer s = new LocalServer(served)) {
            Downloader.Outcome o = run(s, "set/blob.bin", Expected.sha256("00".repeat(32)));
            assertEquals(Downloader.Status.FAILED, o.status());
            assertTrue(o.detail().contains(s.base() + "set/blob.bin") && o.detail().contains("sha256")
                    && o.detail().contains("00".repeat(32)) && o.detail().contains("removed"), o.detail());
            assertFalse(Files.exists(target()));
            assertFalse(Files.exists(dest.resolve("set/blob.bin.part")));
        }
    }

    @Test
    void notFoundNamesUrlAndStatus() throws Exception {
        try (LocalServer s = new LocalServer(served)) {
            Downloader.Outcome o = run(s, "set/missing.bin", right());
            assertEquals(Downloader.Status.FAILED, o.status());
            assertTrue(o.detail().contains(s.base() + "set/missing.bin") && o.detail().contains("HTTP 404"), o.detail());
            assertEquals(1, s.requests.size(), "a 404 is not retried");
            assertFalse(Files.exists(target()));
        }
    }

    @Test
    void stalledTransferIsCutAndResumed() throws Exception {
        try (LocalServer s = new LocalServer(served)) {
            s.cutNextAfter = 100_000;
            s.stallMillis = 3_000;
            Downloader.Outcome o = run(s, set(new Source.Url(s.base().resolve("set/blob.bin")), right()),
                    Duration.ofMillis(700));
            assertEquals(Downloader.Status.FETCHED, o.status(), o.detail() + "\n" + log);
            assertTrue(log.toString().contains("no data for"), log::toString);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
        }
    }

    @Test
    void manualFileIsExplainedWhenMissingAndVerifiedWhenPresent() throws Exception {
        DataSet manual = set(new Source.Manual("Ask the librarian."), right());
        try (LocalServer s = new LocalServer(served)) {
            Downloader.Outcome missing = run(s, manual, Duration.ofSeconds(5));
            assertEquals(Downloader.Status.MISSING, missing.status());
            assertTrue(missing.detail().contains("by hand") && missing.detail().contains("sha256"), missing.detail());
            assertTrue(log.toString().contains("by hand: Ask the librarian."), log::toString);
            Files.createDirectories(target().getParent());
            Files.write(target(), bytes);
            assertEquals(Downloader.Status.PRESENT, run(s, manual, Duration.ofSeconds(5)).status());
            Files.write(target(), new byte[] {1, 2, 3});
            Downloader.Outcome wrong = run(s, manual, Duration.ofSeconds(5));
            assertEquals(Downloader.Status.FAILED, wrong.status());
            assertTrue(Files.exists(target()), "a file the user placed is never deleted");
            assertTrue(s.requests.isEmpty());
        }
    }

    @Test
    void entryOfATarGzIsExtractedAndTheArchiveCleanedUp() throws Exception {
        Files.write(served.resolve("set/pack.tgz"), TarGzTest.tgz(
                new TarGzTest.Entry("pack/README", "hello".getBytes()),
                new TarGzTest.Entry("pack/blob.bin", bytes)));
        try (LocalServer s = new LocalServer(served)) {
            Source src = new Source.TarGzEntry(s.base().resolve("set/pack.tgz"), "pack/blob.bin");
            Downloader.Outcome o = run(s, set(src, right()), Duration.ofSeconds(5));
            assertEquals(Downloader.Status.FETCHED, o.status(), o.detail() + "\n" + log);
            assertArrayEquals(bytes, Files.readAllBytes(target()));
            assertFalse(Files.exists(dest.resolve("set/.download")), "the archive is removed after extraction");
            assertFalse(Files.exists(dest.resolve("set/README")));
        }
    }
}
