package dev.deneb.cuda.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * One C function we call: its exported symbol and its signature. The tables in {@link DriverApi} and
 * {@link CublasApi} list every one of them, so tests can compare the signatures with the C headers without loading
 * any native library.
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public record NativeFunction(String symbol, FunctionDescriptor descriptor) {
    /** A downcall handle for this function from {@code lookup}; fails with a message naming the symbol and library. */
    public MethodHandle bind(SymbolLookup lookup, String libraryName) {
        return Linker.nativeLinker().downcallHandle(
                lookup.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(
                        "symbol " + symbol + " not found in " + libraryName)),
                descriptor);
    }

    /** True when {@code lookup} exports the symbol (used for functions newer drivers add). */
    public boolean presentIn(SymbolLookup lookup) {
        return lookup.find(symbol).isPresent();
    }
}
