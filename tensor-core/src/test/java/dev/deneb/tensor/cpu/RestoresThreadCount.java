package dev.deneb.tensor.cpu;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that set the kernels' thread count: each test ends with the count it started with, so tests that run
 * after it see the build's setting. Use with {@code @ExtendWith(RestoresThreadCount.class)}.
 */
final class RestoresThreadCount implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoresThreadCount.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", Parallel.threads());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Parallel.setThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
