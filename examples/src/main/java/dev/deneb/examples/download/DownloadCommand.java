package dev.deneb.examples.download;

import dev.deneb.data.DataPaths;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code download mnist|sdss|cora|eros1|all [--dir D] [--mirror URL]}: fetches and verifies the examples' data. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Fetches the data sets the examples read from their official sources, verifies each file's "
                + "SHA-256 and lays them out where the examples look. Files no public site serves (the converted "
                + "Cora and EROS-1 tables) are verified if present, with instructions when missing.",
            "Exit code 0 when every file is present and verified, 1 otherwise."})
public final class DownloadCommand implements Callable<Integer> {
    /** Default for --mirror, e.g. for CI or a site-local copy of shared/data. */
    public static final String MIRROR_PROPERTY = "deneb.download.mirror";

    @Parameters(index = "0", paramLabel = "SET", description = "mnist, sdss, cora, eros1 or all")
    String set;

    @Option(names = "--dir", paramLabel = "DIR", description = "Data root (the folder that gets mnist/, sdss/…). "
            + "Default: the root the examples find (-Ddeneb.data, DENEB_DATA, shared/data or a marked data/ folder "
            + "in the working directory or above), else ./data.")
    Path dir;

    @Option(names = "--mirror", paramLabel = "URL", description = "Fetch every file from URL/<folder>/<file>, a "
            + "server laid out like shared/data, instead of the official sources. Default: -D" + MIRROR_PROPERTY
            + ".")
    String mirror;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S",
            description = "Seconds for connecting, for a response, and for the longest pause in a transfer "
                    + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--retries", defaultValue = "3", paramLabel = "N",
            description = "Retries of an interrupted transfer, each resuming where it stopped (default: "
                    + "${DEFAULT-VALUE}).")
    int retries;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<DataSet> sets = selected();
        if (sets.isEmpty()) {
            err.println("unknown data set '" + set + "': choose mnist, sdss, cora, eros1 or all");
            return 2;
        }
        Path root = (dir != null ? dir : DataPaths.downloadRoot()).toAbsolutePath().normalize();
        URI base = mirrorBase();
        out.println("data root: " + root + (base == null ? "" : " (mirror " + base + ")"));
        boolean terminal = System.console() != null && System.console().isTerminal();
        List<Downloader.Outcome> outcomes = new ArrayList<>();
        try (HttpFetcher fetcher = new HttpFetcher(Duration.ofSeconds(timeoutSeconds), retries, out, terminal)) {
            Downloader downloader = new Downloader(root, base, fetcher, out);
            for (DataSet s : sets) {
                outcomes.addAll(downloader.download(s));
            }
        }
        List<Downloader.Outcome> bad = outcomes.stream().filter(o -> !o.ok()).toList();
        if (bad.isEmpty()) {
            out.println("all files present and verified under " + root);
            if (dir != null && DataPaths.root().map(r -> !r.equals(root)).orElse(true)) {
                out.println("the examples look in " + DataPaths.describeSearch() + "; run them with -D"
                        + DataPaths.PROPERTY + "=" + root + " or --data <folder>");
            }
            return 0;
        }
        err.println(bad.size() + " file(s) not in place:");
        for (Downloader.Outcome o : bad) {
            err.println("  " + o.set().folder() + "/" + o.file().path() + " (" + o.status() + "): " + o.detail());
        }
        return 1;
    }

    private List<DataSet> selected() {
        if ("all".equals(set)) {
            return Catalog.ALL;
        }
        return Catalog.byName(set).map(List::of).orElse(List.of());
    }

    private URI mirrorBase() {
        String m = mirror != null ? mirror : System.getProperty(MIRROR_PROPERTY);
        if (m == null || m.isBlank()) {
            return null;
        }
        return URI.create(m.endsWith("/") ? m : m + "/");
    }
}
