/**
 * Optimizers, learning-rate schedulers and gradient clipping. They work on parameters (autograd {@code Tensor}s),
 * not on modules, and follow PyTorch 1.13's update rules step for step.
 *
 * <pre>{@code
 * var opt = new Adam(List.of(ParamGroup.of(encoder).lr(1e-4), ParamGroup.of(head)), Adam.Options.defaults().lr(1e-3));
 * var sched = new CosineAnnealingLR(opt, 50, 0.0);
 * for (int epoch = 0; epoch < 50; epoch++) {
 *     for (var batch : data) {
 *         opt.zeroGrad();
 *         loss(batch).backward();
 *         GradClip.clipGradNorm(params, 1.0, 2.0);
 *         opt.step();
 *     }
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>Hyper-parameters live in each {@link dev.deneb.optim.ParamGroup} under PyTorch's names ({@code lr},
 * {@code weight_decay}, {@code momentum}, {@code beta1}/{@code beta2} for {@code betas}…), so schedulers and state
 * dicts handle every optimizer the same way.
 */
package dev.deneb.optim;
