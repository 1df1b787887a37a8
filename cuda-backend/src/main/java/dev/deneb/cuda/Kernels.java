package dev.deneb.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel modules of one context, loaded on first use: the PTX of the right architecture is read from the jar,
 * adapted to the driver ({@link PtxImage#forDriver}) and JIT-compiled by {@code cuModuleLoadData}. Also keeps each
 * entry point's parameter sizes, to check launches against.
 */
final class Kernels {
    private final CudaContext ctx;
    private final Map<String, MemorySegment> modules = new HashMap<>();
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Map<String, List<Integer>> signatures = new HashMap<>();

    Kernels(CudaContext ctx) {
        this.ctx = ctx;
    }

    /** The CUfunction of an entry point listed in {@link KernelCatalog}. */
    synchronized MemorySegment function(String name) {
        MemorySegment f = functions.get(name);
        if (f == null) {
            MemorySegment module = module(KernelCatalog.moduleOf(name));
            f = ctx.driver.moduleGetFunction(module, name);
            functions.put(name, f);
        }
        return f;
    }

    /** Parameter sizes in bytes, from the PTX. */
    synchronized List<Integer> parameterSizes(String name) {
        function(name);
        return signatures.get(name);
    }

    private MemorySegment module(String name) {
        MemorySegment m = modules.get(name);
        if (m == null) {
            String ptx = PtxImage.forDriver(PtxImage.load(name, ctx.ptxArchitecture), ctx.driverVersion);
            signatures.putAll(PtxSignatures.parse(ptx));
            try (Arena a = Arena.ofConfined()) {
                ctx.makeCurrent();
                m = ctx.driver.moduleLoadData(a.allocateFrom(ptx));
            }
            modules.put(name, m);
        }
        return m;
    }
}
