package dev.deneb.examples.download;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Extracts chosen regular files from a .tar.gz. Safe by construction: each wanted entry is written to a target path
 * the caller chose, never to a path built from the archive's names (so "../" or absolute names cannot escape), and
 * both each entry and the whole archive are bounded in size. Reads ustar, GNU long names and pax path records.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * Writes each entry named in {@code wanted} (archive name → target file) and returns how many were found.
     * {@code maxEntryBytes} bounds one wanted entry, {@code maxTotalBytes} the decompressed archive.
     */
    static int extract(Path archive, Map<String, Path> wanted, long maxEntryBytes, long maxTotalBytes)
            throws IOException {
        Map<String, Path> left = new HashMap<>(wanted);
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (!left.isEmpty()) {
                if (!readBlock(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;  // end-of-archive marker
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                total += BLOCK + padded;
                if (size < 0 || total > maxTotalBytes) {
                    throw new IOException(archive + ": archive larger than " + maxTotalBytes + " bytes or corrupt");
                }
                if (type == 'L' || type == 'x') {  // the next entry's name (GNU) or its pax attributes
                    if (size > 1 << 20) {
                        throw new IOException(archive + ": implausible " + size + "-byte name record");
                    }
                    byte[] data = in.readNBytes((int) padded);
                    String text = new String(data, 0, (int) size, StandardCharsets.UTF_8);
                    longName = type == 'L' ? text.replace("\0", "") : paxPath(text, longName);
                    continue;
                }
                String name = longName != null ? longName : ustarName(header);
                longName = null;
                Path target = (type == '0' || type == '\0') ? left.remove(normalise(name)) : null;
                if (target == null) {
                    skip(in, padded);
                    continue;
                }
                if (size > maxEntryBytes) {
                    throw new IOException(archive + ": entry " + name + " has " + size + " bytes, over the "
                            + maxEntryBytes + "-byte limit");
                }
                Files.createDirectories(target.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    copy(in, out, size, archive + ": entry " + name + " is truncated");
                }
                skip(in, padded - size);
            }
        }
        return wanted.size() - left.size();
    }

    /** "./cora/x" and "cora/x" are the same entry. */
    static String normalise(String name) {
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        return name;
    }

    private static String ustarName(byte[] h) {
        String name = text(h, 0, 100);
        boolean ustar = text(h, 257, 6).startsWith("ustar");
        String prefix = ustar ? text(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(String records, String fallback) {
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 6);
            }
        }
        return fallback;
    }

    private static String text(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        String s = text(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            return -1;  // base-256 sizes (over 8 GB) and garbage alike: refused by the caller
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive ends inside a header");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    /** Copies exactly {@code n} bytes. */
    private static void copy(InputStream in, OutputStream out, long n, String truncated) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException(truncated);
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }
}
