package dev.deneb.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Schema checks and the output schema shared by {@link DenebClassifier} and {@link DenebClassificationModel}. */
final class Columns {
    private Columns() {}

    static void requireFeatures(StructType schema, String col, String who) {
        DataType t = typeOf(schema, col, "features", who);
        boolean numericArray = t instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!t.equals(SQLDataTypes.VectorType()) && !numericArray) {
            throw new IllegalArgumentException(who + ": features column '" + col + "' has type " + t.simpleString()
                    + "; expected a Spark ML vector or an array of numbers (VectorAssembler makes a vector from"
                    + " numeric columns)");
        }
    }

    static void requireLabel(StructType schema, String col, String who) {
        DataType t = typeOf(schema, col, "label", who);
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException(who + ": label column '" + col + "' has type " + t.simpleString()
                    + "; expected class indices 0, 1, 2, … as numbers (StringIndexer makes them from strings)");
        }
    }

    /** {@code schema} plus prediction (double), probability and rawPrediction (vectors), none of which may exist. */
    static StructType withOutputs(StructType schema, String prediction, String probability, String rawPrediction,
            String who) {
        String[] names = {prediction, probability, rawPrediction};
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isBlank()) {
                throw new IllegalArgumentException(who + ": output column names must not be empty");
            }
            if (Arrays.asList(schema.fieldNames()).contains(names[i])) {
                throw new IllegalArgumentException(who + ": output column '" + names[i] + "' already exists in the"
                        + " input; set predictionCol/probabilityCol/rawPredictionCol to new names");
            }
            for (int j = 0; j < i; j++) {
                if (names[i].equals(names[j])) {
                    throw new IllegalArgumentException(who + ": predictionCol, probabilityCol and rawPredictionCol"
                            + " must differ, but two are '" + names[i] + "'");
                }
            }
        }
        return schema.add(rawPrediction, SQLDataTypes.VectorType(), false)
                .add(probability, SQLDataTypes.VectorType(), false)
                .add(prediction, DataTypes.DoubleType, false);
    }

    private static DataType typeOf(StructType schema, String col, String role, String who) {
        if (!Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException(who + ": no " + role + " column '" + col + "' in the data; its columns"
                    + " are " + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(col).dataType();
    }
}
