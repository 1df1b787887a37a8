package dev.deneb.examples.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deneb.data.DataPaths;
import dev.deneb.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code download} command against a local mirror (127.0.0.1 only), on shared/data where it exists. */
class DownloadCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DownloadCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void mirrorOfSharedDataGivesEveryFileTheExamplesRead(@TempDir Path dest) throws Exception {
        Optional<Path> root = DataPaths.root();
        assumeTrue(root.isPresent() && Catalog.ALL.stream().allMatch(d -> Files.isDirectory(root.get()
                .resolve(d.folder()))), "shared data not found (" + DataPaths.describeSearch() + "); skipped");
        try (LocalServer server = new LocalServer(root.get())) {
            Result r = run("all", "--dir", dest.toString(), "--mirror", server.base().toString());
            assertEquals(0, r.code(), r.out() + r.err());
            for (DataSet set : Catalog.ALL) {
                for (DataFile f : set.files()) {
                    Path got = dest.resolve(set.folder()).resolve(f.path());
                    if (f.mirrored()) {
                        assertEquals(Expected.sha256(root.get().resolve(set.folder()).resolve(f.path()), false),
                                Expected.sha256(got, false), got.toString());
                    } else {
                        assertFalse(Files.exists(got), got + " is not on a mirror of shared/data");
                        assertTrue(r.out().contains("SKIPPED  " + f.path()), r.out());
                    }
                }
            }
            int requests = server.requests.size();
            Result again = run("all", "--dir", dest.toString(), "--mirror", server.base().toString());
            assertEquals(0, again.code(), again.out() + again.err());
            assertEquals(requests, server.requests.size(), "verified files are not fetched again");
        }
    }

    @Test
    void wrongBytesOnTheMirrorAreRemovedWithAClearError(@TempDir Path served, @TempDir Path dest) throws Exception {
        Files.createDirectories(served.resolve("sdss"));
        Files.writeString(served.resolve("sdss/sdss_dr14_skyserver_10k.csv"), "objid,u,g\n1,2,3\n");
        try (LocalServer server = new LocalServer(served)) {
            Result r = run("sdss", "--dir", dest.toString(), "--mirror", server.base().toString());
            assertEquals(1, r.code());
            assertTrue(r.err().contains(server.base() + "sdss/sdss_dr14_skyserver_10k.csv")
                    && r.err().contains("6e2389dd300a825a068db04f59ca246280c78f4798bd5ddca38e8ca54ba7ce15")
                    && r.err().contains("removed"), r.err());
            try (var left = Files.list(dest.resolve("sdss"))) {
                assertEquals(0, left.count(), "neither the file nor a .part is left");
            }
        }
    }

    @Test
    void missingFileOnTheMirrorNamesUrlAndStatus(@TempDir Path served, @TempDir Path dest) throws Exception {
        try (LocalServer server = new LocalServer(served)) {
            Result r = run("mnist", "--dir", dest.toString(), "--mirror", server.base().toString());
            assertEquals(1, r.code());
            assertTrue(r.err().contains(server.base() + "mnist/t10k-labels-idx1-ubyte.gz: HTTP 404"), r.err());
        }
    }

    @Test
    void derivedFilesWithoutAMirrorAreExplainedNotFetched(@TempDir Path dest) throws Exception {
        // No network: only the manual files are looked at, so pass a mirror-free run over an unknown set first.
        assertEquals(2, run("imagenet", "--dir", dest.toString()).code());
        DataSet eros = Catalog.byName("eros1").orElseThrow();
        DataFile meta = eros.files().getFirst();
        assertTrue(meta.source() instanceof Source.Manual m && m.instructions().contains("--mirror"));
        assertTrue(new CommandLine(new Main()).getSubcommands().containsKey("download"));
    }
}
