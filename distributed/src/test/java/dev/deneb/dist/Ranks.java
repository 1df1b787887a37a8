package dev.deneb.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one body per rank, each on its own thread, over a TCP ring on loopback or an in-process group. */
final class Ranks {
    private Ranks() {}

    enum Kind { LOCAL, TCP }

    /** Results in rank order; the first rank's exception is rethrown (wrapped) if any rank failed. */
    static <T> List<T> run(Kind kind, int size, Duration timeout, Function<Communicator, T> body) {
        return run(kind, size, timeout, "127.0.0.1", body);
    }

    static <T> List<T> run(Kind kind, int size, Duration timeout, String host, Function<Communicator, T> body) {
        List<Outcome<T>> outcomes = runAll(kind, size, timeout, host, body);
        List<T> out = new ArrayList<>();
        for (Outcome<T> o : outcomes) {
            if (o.error() != null) {
                StringBuilder all = new StringBuilder();
                for (int r = 0; r < outcomes.size(); r++) {
                    all.append("\n  rank ").append(r).append(": ").append(outcomes.get(r).error());
                }
                throw new AssertionError("a rank failed:" + all, o.error());
            }
            out.add(o.value());
        }
        return out;
    }

    record Outcome<T>(T value, Throwable error) {}

    /** Every rank's value or error, in rank order. */
    static <T> List<Outcome<T>> runAll(Kind kind, int size, Duration timeout, String host,
            Function<Communicator, T> body) {
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Communicator> local = kind == Kind.LOCAL ? LocalGroup.create(size, timeout) : null;
            LocalRendezvous rendezvous = new LocalRendezvous(size, timeout);
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    Communicator c = kind == Kind.LOCAL ? local.get(rank)
                            : TcpCommunicator.connect(rank, size, rendezvous,
                                    TcpOptions.defaults().host(host).timeout(timeout).chunkFloats(1000));
                    try (c) {
                        return body.apply(c);
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(new Outcome<>(f.get(), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome<>(null, e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
