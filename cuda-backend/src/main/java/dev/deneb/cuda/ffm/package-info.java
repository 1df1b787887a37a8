/**
 * Internal: the {@code java.lang.foreign} bindings of the CUDA driver and cuBLAS. Not part of Deneb's API and left
 * out of its javadoc; use {@link dev.deneb.cuda.CudaBackend}.
 */
package dev.deneb.cuda.ffm;
