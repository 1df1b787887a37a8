package dev.deneb.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session shared by every test class of this JVM (starting one takes seconds). Tasks may be
 * retried up to 4 times, so a test can kill a task and watch the stage retry. Stopped at JVM exit.
 */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master("local[2,4]").appName("deneb-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return session;
    }

    /** Stops the shared session (a test that needs another master must, since a JVM holds one SparkContext). */
    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
