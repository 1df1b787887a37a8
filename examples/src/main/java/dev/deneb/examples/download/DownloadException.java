package dev.deneb.examples.download;

/** A download that cannot succeed as things stand (HTTP error, hash mismatch, bad archive): the message says why. */
public final class DownloadException extends RuntimeException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
