package dev.deneb.cuda.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares every FFM signature we bind with the C prototype in the installed CUDA headers: same number of
 * parameters, and each passed the same way (pointer, 8/16/32/64-bit integer, float, double). Runs on machines
 * without a GPU; skipped when no header is installed. The directory is {@code -Ddeneb.cuda.include=DIR}, else
 * {@code /usr/local/cuda-13.0/include}, {@code /usr/local/cuda/include} or the newest {@code /usr/local/cuda-*}.
 */
class HeaderSignatureTest {
    static Optional<Path> includeDir(String header) {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("deneb.cuda.include");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("/usr/local/cuda-13.0/include"));
        candidates.add(Path.of("/usr/local/cuda/include"));
        try (Stream<Path> s = Files.list(Path.of("/usr/local"))) {
            s.filter(p -> p.getFileName().toString().startsWith("cuda-")).sorted((a, b) -> b.compareTo(a))
                    .forEach(p -> candidates.add(p.resolve("include")));
        } catch (IOException | RuntimeException e) {
            // no /usr/local: nothing more to try
        }
        candidates.add(Path.of("/usr/include"));
        return candidates.stream().filter(d -> Files.isRegularFile(d.resolve(header))).findFirst();
    }

    static CHeader.Kind kindOf(MemoryLayout l) {
        if (l instanceof AddressLayout) {
            return CHeader.Kind.POINTER;
        }
        if (l instanceof ValueLayout.OfByte) {
            return CHeader.Kind.INT8;
        }
        if (l instanceof ValueLayout.OfShort) {
            return CHeader.Kind.INT16;
        }
        if (l instanceof ValueLayout.OfInt) {
            return CHeader.Kind.INT32;
        }
        if (l instanceof ValueLayout.OfLong) {
            return CHeader.Kind.INT64;
        }
        if (l instanceof ValueLayout.OfFloat) {
            return CHeader.Kind.FLOAT;
        }
        if (l instanceof ValueLayout.OfDouble) {
            return CHeader.Kind.DOUBLE;
        }
        throw new IllegalArgumentException("unexpected layout " + l);
    }

    static List<CHeader.Kind> kinds(NativeFunction f) {
        List<CHeader.Kind> out = new ArrayList<>();
        for (MemoryLayout l : f.descriptor().argumentLayouts()) {
            out.add(kindOf(l));
        }
        return out;
    }

    static void checkAll(CHeader h, List<NativeFunction> functions, String header) {
        List<String> problems = new ArrayList<>();
        for (NativeFunction f : functions) {
            if (!h.declares(f.symbol())) {
                problems.add(f.symbol() + ": not declared in " + header);
                continue;
            }
            List<CHeader.Kind> expected = h.kinds(f.symbol());
            List<CHeader.Kind> actual = kinds(f);
            if (!expected.equals(actual)) {
                problems.add(f.symbol() + ": header " + h.parameters(f.symbol()) + " is " + expected + ", we bind "
                        + actual);
            }
            assertEquals(CHeader.Kind.INT32, kindOf(f.descriptor().returnLayout().orElseThrow()),
                    f.symbol() + " returns a 32-bit status");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void driverFunctionsMatchCudaH() throws IOException {
        Optional<Path> dir = includeDir("cuda.h");
        Assumptions.assumeTrue(dir.isPresent(), "cuda.h not installed: driver signatures not checked here");
        String text = Files.readString(dir.get().resolve("cuda.h"));
        checkAll(CHeader.parse(text), DriverApi.ALL, dir.get().resolve("cuda.h").toString());
    }

    @Test
    void driverFallbackHasTheSameSignature() {
        assertEquals(DriverApi.EVENT_ELAPSED_TIME.descriptor(), DriverApi.EVENT_ELAPSED_TIME_V1.descriptor());
    }

    @Test
    void deviceAttributeNumbersMatchCudaH() throws IOException {
        Optional<Path> dir = includeDir("cuda.h");
        Assumptions.assumeTrue(dir.isPresent(), "cuda.h not installed: attribute numbers not checked here");
        String text = Files.readString(dir.get().resolve("cuda.h"));
        assertEquals(DriverApi.ATTR_COMPUTE_CAPABILITY_MAJOR,
                CHeader.enumValue(text, "CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR"));
        assertEquals(DriverApi.ATTR_COMPUTE_CAPABILITY_MINOR,
                CHeader.enumValue(text, "CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR"));
        assertEquals(DriverApi.ATTR_MULTIPROCESSOR_COUNT,
                CHeader.enumValue(text, "CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT"));
        assertEquals(Driver.ERROR_OUT_OF_MEMORY, CHeader.enumValue(text, "CUDA_ERROR_OUT_OF_MEMORY"));
    }

    @Test
    void cublasFunctionsMatchCublasApiH() throws IOException {
        Optional<Path> dir = includeDir("cublas_api.h");
        Assumptions.assumeTrue(dir.isPresent(),
                "cublas_api.h not installed: cuBLAS signatures not checked here (taken from the cuBLAS documentation)");
        String text = Files.readString(dir.get().resolve("cublas_api.h"));
        // cudaStream_t comes from driver_types.h, which cublas_api.h includes.
        String driverTypes = dir.flatMap(d -> Optional.of(d.resolve("driver_types.h"))).filter(Files::isRegularFile)
                .map(p -> {
                    try {
                        return Files.readString(p);
                    } catch (IOException e) {
                        return "";
                    }
                }).orElse("typedef struct CUstream_st *cudaStream_t;");
        checkAll(CHeader.parse(driverTypes + "\n" + text), CublasApi.ALL, "cublas_api.h");
        assertEquals(CublasApi.TF32_TENSOR_OP_MATH, CHeader.enumValue(text, "CUBLAS_TF32_TENSOR_OP_MATH"));
        assertEquals(CublasApi.OP_T, CHeader.enumValue(text, "CUBLAS_OP_T"));
    }

    /** The reader itself, on declarations written the way cuda.h and cublas_api.h write them. */
    @Test
    void readerHandlesAliasesMacrosAndTypedefs() {
        String text = """
                #define __CUDA_API_PTDS(api) api
                #define cuMemAlloc                          cuMemAlloc_v2
                #define cuMemcpyHtoD                        __CUDA_API_PTDS(cuMemcpyHtoD_v2)
                typedef unsigned long long CUdeviceptr_v2;
                typedef CUdeviceptr_v2 CUdeviceptr;
                typedef int CUdevice_v1;
                typedef CUdevice_v1 CUdevice;
                typedef struct CUctx_st *CUcontext; /* a handle */
                typedef enum cudaError_enum { CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1 } CUresult;
                typedef struct cublasContext *cublasHandle_t;
                typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 } cublasOperation_t;
                CUresult CUDAAPI cuMemAlloc(CUdeviceptr *dptr, size_t bytesize);
                CUresult CUDAAPI cuMemcpyHtoD(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);
                CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx);
                CUresult CUDAAPI cuCtxSynchronize(void);
                CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice dev);
                CUresult CUDAAPI cuMemsetD8(CUdeviceptr dstDevice, unsigned char uc, size_t N);
                CUBLASAPI cublasStatus_t CUBLASWINAPI cublasSgemmStridedBatched(cublasHandle_t handle,
                        cublasOperation_t transa, int m, const float *alpha, long long int strideA, int batchCount);
                """;
        CHeader h = CHeader.parse(text);
        assertEquals(List.of(CHeader.Kind.POINTER, CHeader.Kind.INT64), h.kinds("cuMemAlloc_v2"));
        assertEquals(List.of(CHeader.Kind.INT64, CHeader.Kind.POINTER, CHeader.Kind.INT64), h.kinds("cuMemcpyHtoD_v2"));
        assertEquals(List.of(CHeader.Kind.POINTER), h.kinds("cuCtxSetCurrent"));
        assertEquals(List.of(), h.kinds("cuCtxSynchronize"));
        assertEquals(List.of(CHeader.Kind.POINTER, CHeader.Kind.INT32, CHeader.Kind.INT32), h.kinds("cuDeviceGetName"));
        assertEquals(List.of(CHeader.Kind.INT64, CHeader.Kind.INT8, CHeader.Kind.INT64), h.kinds("cuMemsetD8"));
        assertEquals(List.of(CHeader.Kind.POINTER, CHeader.Kind.INT32, CHeader.Kind.INT32, CHeader.Kind.POINTER,
                CHeader.Kind.INT64, CHeader.Kind.INT32), h.kinds("cublasSgemmStridedBatched"));
        assertEquals(1, CHeader.enumValue(text, "CUBLAS_OP_T"));
    }
}
