package dev.deneb.examples.sdss;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options that say how to read a catalogue, shared by {@code sdss}, {@code sdss predict} and {@code sdss pca}:
 * which columns are the features, renames, missing-value codes and what to do with bad rows.
 */
public final class TableOptions {
    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "input columns, in order; a name a-b that is not a column is computed as column a minus "
                    + "column b (colours) (default: u,g,r,i,z,u-g,g-r,r-i,i-z)")
    List<String> features;

    @Option(names = "--rename", paramLabel = "OLD=NEW",
            description = "use the table's column OLD under the name NEW (repeatable), e.g. --rename dered_u=u")
    Map<String, String> renames = new LinkedHashMap<>();

    @Option(names = "--missing", paramLabel = "VALUE",
            description = "a number that marks a missing measurement (repeatable; replaces the defaults -9999 and "
                    + "9999; 'none' for no code). Empty cells, NaN and text are always bad.")
    List<String> missing;

    @Option(names = "--bad-rows", paramLabel = "skip|fail",
            description = "rows with a bad needed cell: skip them and report how many and why, or stop at the "
                    + "first (default: skip)")
    String badRows = "skip";

    /** The reading options these flags describe; a malformed value is an IllegalArgumentException naming it. */
    public CatalogueReader.Options options() {
        CatalogueReader.Options o = CatalogueReader.Options.defaults().renames(Map.copyOf(renames))
                .badRows(CatalogueReader.Policy.parse(badRows));
        if (features != null) {
            List<String> f = features.stream().map(String::strip).toList();
            if (f.isEmpty() || f.stream().anyMatch(String::isEmpty) || Set.copyOf(f).size() != f.size()) {
                throw new IllegalArgumentException("--features: expected distinct, non-empty column names, got "
                        + features);
            }
            o = o.features(f);
        }
        if (missing != null) {
            Set<Double> codes = new LinkedHashSet<>();
            for (String m : missing) {
                if (m.equalsIgnoreCase("none")) {
                    continue;
                }
                try {
                    codes.add(Double.parseDouble(m.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--missing: '" + m + "' is not a number (or 'none')");
                }
            }
            o = o.missing(codes);
        }
        return o;
    }
}
