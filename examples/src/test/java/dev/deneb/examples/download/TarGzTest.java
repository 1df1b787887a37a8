package dev.deneb.examples.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe extraction: only the named entries, to the chosen paths, within the size bounds. */
class TarGzTest {
    record Entry(String name, byte[] data) {}

    /** A ustar archive, gzip-compressed; names over 100 bytes get a GNU long-name record. */
    static byte[] tgz(Entry... entries) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                raw.write(header("././@LongLink", name.length + 1, 'L'));
                raw.write(name);
                raw.write(new byte[pad(name.length + 1) + 1]);
            }
            raw.write(header(name.length > 100 ? e.name().substring(0, 100) : e.name(), e.data().length, '0'));
            raw.write(e.data());
            raw.write(new byte[pad(e.data().length)]);
        }
        raw.write(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw.toByteArray());
        }
        return gz.toByteArray();
    }

    private static int pad(int n) {
        return (512 - n % 512) % 512;
    }

    private static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", size));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 148, "        ");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void extractsOnlyTheWantedEntriesToTheChosenPaths(@TempDir Path dir) throws Exception {
        String longName = "cora/" + "x".repeat(120) + "/cora.cites";
        Path archive = dir.resolve("a.tgz");
        Files.write(archive, tgz(new Entry("../../escape.txt", "evil".getBytes()),
                new Entry("/etc/evil", "evil".getBytes()),
                new Entry("./cora/cora.content", "content".getBytes()),
                new Entry(longName, "cites".getBytes())));
        Path out = Files.createDirectories(dir.resolve("out"));
        int found = TarGz.extract(archive, Map.of("cora/cora.content", out.resolve("c1"), longName, out.resolve("c2"),
                "cora/absent", out.resolve("c3")), 1 << 20, 1 << 20);
        assertEquals(2, found);
        assertArrayEquals("content".getBytes(), Files.readAllBytes(out.resolve("c1")));
        assertArrayEquals("cites".getBytes(), Files.readAllBytes(out.resolve("c2")));
        assertFalse(Files.exists(out.resolve("c3")));
        assertFalse(Files.exists(dir.getParent().resolve("escape.txt")));
        try (var files = Files.list(out)) {
            assertEquals(2, files.count(), "nothing but the wanted entries is written");
        }
    }

    @Test
    void oversizedEntriesAndArchivesAreRefused(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("big.tgz");
        Files.write(archive, tgz(new Entry("pad", new byte[5000]), new Entry("big", new byte[10_000])));
        IOException entry = assertThrows(IOException.class,
                () -> TarGz.extract(archive, Map.of("big", dir.resolve("big")), 4096, 1 << 20));
        assertTrue(entry.getMessage().contains("limit"), entry.getMessage());
        IOException whole = assertThrows(IOException.class,
                () -> TarGz.extract(archive, Map.of("big", dir.resolve("big")), 1 << 20, 8192));
        assertTrue(whole.getMessage().contains("larger than"), whole.getMessage());
    }
}
