package dev.deneb.tensor.cpu;

import static dev.deneb.tensor.cpu.SgemmSettings.NR;
import static dev.deneb.tensor.cpu.SgemmSettings.roundUp;

/**
 * Packed copies of a GEMM's B operand kept on the storage they were packed from, so that a weight used again
 * unchanged (inference: {@code x·Wᵀ} on every call) is packed, and transposed, once. A batch-1 transformer layer
 * spent about 15 % of its time transposing its weights into panels.
 *
 * <p>A pack is valid for one version of its storage: every in-place write bumps the version (an optimizer step
 * too), and a pack of another version is never used. A pack is made only when the same operand comes back at the
 * same version: in training the weights change between calls, so there the product packs into the thread's
 * workspace as before and nothing is allocated. A published pack is never written again (threads may be reading it);
 * a stale one is replaced by a new array.
 */
final class SgemmPackCache {
    /** Operands remembered per storage (q, k and v projections may be views of one packed weight). */
    private static final int SLOTS = 4;

    /** B's layout within its storage, the storage's version, and the packed panels (null until seen twice). */
    record Pack(int version, int off, int rs, int cs, int k, int n, float[] panels) {
        boolean sameOperand(int off, int rs, int cs, int k, int n) {
            return this.off == off && this.rs == rs && this.cs == cs && this.k == k && this.n == n;
        }
    }

    private SgemmPackCache() {}

    /**
     * The {@code k×n} B at {@code off} with strides {@code (rs, cs)} in {@code storage}, packed as
     * {@link SgemmPacking#packB} packs one block (k at most KC, n at most {@link SgemmSettings#columnsFor}), or null the first time this operand
     * is seen at this version (the caller then packs as usual).
     */
    static float[] packed(CpuStorage storage, int off, int rs, int cs, int k, int n) {
        int version = storage.version();
        Pack[] slots = storage.gemmPacks();
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            Pack p = slots == null ? null : slots[i];
            if (p == null) {
                free = free < 0 ? i : free;
            } else if (p.sameOperand(off, rs, cs, k, n)) {
                if (p.version == version && p.panels != null) {
                    return p.panels;
                }
                float[] panels = null;
                if (p.version == version) {
                    // Seen before at this version: pack it for good.
                    panels = new float[roundUp(n, NR) * k];
                    SgemmPacking.packB(k, n, storage.floats(), off, rs, cs, panels);
                }
                store(storage, i, new Pack(version, off, rs, cs, k, n, panels));
                return panels;
            }
        }
        store(storage, free < 0 ? 0 : free, new Pack(version, off, rs, cs, k, n, null));
        return null;
    }

    /** Replaces one slot in a fresh array (copy on write: readers on other threads see a whole array). */
    private static void store(CpuStorage storage, int slot, Pack pack) {
        Pack[] old = storage.gemmPacks();
        Pack[] next = old == null ? new Pack[SLOTS] : old.clone();
        next[slot] = pack;
        storage.gemmPacks(next);
    }
}
