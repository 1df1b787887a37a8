package dev.deneb.examples.download;

import java.net.URI;

/** Where one file of a data set comes from. */
public sealed interface Source {

    /** The file itself at a URL. */
    record Url(URI uri) implements Source {}

    /** One regular file inside a gzip-compressed tar archive at a URL. */
    record TarGzEntry(URI archive, String entry) implements Source {}

    /**
     * No stable public file holds these bytes (the file is derived, or the source needs a login): the user
     * puts the file in place by hand, following {@code instructions}, and {@code download} only verifies it.
     */
    record Manual(String instructions) implements Source {}

    /** A URL, percent-encoding what {@link URI#create} would reject (the SDSS file name has spaces). */
    static Url url(String s) {
        return new Url(URI.create(s.replace(" ", "%20")));
    }
}
