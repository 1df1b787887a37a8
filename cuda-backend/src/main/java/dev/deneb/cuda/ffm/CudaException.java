package dev.deneb.cuda.ffm;

/**
 * A CUDA driver or cuBLAS call that returned an error. The message names the call, the numeric code and the
 * library's own name for it (e.g. {@code cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory}).
 */
public final class CudaException extends RuntimeException {
    private final String function;
    private final int code;
    private final String errorName;

    public CudaException(String function, int code, String errorName, String description) {
        super(function + " failed: " + errorName + " (" + code + ")"
                + (description == null || description.isEmpty() ? "" : ": " + description));
        this.function = function;
        this.code = code;
        this.errorName = errorName;
    }

    /** The native function that failed, e.g. {@code cuModuleLoadData}. */
    public String function() {
        return function;
    }

    /** The numeric {@code CUresult} or {@code cublasStatus_t}. */
    public int code() {
        return code;
    }

    /** The library's name for the code, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() {
        return errorName;
    }
}
