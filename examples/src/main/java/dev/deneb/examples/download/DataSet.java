package dev.deneb.examples.download;

import java.util.List;

/**
 * A data set as the examples read it: the folder under the data root ({@code mnist}, {@code cora}…), its files,
 * and a note printed before the download (licence, where the upstream is, what stays manual).
 */
public record DataSet(String name, String folder, List<DataFile> files, String note) {
    public DataSet {
        files = List.copyOf(files);
    }
}
