package dev.deneb.cuda.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.util.List;

/**
 * The CUDA driver API functions we call ({@code libcuda.so.1}), with their C signatures from {@code cuda.h}
 * (CUDA 13.0) beside each one. Types map as: {@code CUresult}, {@code CUdevice}, enums, {@code int} and
 * {@code unsigned int} to {@code JAVA_INT}; {@code CUdeviceptr} (unsigned long long) and {@code size_t} to
 * {@code JAVA_LONG}; {@code unsigned char} to {@code JAVA_BYTE}; pointers and handles ({@code CUcontext},
 * {@code CUstream}, {@code CUevent}, {@code CUmodule}, {@code CUfunction}) to {@code ADDRESS}.
 *
 * <p>Symbols are the ABI names that {@code cuda.h} maps the API names to with {@code #define} (for example
 * {@code cuMemAlloc} is {@code cuMemAlloc_v2}). We use the legacy default-stream variants (not {@code _ptds}/
 * {@code _ptsz}). Every entry is checked against the header by {@code HeaderSignatureTest}.
 */
public final class DriverApi {
    private DriverApi() {}

    private static NativeFunction fn(String symbol, FunctionDescriptor d) {
        return new NativeFunction(symbol, d);
    }

    // CUresult cuInit(unsigned int Flags);
    public static final NativeFunction INIT = fn("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // CUresult cuDriverGetVersion(int *driverVersion);
    public static final NativeFunction DRIVER_GET_VERSION = fn("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // CUresult cuGetErrorName(CUresult error, const char **pStr);
    public static final NativeFunction GET_ERROR_NAME = fn("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    // CUresult cuGetErrorString(CUresult error, const char **pStr);
    public static final NativeFunction GET_ERROR_STRING = fn("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    // CUresult cuDeviceGetCount(int *count);
    public static final NativeFunction DEVICE_GET_COUNT = fn("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // CUresult cuDeviceGet(CUdevice *device, int ordinal);
    public static final NativeFunction DEVICE_GET = fn("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // CUresult cuDeviceGetName(char *name, int len, CUdevice dev);
    public static final NativeFunction DEVICE_GET_NAME = fn("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev);
    public static final NativeFunction DEVICE_GET_ATTRIBUTE = fn("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    // CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev);
    public static final NativeFunction DEVICE_PRIMARY_CTX_RETAIN = fn("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // CUresult cuDevicePrimaryCtxRelease(CUdevice dev);  (#define cuDevicePrimaryCtxRelease cuDevicePrimaryCtxRelease_v2)
    public static final NativeFunction DEVICE_PRIMARY_CTX_RELEASE = fn("cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // CUresult cuCtxSetCurrent(CUcontext ctx);
    public static final NativeFunction CTX_SET_CURRENT = fn("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // CUresult cuCtxSynchronize(void);
    public static final NativeFunction CTX_SYNCHRONIZE = fn("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));

    // CUresult cuMemGetInfo(size_t *free, size_t *total);  (#define cuMemGetInfo cuMemGetInfo_v2)
    public static final NativeFunction MEM_GET_INFO = fn("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // CUresult cuMemAlloc(CUdeviceptr *dptr, size_t bytesize);  (#define cuMemAlloc cuMemAlloc_v2)
    public static final NativeFunction MEM_ALLOC = fn("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    // CUresult cuMemFree(CUdeviceptr dptr);  (#define cuMemFree cuMemFree_v2)
    public static final NativeFunction MEM_FREE = fn("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    // CUresult cuMemcpyHtoD(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);  (_v2)
    public static final NativeFunction MEMCPY_HTOD = fn("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG));
    // CUresult cuMemcpyDtoH(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount);  (_v2)
    public static final NativeFunction MEMCPY_DTOH = fn("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    // CUresult cuMemcpyDtoD(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount);  (_v2)
    public static final NativeFunction MEMCPY_DTOD = fn("cuMemcpyDtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    // CUresult cuMemsetD8(CUdeviceptr dstDevice, unsigned char uc, size_t N);  (_v2)
    public static final NativeFunction MEMSET_D8 = fn("cuMemsetD8_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG));
    // CUresult cuMemsetD32(CUdeviceptr dstDevice, unsigned int ui, size_t N);  (_v2)
    public static final NativeFunction MEMSET_D32 = fn("cuMemsetD32_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));

    // CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags);
    public static final NativeFunction STREAM_CREATE = fn("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // CUresult cuStreamSynchronize(CUstream hStream);
    public static final NativeFunction STREAM_SYNCHRONIZE = fn("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // CUresult cuStreamDestroy(CUstream hStream);  (#define cuStreamDestroy cuStreamDestroy_v2)
    public static final NativeFunction STREAM_DESTROY = fn("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    // CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags);
    public static final NativeFunction EVENT_CREATE = fn("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // CUresult cuEventRecord(CUevent hEvent, CUstream hStream);
    public static final NativeFunction EVENT_RECORD = fn("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // CUresult cuEventSynchronize(CUevent hEvent);
    public static final NativeFunction EVENT_SYNCHRONIZE = fn("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // CUresult cuEventElapsedTime(float *pMilliseconds, CUevent hStart, CUevent hEnd);
    // cuda.h 13 maps cuEventElapsedTime to cuEventElapsedTime_v2 (CUDA 12.8+); drivers older than that only have the
    // unversioned symbol with the same signature, so Driver falls back to it.
    public static final NativeFunction EVENT_ELAPSED_TIME = fn("cuEventElapsedTime_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    // CUresult cuEventDestroy(CUevent hEvent);  (#define cuEventDestroy cuEventDestroy_v2)
    public static final NativeFunction EVENT_DESTROY = fn("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    // CUresult cuModuleLoadData(CUmodule *module, const void *image);
    public static final NativeFunction MODULE_LOAD_DATA = fn("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name);
    public static final NativeFunction MODULE_GET_FUNCTION = fn("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    // CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY,
    //                         blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams,
    //                         void **extra);
    public static final NativeFunction LAUNCH_KERNEL = fn("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    /** Every function above. */
    public static final List<NativeFunction> ALL = List.of(INIT, DRIVER_GET_VERSION, GET_ERROR_NAME, GET_ERROR_STRING,
            DEVICE_GET_COUNT, DEVICE_GET, DEVICE_GET_NAME, DEVICE_GET_ATTRIBUTE, DEVICE_PRIMARY_CTX_RETAIN,
            DEVICE_PRIMARY_CTX_RELEASE, CTX_SET_CURRENT, CTX_SYNCHRONIZE, MEM_GET_INFO, MEM_ALLOC, MEM_FREE,
            MEMCPY_HTOD, MEMCPY_DTOH, MEMCPY_DTOD, MEMSET_D8, MEMSET_D32, STREAM_CREATE, STREAM_SYNCHRONIZE,
            STREAM_DESTROY, EVENT_CREATE, EVENT_RECORD, EVENT_SYNCHRONIZE, EVENT_ELAPSED_TIME, EVENT_DESTROY,
            MODULE_LOAD_DATA, MODULE_GET_FUNCTION, LAUNCH_KERNEL);

    /** The unversioned event timer of drivers before CUDA 12.8 (same signature as {@link #EVENT_ELAPSED_TIME}). */
    public static final NativeFunction EVENT_ELAPSED_TIME_V1 = fn("cuEventElapsedTime",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    // CUdevice_attribute values used (cuda.h, enum CUdevice_attribute_enum).
    public static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    public static final int ATTR_MULTIPROCESSOR_COUNT = 16;
}
