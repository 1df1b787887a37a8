package dev.deneb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Training across two executor JVMs ({@code local-cluster[2,1,1024]}): the workers are separate processes, so the
 * ring really crosses process boundaries, as on a cluster. Needs the SPARK_HOME that the build assembles
 * ({@code target/spark-home/jars}) and a JDK at JAVA_HOME for the executors; skipped with the reason otherwise.
 */
class LocalClusterTest {

    @Test
    void twoExecutorProcessesTrainTogether() {
        String sparkHome = System.getenv("SPARK_HOME");
        assumeTrue(sparkHome != null && Files.isDirectory(Path.of(sparkHome, "jars")),
                "no SPARK_HOME with jars/ (the Maven build makes target/spark-home)");
        String javaHome = System.getenv("JAVA_HOME");
        assumeTrue(javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "java")),
                "no JAVA_HOME for the executor JVMs");
        LocalSpark.stop();
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("deneb-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.memory", "768m")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", denebClassPath())
                .config("spark.executor.extraJavaOptions", System.getProperty("deneb.executor.jvm.flags", ""))
                .getOrCreate();
        try {
            if (!executorsRegistered(spark, 2, 180)) {
                // An executor that crashed (a class missing from its class path) is our bug: fail with its error.
                // One that never started (a slow or odd machine) is the environment: skip.
                String crash = executorCrash(Path.of(sparkHome, "work"));
                assertTrue(crash == null, "an executor JVM crashed: " + crash);
                assumeTrue(false, "the two executor JVMs did not register within 180 s (see " + sparkHome + "/work)");
            }
            TrainingSpec spec = TrainingSpec.of(TinyData::mlp).epochs(4).batchSize(32).seed(7)
                    .optimizer(OptimizerFactory.adam(1e-2));
            TrainingResult r = DataParallelTrainer.fit(TinyData.blobs(spark, 600, 8, 2), spec,
                    DataParallelOptions.defaults().workers(2).timeout(Duration.ofSeconds(90)));
            assertEquals(2, r.workers());
            assertTrue(r.last().accuracy() > 0.9, "accuracy " + r.last().accuracy());
        } finally {
            spark.stop();
        }
    }

    /** Waits until {@code n} executors (besides the driver) have registered. */
    private static boolean executorsRegistered(SparkSession spark, int n, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (spark.sparkContext().getExecutorMemoryStatus().size() >= n + 1) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The first exception line in the executors' stderr files under {@code work}, or null. */
    private static String executorCrash(Path work) {
        if (!Files.isDirectory(work)) {
            return null;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("Exception in thread") || line.startsWith("Caused by")) {
                        return line + " (" + f + ")";
                    }
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    /** This JVM's class path without Spark's own jars (the executors get those from SPARK_HOME). */
    private static String denebClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> keep = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.contains("/target/") || entry.contains("/dev/deneb/") || entry.contains("junit")
                    || entry.contains("opentest4j")) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }
}
