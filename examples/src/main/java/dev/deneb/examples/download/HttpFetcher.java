package dev.deneb.examples.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a URL into a {@code .part} file with {@link HttpClient}: follows redirects, resumes a partial file with an
 * HTTP Range request, starts over cleanly when the server ignores the range, retries interrupted or stalled
 * transfers and 5xx answers, and fails at once on other HTTP errors with the URL and status in the message.
 */
final class HttpFetcher implements AutoCloseable {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private final HttpClient client;
    private final Duration timeout;
    private final int retries;
    private final PrintWriter log;
    private final boolean terminal;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "download-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** {@code timeout}: for connecting, for the response headers, and the longest pause allowed inside a body. */
    HttpFetcher(Duration timeout, int retries, PrintWriter log, boolean terminal) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
        this.retries = retries;
        this.log = log;
        this.terminal = terminal;
    }

    /** Downloads {@code uri} into {@code part}, continuing from what {@code part} already holds. */
    void fetch(URI uri, Path part, String label) {
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                log.printf("  %s: %s; retrying (%d of %d)%n", label, last.getMessage(), attempt, retries);
                log.flush();
                pause(500L * attempt);
            }
            try {
                if (transfer(uri, part, label)) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new DownloadException("GET " + uri + ": transfer failed " + (retries + 1) + " times, last: "
                + (last == null ? "the server kept rejecting the resume" : last.getMessage()) + "; "
                + (Files.exists(part) ? "the partial file " + part + " is kept, run again to resume" : "nothing kept"));
    }

    /** One request; false when it should simply be tried again from the (reset) partial file. */
    private boolean transfer(URI uri, Path part, String label) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("GET " + uri + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException("no response (" + describe(e) + ")", e);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            boolean append = false;
            if (status == 206 && have > 0) {
                long start = rangeStart(response);
                if (start != have) {  // a range we did not ask for: its bytes cannot be appended
                    log.printf("  %s: server answered bytes from %d, not %d; starting over%n", label, start, have);
                    Files.deleteIfExists(part);
                    return false;
                }
                append = true;
                log.printf("  %s: resuming at %.1f MB%n", label, have / 1e6);
            } else if (status == 200 || status == 206) {
                if (have > 0) {
                    log.printf("  %s: server does not resume (no Range support); starting over%n", label);
                }
            } else if (status == 416 && have > 0) {  // the partial file does not fit what the server has now
                log.printf("  %s: server refused the resume (HTTP 416); starting over%n", label);
                Files.deleteIfExists(part);
                return false;
            } else if (status >= 500) {
                throw new IOException("GET " + uri + ": HTTP " + status);
            } else {
                throw new DownloadException("GET " + uri + ": HTTP " + status + explain(status));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = length < 0 ? -1 : length + (append ? have : 0);
            long done = copy(body, part, append, append ? have : 0, total, label);
            if (total >= 0 && done != total) {
                throw new IOException("got " + done + " of " + total + " bytes");
            }
            return true;
        }
    }

    /** Copies the body, with progress; a pause longer than the timeout interrupts the read (HttpClient has none). */
    private long copy(InputStream body, Path part, boolean append, long done, long total, String label)
            throws IOException {
        TransferProgress progress = new TransferProgress(log, label, done, total, terminal);
        AtomicLong lastRead = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        Thread reader = Thread.currentThread();
        ScheduledFuture<?> check = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastRead.get() > timeout.toNanos() && stalled.compareAndSet(false, true)) {
                reader.interrupt();
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = body.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                lastRead.set(System.nanoTime());
                progress.update(done);
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("no data for " + timeout.toMillis() / 1000.0 + " s after " + done + " bytes", e);
            }
            throw new IOException("transfer cut after " + done + " bytes (" + describe(e) + ")", e);
        } finally {
            check.cancel(false);
            if (stalled.get()) {
                Thread.interrupted();  // our own interrupt, consumed here so the retry can block again
            }
        }
        progress.finish(done);
        return done;
    }

    /** Connection errors often have no message (ConnectException, timeouts): name the type and the cause too. */
    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        String previous = "";
        for (Throwable t = e; t != null && s.length() < 300; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals(previous) && t.getMessage() == null) {
                continue;
            }
            previous = name;
            if (!s.isEmpty()) {
                s.append(": ");
            }
            s.append(name);
            if (t.getMessage() != null) {
                s.append(' ').append(t.getMessage());
            }
        }
        return s.toString();
    }

    private static long rangeStart(HttpResponse<?> response) throws IOException {
        String range = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches()) {
            throw new IOException("HTTP 206 without a usable Content-Range header: '" + range + "'");
        }
        return Long.parseLong(m.group(1));
    }

    private static String explain(int status) {
        return switch (status) {
            case 401, 403 -> " (access denied: the file may have moved or now need a login)";
            case 404, 410 -> " (not found: the file has moved or the mirror does not hold it)";
            default -> "";
        };
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted", e);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        client.close();
    }
}
