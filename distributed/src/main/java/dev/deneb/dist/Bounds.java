package dev.deneb.dist;

/** Argument checks shared by the communicators, with messages that name the operation. */
final class Bounds {
    private Bounds() {}

    static void check(String op, float[] data, int offset, int length) {
        if (data == null) {
            throw new IllegalArgumentException(op + ": the buffer is null");
        }
        if (offset < 0 || length < 0 || (long) offset + length > data.length) {
            throw new IllegalArgumentException(op + ": range [" + offset + ", " + ((long) offset + length)
                    + ") does not fit a buffer of " + data.length + " elements");
        }
    }

    static void checkRoot(String op, int root, int size) {
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException(op + ": root " + root + " is not a rank of a group of " + size);
        }
    }
}
