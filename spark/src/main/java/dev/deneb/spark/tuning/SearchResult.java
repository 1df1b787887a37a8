package dev.deneb.spark.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The finished search: every trial, best first, and the same as a DataFrame. A parameter column is an integer,
 * long, double or boolean column when every trial's value is one, and text otherwise (int arrays as
 * {@code "64,32"}).
 * <pre>{@code
 * SearchResult r = HyperparameterSearch.grid(space).run(spark, trial);
 * r.table().show();                     // trial | learningRate | hiddenLayers | metric | seconds
 * TrialRecord best = r.best();          // best.params(), best.metric(), best.state()
 * }</pre>
 */
public final class SearchResult {
    private final SparkSession spark;
    private final List<TrialRecord> trials;
    private final List<String> names;
    private final String metricName;
    private final boolean maximize;

    SearchResult(SparkSession spark, List<TrialRecord> trials, List<String> names, String metricName,
            boolean maximize) {
        this.spark = spark;
        this.trials = List.copyOf(trials);
        this.names = names;
        this.metricName = metricName;
        this.maximize = maximize;
    }

    /** Every trial, best first. */
    public List<TrialRecord> trials() {
        return trials;
    }

    /** The best trial (its parameters, metric and trained weights, if the trial returned them). */
    public TrialRecord best() {
        return trials.get(0);
    }

    public String metricName() {
        return metricName;
    }

    public boolean maximize() {
        return maximize;
    }

    /** One row per trial, best first: {@code trial}, each parameter, the metric, {@code seconds}. */
    public Dataset<Row> table() {
        StructType schema = new StructType().add("trial", DataTypes.IntegerType, false);
        DataType[] types = new DataType[names.size()];
        for (int j = 0; j < names.size(); j++) {
            types[j] = typeOf(names.get(j));
            schema = schema.add(names.get(j), types[j], true);
        }
        schema = schema.add(metricName, DataTypes.DoubleType, false).add("seconds", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>();
        for (TrialRecord t : trials) {
            Object[] cells = new Object[names.size() + 3];
            cells[0] = t.index();
            for (int j = 0; j < names.size(); j++) {
                Object v = t.params().get(names.get(j));
                cells[j + 1] = types[j] == DataTypes.StringType ? text(v) : v;
            }
            cells[names.size() + 1] = t.metric();
            cells[names.size() + 2] = t.seconds();
            rows.add(RowFactory.create(cells));
        }
        return spark.createDataFrame(rows, schema);
    }

    private DataType typeOf(String name) {
        List<Object> values = trials.stream().map(t -> t.params().get(name)).toList();
        if (values.stream().allMatch(v -> v instanceof Integer)) {
            return DataTypes.IntegerType;
        }
        if (values.stream().allMatch(v -> v instanceof Long)) {
            return DataTypes.LongType;
        }
        if (values.stream().allMatch(v -> v instanceof Double)) {
            return DataTypes.DoubleType;
        }
        if (values.stream().allMatch(v -> v instanceof Boolean)) {
            return DataTypes.BooleanType;
        }
        return DataTypes.StringType;
    }

    private static String text(Object v) {
        if (v instanceof int[] a) {
            return String.join(",", Arrays.stream(a).mapToObj(Integer::toString).toList());
        }
        return String.valueOf(v);
    }
}
