package dev.deneb.dist;

/**
 * A collective failed: a peer closed its connection or sent nothing within the timeout, or the ranks disagreed
 * (lengths, group size). The message names the operation, this rank and the peer involved, so the first line of a
 * failed job's log says which machine to look at.
 */
public final class CommunicatorException extends RuntimeException {
    public CommunicatorException(String message) {
        super(message);
    }

    public CommunicatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
