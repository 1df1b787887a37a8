package dev.deneb.fuzz;

import java.nio.file.Path;
import java.util.List;

/**
 * One loader under fuzzing: its name, the file suffix it expects, the mutated cases, the call that loads a file (it
 * must return normally or throw one of the documented exceptions, naming the file), and the size that allocation is
 * measured against: the file's size, or for compressed files what they decompress to (which may be up to 1032 times
 * more, legitimately).
 */
record FuzzTarget(String name, String suffix, List<Mutations.Case> cases, Loader loader, SizeBasis basis) {
    interface Loader {
        void load(Path file) throws Exception;
    }

    interface SizeBasis {
        long of(byte[] file);
    }

    FuzzTarget(String name, String suffix, List<Mutations.Case> cases, Loader loader) {
        this(name, suffix, cases, loader, b -> b.length);
    }
}
