package dev.deneb.cuda.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through {@link CublasApi}: one handle, column-major GEMM in f32 and f64, single and strided-batched.
 * cuBLAS is column-major; {@code dev.deneb.cuda.Gemm} maps row-major products onto it.
 */
public final class Cublas {
    private final MethodHandle create, destroy, setStream, setMathMode, sgemm, dgemm, sgemmBatched, dgemmBatched;

    private Cublas(SymbolLookup lib, String name) {
        create = CublasApi.CREATE.bind(lib, name);
        destroy = CublasApi.DESTROY.bind(lib, name);
        setStream = CublasApi.SET_STREAM.bind(lib, name);
        setMathMode = CublasApi.SET_MATH_MODE.bind(lib, name);
        sgemm = CublasApi.SGEMM.bind(lib, name);
        dgemm = CublasApi.DGEMM.bind(lib, name);
        sgemmBatched = CublasApi.SGEMM_STRIDED_BATCHED.bind(lib, name);
        dgemmBatched = CublasApi.DGEMM_STRIDED_BATCHED.bind(lib, name);
    }

    /** Opens libcublas.so.13 (else .so.12) and binds every function. */
    public static Cublas load() {
        String file = NativeLibraries.find(NativeLibraries.CUBLAS).map(Object::toString).orElse("libcublas");
        return new Cublas(NativeLibraries.open(NativeLibraries.CUBLAS), file);
    }

    private static void check(String function, int status) {
        if (status != 0) {
            throw new CudaException(function, status, CublasApi.statusName(status), "");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A new cuBLAS handle (needs a current context). */
    public MemorySegment create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cublasCreate_v2", (int) create.invokeExact(out));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void destroy(MemorySegment handle) {
        try {
            check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void setStream(MemorySegment handle, MemorySegment stream) {
        try {
            check("cublasSetStream_v2", (int) setStream.invokeExact(handle, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link CublasApi#DEFAULT_MATH} (full f32) or {@link CublasApi#TF32_TENSOR_OP_MATH}. */
    public void setMathMode(MemorySegment handle, int mode) {
        try {
            check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, mode));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Column-major {@code C[i] = alpha op(A[i]) op(B[i]) + beta C[i]} for {@code batch} matrices at the given element
     * strides (a stride of 0 reuses one matrix). f64 when {@code f64}, else f32. Device pointers are addresses.
     */
    public void gemm(MemorySegment handle, boolean f64, int transA, int transB, int m, int n, int k, double alpha,
                     long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c, int ldc,
                     long strideC, int batch) {
        MemorySegment pa = MemorySegment.ofAddress(a);
        MemorySegment pb = MemorySegment.ofAddress(b);
        MemorySegment pc = MemorySegment.ofAddress(c);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = f64 ? arena.allocateFrom(JAVA_DOUBLE, alpha) : arena.allocateFrom(JAVA_FLOAT, (float) alpha);
            MemorySegment be = f64 ? arena.allocateFrom(JAVA_DOUBLE, beta) : arena.allocateFrom(JAVA_FLOAT, (float) beta);
            if (batch == 1) {
                MethodHandle h = f64 ? dgemm : sgemm;
                check(f64 ? "cublasDgemm_v2" : "cublasSgemm_v2", (int) h.invokeExact(handle, transA, transB, m, n, k,
                        al, pa, lda, pb, ldb, be, pc, ldc));
            } else {
                MethodHandle h = f64 ? dgemmBatched : sgemmBatched;
                check(f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched", (int) h.invokeExact(handle,
                        transA, transB, m, n, k, al, pa, lda, strideA, pb, ldb, strideB, be, pc, ldc, strideC, batch));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
