/* The CPU's f32 FMA peak, the ceiling GEMM figures are reported against.
 * Build and run:  gcc -O3 -march=native -fopenmp fma_peak.c -o fma_peak && ./fma_peak [threads]
 * Each thread runs 12 independent FMA chains (enough to cover latency x throughput on every x86 core we have met)
 * at the widest vector width the compiler targets, and at 256 bits, and reports GFLOP/s for both. */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define CHAINS 12
#define ITERS 200000000L

static double now(void) { return omp_get_wtime(); }

#ifdef __AVX512F__
static float run512(long iters) {
    __m512 acc[CHAINS];
    __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float) i);
    for (long it = 0; it < iters; it++)
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
    float s = 0; for (int i = 0; i < CHAINS; i++) s += _mm512_reduce_add_ps(acc[i]);
    return s;
}
#endif

static float run256(long iters) {
    __m256 acc[CHAINS];
    __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float) i);
    for (long it = 0; it < iters; it++)
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
    float out[8], s = 0;
    for (int i = 0; i < CHAINS; i++) { _mm256_storeu_ps(out, acc[i]); for (int j = 0; j < 8; j++) s += out[j]; }
    return s;
}

/* Best of five runs: on a shared machine a run can only be slowed down, never sped up. */
static void measure(const char *name, int lanes, float (*kernel)(long), int threads) {
    long iters = ITERS / lanes * 8 / 4;
    volatile float sink = 0;
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
#pragma omp parallel num_threads(threads)
        {
            float s = kernel(iters);
#pragma omp atomic
            sink += s;
        }
        double gflops = 2.0 * lanes * CHAINS * iters * threads / (now() - t0) / 1e9;
        best = gflops > best ? gflops : best;
    }
    printf("%s bits, %d thread(s): %.1f GFLOP/s\n", name, threads, best);
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
#ifdef __AVX512F__
    measure("512", 16, run512, threads);
#endif
    measure("256", 8, run256, threads);
    return 0;
}
