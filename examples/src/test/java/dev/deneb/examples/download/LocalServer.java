package dev.deneb.examples.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server on 127.0.0.1 for the download tests, with switchable faults: Range support on or off, the next
 * response cut (or stalled) after a number of bytes. Records each request's path and Range header.
 */
final class LocalServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private final HttpServer server;
    private final Path root;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile boolean rangeSupport = true;
    /** When ≥ 0, the next response sends this many body bytes and then drops the connection (or stalls). */
    volatile long cutNextAfter = -1;
    volatile long stallMillis = 0;

    LocalServer(Path root) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestURI().getPath() + (range == null ? "" : " " + range));
        Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        byte[] all = Files.readAllBytes(file);
        int from = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (rangeSupport && m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            if (from >= all.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + all.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
            ex.sendResponseHeaders(206, all.length - from);
        } else {
            ex.sendResponseHeaders(200, all.length);
        }
        long cut = cutNextAfter;
        cutNextAfter = -1;
        try (OutputStream out = ex.getResponseBody()) {
            if (cut >= 0 && cut < all.length - from) {
                out.write(all, from, (int) cut);
                out.flush();
                if (stallMillis > 0) {
                    sleep(stallMillis);
                }
                throw new IOException("cut on purpose");  // the server closes the connection mid-body
            }
            out.write(all, from, all.length - from);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
