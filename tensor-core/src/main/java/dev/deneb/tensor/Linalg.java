package dev.deneb.tensor;

/**
 * The results of the decompositions of {@link Tensor} with several outputs (PyTorch's named tuples of
 * {@code torch.linalg}). Batch axes lead, as in the input. The factors of one decomposition are views of one
 * recorded tensor, so a loss may use any of them and the gradient reaches the input.
 */
public final class Linalg {
    private Linalg() {}

    /**
     * {@link Tensor#slogdet()}: {@code det = sign · exp(logAbsDet)}, both of the batch shape. A singular matrix has
     * sign 0 and logAbsDet -inf. Only logAbsDet carries a gradient.
     */
    public record Slogdet(Tensor sign, Tensor logAbsDet) {}

    /**
     * {@link Tensor#qr()}, reduced: {@code A = Q·R} with Q {@code [..., m, k]} of orthonormal columns and R
     * {@code [..., k, n]} upper triangular, k = min(m, n). The signs of R's diagonal are those Householder's method
     * gives (as LAPACK; they may be negative).
     */
    public record Qr(Tensor q, Tensor r) {}

    /**
     * {@link Tensor#svd()}, reduced ({@code full_matrices=False}): {@code A = U·diag(S)·Vh} with U {@code [..., m, k]}
     * and Vhᵀ {@code [..., n, k]} of orthonormal columns and S {@code [..., k]} non-negative and descending.
     * Singular vectors are unique only up to sign.
     */
    public record Svd(Tensor u, Tensor s, Tensor vh) {}

    /**
     * {@link Tensor#eigh()}: eigenvalues {@code [..., n]} ascending and the orthonormal eigenvectors as the columns
     * of {@code [..., n, n]}, so {@code A·V = V·diag(eigenvalues)}. Eigenvectors are unique only up to sign (and
     * within the space of a repeated eigenvalue).
     */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {}
}
