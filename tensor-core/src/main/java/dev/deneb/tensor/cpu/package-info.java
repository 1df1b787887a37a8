/**
 * Internal: the CPU backends and their kernels (GEMM paths, convolutions, vector loops, the thread pool). Not part of
 * Deneb's API and left out of its javadoc: use {@link dev.deneb.tensor.Backends} to choose a backend and
 * {@link dev.deneb.tensor.Threads} to set the thread count. Other Deneb modules use some classes here (the optimizers
 * read CPU storage directly); anything may change between versions.
 */
package dev.deneb.tensor.cpu;
