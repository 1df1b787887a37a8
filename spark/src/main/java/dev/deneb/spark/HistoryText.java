package dev.deneb.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Epoch statistics as one line of text, kept in a checkpoint's metadata so a resumed run reports all epochs. */
final class HistoryText {
    private HistoryText() {}

    static String format(List<EpochStats> history) {
        StringBuilder b = new StringBuilder();
        for (EpochStats e : history) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%s", e.epoch(), e.loss(), e.accuracy(), e.seconds(),
                    e.steps(), e.allReduceMillis()));
        }
        return b.toString();
    }

    static List<EpochStats> parse(String text) {
        List<EpochStats> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String item : text.split(";")) {
            String[] f = item.split(",");
            if (f.length != 6) {
                throw new IllegalArgumentException("checkpoint: history entry '" + item + "' has " + f.length
                        + " fields, expected 6");
            }
            out.add(new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Integer.parseInt(f[4]), Double.parseDouble(f[5])));
        }
        return out;
    }
}
