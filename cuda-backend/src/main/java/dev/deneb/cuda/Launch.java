package dev.deneb.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Arguments of one kernel launch, in the order of the kernel's C parameters. Each argument knows its C size (int
 * and float 4, long long, double and pointers 8, structs their bytes) and how to write itself into native memory;
 * the size is checked against the parameter list in the PTX before the launch ({@link PtxSignatures}).
 */
final class Launch {
    static final int THREADS = 256;
    /** Grid-stride loops cover any size; more blocks than this add nothing. */
    static final int MAX_BLOCKS = 1 << 16;

    /**
     * One argument: its size and alignment in bytes, a writer of its value at an offset of a segment, and for device
     * pointers the pointer itself (null for other arguments), so test doubles can check what a kernel touches.
     */
    record Arg(int size, int align, BiConsumer<MemorySegment, Long> writer, Long devicePointer) {
        Arg(int size, int align, BiConsumer<MemorySegment, Long> writer) {
            this(size, align, writer, null);
        }
    }

    private final Gpu gpu;
    private final String name;
    private final List<Arg> args = new ArrayList<>();

    Launch(Gpu gpu, String name) {
        this.gpu = gpu;
        this.name = name;
    }

    Launch i32(int v) {
        args.add(new Arg(4, 4, (s, at) -> s.set(ValueLayout.JAVA_INT, at, v)));
        return this;
    }

    Launch i64(long v) {
        args.add(new Arg(8, 8, (s, at) -> s.set(ValueLayout.JAVA_LONG, at, v)));
        return this;
    }

    Launch f32(float v) {
        args.add(new Arg(4, 4, (s, at) -> s.set(ValueLayout.JAVA_FLOAT, at, v)));
        return this;
    }

    Launch f64(double v) {
        args.add(new Arg(8, 8, (s, at) -> s.set(ValueLayout.JAVA_DOUBLE, at, v)));
        return this;
    }

    /** A device pointer (0 for an absent optional buffer). */
    Launch ptr(long devicePointer) {
        args.add(new Arg(8, 8, (s, at) -> s.set(ValueLayout.JAVA_LONG, at, devicePointer), devicePointer));
        return this;
    }

    Launch view(KernelView v) {
        args.add(new Arg(KernelView.BYTES, 4, v::writeTo));
        return this;
    }

    /** A struct of ints ({@code ConvGeom}, {@code PoolGeom}). */
    Launch ints(int... values) {
        int[] copy = values.clone();
        args.add(new Arg(4 * copy.length, 4, (s, at) -> {
            for (int i = 0; i < copy.length; i++) {
                s.set(ValueLayout.JAVA_INT, at + 4L * i, copy[i]);
            }
        }));
        return this;
    }

    /** Enough 256-thread blocks for {@code n} elements in a grid-stride loop; nothing when n is 0. */
    void runElements(long n) {
        if (n > 0) {
            run((int) Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS), THREADS);
        }
    }

    /** One block per row (grid-stride over rows), a power-of-two block of 32 to 256 threads. */
    void runRows(long rows, int rowLength) {
        if (rows <= 0) {
            return;
        }
        int threads = 32;
        while (threads < THREADS && threads < rowLength) {
            threads <<= 1;
        }
        run((int) Math.min(MAX_BLOCKS, rows), threads);
    }

    void run(int blocks, int threads) {
        gpu.launch(name, blocks, threads, List.copyOf(args));
    }
}
