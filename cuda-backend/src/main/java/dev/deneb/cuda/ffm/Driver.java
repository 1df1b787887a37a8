package dev.deneb.cuda.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The CUDA driver API as plain Java methods: each one calls the C function listed in {@link DriverApi} and turns a
 * non-zero {@code CUresult} into a {@link CudaException} carrying the driver's name for it. Handles
 * ({@code CUcontext}, {@code CUstream}…) are {@link MemorySegment} addresses; device pointers are {@code long}.
 * Thread-safe (the driver is); a context must be current on the calling thread for memory and launch calls.
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class Driver {
    /** CUDA_ERROR_OUT_OF_MEMORY. */
    public static final int ERROR_OUT_OF_MEMORY = 2;

    private final MethodHandle init, driverGetVersion, getErrorName, getErrorString, deviceGetCount, deviceGet,
            deviceGetName, deviceGetAttribute, primaryCtxRetain, primaryCtxRelease, ctxSetCurrent, ctxSynchronize,
            memGetInfo, memAlloc, memFree, memcpyHtoD, memcpyDtoH, memcpyDtoD, memsetD8, memsetD32, streamCreate,
            streamSynchronize, streamDestroy, eventCreate, eventRecord, eventSynchronize, eventElapsedTime,
            eventDestroy, moduleLoadData, moduleGetFunction, launchKernel;

    private Driver(SymbolLookup lib) {
        String name = "libcuda.so.1";
        init = DriverApi.INIT.bind(lib, name);
        driverGetVersion = DriverApi.DRIVER_GET_VERSION.bind(lib, name);
        getErrorName = DriverApi.GET_ERROR_NAME.bind(lib, name);
        getErrorString = DriverApi.GET_ERROR_STRING.bind(lib, name);
        deviceGetCount = DriverApi.DEVICE_GET_COUNT.bind(lib, name);
        deviceGet = DriverApi.DEVICE_GET.bind(lib, name);
        deviceGetName = DriverApi.DEVICE_GET_NAME.bind(lib, name);
        deviceGetAttribute = DriverApi.DEVICE_GET_ATTRIBUTE.bind(lib, name);
        primaryCtxRetain = DriverApi.DEVICE_PRIMARY_CTX_RETAIN.bind(lib, name);
        primaryCtxRelease = DriverApi.DEVICE_PRIMARY_CTX_RELEASE.bind(lib, name);
        ctxSetCurrent = DriverApi.CTX_SET_CURRENT.bind(lib, name);
        ctxSynchronize = DriverApi.CTX_SYNCHRONIZE.bind(lib, name);
        memGetInfo = DriverApi.MEM_GET_INFO.bind(lib, name);
        memAlloc = DriverApi.MEM_ALLOC.bind(lib, name);
        memFree = DriverApi.MEM_FREE.bind(lib, name);
        memcpyHtoD = DriverApi.MEMCPY_HTOD.bind(lib, name);
        memcpyDtoH = DriverApi.MEMCPY_DTOH.bind(lib, name);
        memcpyDtoD = DriverApi.MEMCPY_DTOD.bind(lib, name);
        memsetD8 = DriverApi.MEMSET_D8.bind(lib, name);
        memsetD32 = DriverApi.MEMSET_D32.bind(lib, name);
        streamCreate = DriverApi.STREAM_CREATE.bind(lib, name);
        streamSynchronize = DriverApi.STREAM_SYNCHRONIZE.bind(lib, name);
        streamDestroy = DriverApi.STREAM_DESTROY.bind(lib, name);
        eventCreate = DriverApi.EVENT_CREATE.bind(lib, name);
        eventRecord = DriverApi.EVENT_RECORD.bind(lib, name);
        eventSynchronize = DriverApi.EVENT_SYNCHRONIZE.bind(lib, name);
        eventElapsedTime = (DriverApi.EVENT_ELAPSED_TIME.presentIn(lib) ? DriverApi.EVENT_ELAPSED_TIME
                : DriverApi.EVENT_ELAPSED_TIME_V1).bind(lib, name);
        eventDestroy = DriverApi.EVENT_DESTROY.bind(lib, name);
        moduleLoadData = DriverApi.MODULE_LOAD_DATA.bind(lib, name);
        moduleGetFunction = DriverApi.MODULE_GET_FUNCTION.bind(lib, name);
        launchKernel = DriverApi.LAUNCH_KERNEL.bind(lib, name);
    }

    /** Opens {@code libcuda.so.1} and binds every function. Does not call cuInit. */
    public static Driver load() {
        return new Driver(NativeLibraries.open(NativeLibraries.DRIVER));
    }

    // ---- errors ----

    private void check(String function, int rc) {
        if (rc != 0) {
            throw new CudaException(function, rc, errorName(rc), errorString(rc));
        }
    }

    /** The driver's name for a CUresult, e.g. {@code CUDA_ERROR_NO_DEVICE}. */
    public String errorName(int code) {
        return describe(getErrorName, code, "CUDA_ERROR_" + code);
    }

    /** The driver's description of a CUresult. */
    public String errorString(int code) {
        return describe(getErrorString, code, "");
    }

    private static String describe(MethodHandle h, int code, String fallback) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int rc = (int) h.invokeExact(code, out);
            MemorySegment p = out.get(ADDRESS, 0);
            if (rc != 0 || p.equals(MemorySegment.NULL)) {
                return fallback;
            }
            return p.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return fallback;
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

    // ---- initialisation and devices ----

    public void init() {
        try {
            check("cuInit", (int) init.invokeExact(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The CUDA version the driver supports, as 1000 * major + 10 * minor (13000 for 13.0). */
    public int driverVersion() {
        return intOut("cuDriverGetVersion", driverGetVersion);
    }

    public int deviceCount() {
        return intOut("cuDeviceGetCount", deviceGetCount);
    }

    /** The CUdevice for an ordinal. */
    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGet", (int) deviceGet.invokeExact(out, ordinal));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            check("cuDeviceGetName", (int) deviceGetName.invokeExact(buf, 256, device));
            return buf.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A {@code CUdevice_attribute} value (see the constants in {@link DriverApi}). */
    public int attribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", (int) deviceGetAttribute.invokeExact(out, attribute, device));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private int intOut(String function, MethodHandle h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check(function, (int) h.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- contexts ----

    /** The device's primary context (shared with the CUDA runtime and cuBLAS in this process). */
    public MemorySegment primaryContextRetain(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) primaryCtxRetain.invokeExact(out, device));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void primaryContextRelease(int device) {
        try {
            check("cuDevicePrimaryCtxRelease_v2", (int) primaryCtxRelease.invokeExact(device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void setCurrent(MemorySegment context) {
        try {
            check("cuCtxSetCurrent", (int) ctxSetCurrent.invokeExact(context));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void contextSynchronize() {
        try {
            check("cuCtxSynchronize", (int) ctxSynchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- memory ----

    /** {@code {free, total}} bytes on the current context's device. */
    public long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG);
            MemorySegment total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", (int) memGetInfo.invokeExact(free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long memAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuMemAlloc_v2", (int) memAlloc.invokeExact(out, bytes));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memFree(long devicePointer) {
        try {
            check("cuMemFree_v2", (int) memFree.invokeExact(devicePointer));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Copies {@code bytes} from native host memory to the device (synchronous for pageable memory). */
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        try {
            check("cuMemcpyHtoD_v2", (int) memcpyHtoD.invokeExact(dst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Copies {@code bytes} from the device to native host memory; waits for earlier work on the device. */
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        try {
            check("cuMemcpyDtoH_v2", (int) memcpyDtoH.invokeExact(dst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyDeviceToDevice(long dst, long src, long bytes) {
        try {
            check("cuMemcpyDtoD_v2", (int) memcpyDtoD.invokeExact(dst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memsetD8(long dst, byte value, long count) {
        try {
            check("cuMemsetD8_v2", (int) memsetD8.invokeExact(dst, value, count));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memsetD32(long dst, int value, long count) {
        try {
            check("cuMemsetD32_v2", (int) memsetD32.invokeExact(dst, value, count));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- streams and events ----

    /** A new stream; flags 0 is CU_STREAM_DEFAULT (ordered with the legacy default stream). */
    public MemorySegment streamCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuStreamCreate", (int) streamCreate.invokeExact(out, flags));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void streamSynchronize(MemorySegment stream) {
        try {
            check("cuStreamSynchronize", (int) streamSynchronize.invokeExact(stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void streamDestroy(MemorySegment stream) {
        try {
            check("cuStreamDestroy_v2", (int) streamDestroy.invokeExact(stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new event; flags 0 is CU_EVENT_DEFAULT (records timing). */
    public MemorySegment eventCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuEventCreate", (int) eventCreate.invokeExact(out, flags));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventRecord(MemorySegment event, MemorySegment stream) {
        try {
            check("cuEventRecord", (int) eventRecord.invokeExact(event, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventSynchronize(MemorySegment event) {
        try {
            check("cuEventSynchronize", (int) eventSynchronize.invokeExact(event));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Milliseconds between two recorded events. */
    public float eventElapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", (int) eventElapsedTime.invokeExact(out, start, end));
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventDestroy(MemorySegment event) {
        try {
            check("cuEventDestroy_v2", (int) eventDestroy.invokeExact(event));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- modules and launches ----

    /** Loads a module from a NUL-terminated PTX image (JIT-compiled by the driver for the current device). */
    public MemorySegment moduleLoadData(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuModuleLoadData", (int) moduleLoadData.invokeExact(out, image));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            MemorySegment cName = a.allocateFrom(name);
            int rc = (int) moduleGetFunction.invokeExact(out, module, cName);
            if (rc != 0) {
                throw new CudaException("cuModuleGetFunction(" + name + ")", rc, errorName(rc), errorString(rc));
            }
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Launches {@code function} on a {@code grid} of {@code block}-sized blocks. {@code params} is an array of
     * pointers, one per kernel parameter, each to a copy of the argument's value (the driver copies them before
     * returning).
     */
    public void launchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY,
                             int blockZ, int sharedBytes, MemorySegment stream, MemorySegment params) {
        try {
            check("cuLaunchKernel", (int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY,
                    blockZ, sharedBytes, stream, params, MemorySegment.NULL));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
