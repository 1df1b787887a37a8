package dev.deneb.examples.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The SHA-256 a file must have: one of {@code fileSha256}, or, for a gzip file, {@code gunzippedSha256} of its
 * decompressed content. The second form exists because a .gz recompressed by another tool holds the same data in
 * different bytes (shared/data's MNIST training images are such a copy; see its README).
 */
public record Expected(Set<String> fileSha256, String gunzippedSha256) {

    public Expected {
        fileSha256 = Set.copyOf(fileSha256.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        if (fileSha256.isEmpty() && gunzippedSha256 == null) {
            throw new IllegalArgumentException("no hash to check against");
        }
    }

    public static Expected sha256(String hex) {
        return new Expected(Set.of(hex), null);
    }

    /** The file's own SHA-256 is one of {@code fileHex}, or its gunzipped content has {@code contentHex}. */
    public static Expected sha256OrGunzipped(String contentHex, String... fileHex) {
        return new Expected(Set.of(fileHex), contentHex);
    }

    /** Empty when {@code file} matches; otherwise what was expected and what was found. */
    public Optional<String> mismatch(Path file) {
        String actual = sha256(file, false);
        if (fileSha256.contains(actual)) {
            return Optional.empty();
        }
        if (gunzippedSha256 != null) {
            String content = sha256(file, true);
            if (gunzippedSha256.equals(content)) {
                return Optional.empty();
            }
            return Optional.of("sha256 " + actual + (content == null ? " (not gzip)" : ", gunzipped " + content)
                    + "; expected " + describe());
        }
        return Optional.of("sha256 " + actual + "; expected " + describe());
    }

    public String describe() {
        String files = fileSha256.isEmpty() ? "" : "sha256 " + String.join(" or ", fileSha256);
        String content = gunzippedSha256 == null ? "" : "gunzipped sha256 " + gunzippedSha256;
        return files.isEmpty() ? content : content.isEmpty() ? files : files + ", or " + content;
    }

    /** Hex SHA-256 of the file (or of its gunzipped content; null if it is not gzip). */
    static String sha256(Path file, boolean gunzip) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gunzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.util.zip.ZipException e) {
            if (gunzip) {
                return null;
            }
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IOException e) {
            if (gunzip) {
                return null;  // e.g. truncated gzip: simply does not match
            }
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
