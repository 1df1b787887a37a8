package dev.deneb.cuda.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.util.List;

/**
 * The cuBLAS functions we call ({@code libcublas.so.13}, else {@code .so.12}). The signatures are those of the
 * cuBLAS API reference (CUDA 12 and 13, sections "cublasCreate", "cublasSetStream", "cublasSetMathMode",
 * "cublas&lt;t&gt;gemm" and "cublas&lt;t&gt;gemmStridedBatched") and of {@code cublas_api.h}, which declares
 * {@code cublasCreate} etc. as macros for the {@code _v2} symbols. <b>Not checked against a header here</b>:
 * the build machine has no {@code cublas_api.h}; {@code HeaderSignatureTest} checks them when one is found (see
 * {@code deneb.cuda.include}).
 *
 * <p>Types: {@code cublasStatus_t}, {@code cublasOperation_t}, {@code cublasMath_t} (enums) and {@code int} map to
 * {@code JAVA_INT}; {@code long long int} strides to {@code JAVA_LONG}; {@code cublasHandle_t},
 * {@code cudaStream_t} and every pointer (alpha and beta are host pointers, the default pointer mode) to
 * {@code ADDRESS}.
 */
public final class CublasApi {
    private CublasApi() {}

    private static NativeFunction fn(String symbol, FunctionDescriptor d) {
        return new NativeFunction(symbol, d);
    }

    // cublasStatus_t cublasCreate_v2(cublasHandle_t *handle);
    public static final NativeFunction CREATE = fn("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // cublasStatus_t cublasDestroy_v2(cublasHandle_t handle);
    public static final NativeFunction DESTROY = fn("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
    public static final NativeFunction SET_STREAM = fn("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);
    public static final NativeFunction SET_MATH_MODE = fn("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    // cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
    //     int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb,
    //     const float *beta, float *C, int ldc);
    public static final NativeFunction SGEMM = fn("cublasSgemm_v2", gemm());
    // cublasStatus_t cublasDgemm_v2(...) with double in place of float.
    public static final NativeFunction DGEMM = fn("cublasDgemm_v2", gemm());

    // cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa,
    //     cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda,
    //     long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C,
    //     int ldc, long long int strideC, int batchCount);
    public static final NativeFunction SGEMM_STRIDED_BATCHED = fn("cublasSgemmStridedBatched", gemmStridedBatched());
    // cublasStatus_t cublasDgemmStridedBatched(...) with double in place of float.
    public static final NativeFunction DGEMM_STRIDED_BATCHED = fn("cublasDgemmStridedBatched", gemmStridedBatched());

    public static final List<NativeFunction> ALL = List.of(CREATE, DESTROY, SET_STREAM, SET_MATH_MODE, SGEMM, DGEMM,
            SGEMM_STRIDED_BATCHED, DGEMM_STRIDED_BATCHED);

    // cublasOperation_t
    public static final int OP_N = 0;
    public static final int OP_T = 1;
    // cublasMath_t
    public static final int DEFAULT_MATH = 0;
    public static final int TF32_TENSOR_OP_MATH = 3;

    private static FunctionDescriptor gemm() {
        return FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    }

    private static FunctionDescriptor gemmStridedBatched() {
        return FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,
                JAVA_INT);
    }

    /** cuBLAS status names (cublas_api.h, cublasStatus_t). */
    public static String statusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_" + status;
        };
    }
}
