"""Reference values for Deneb's layer and loss parity tests, computed with PyTorch on CPU in float32.

    /usr/bin/python3 nn-layers/src/test/python/make_nn_reference.py [out.safetensors]

(default out: nn-layers/src/test/resources/nn-reference/nn_reference.safetensors). PyTorch comes from Debian:
`apt-get install -y python3-torch`. The file is written with safetensors_lite (same format as the `safetensors`
package); every key is "<case>.<kind>[.<name>]":

    <case>.input            the input (f32; i64 indices for embedding)
    <case>.state.<key>      the module's state_dict before the forward pass (PyTorch key names)
    <case>.output           the output
    <case>.gout             the fixed weights w of the backward pass: backward of sum(output * w)
    <case>.grad.input       d sum(output * w) / d input            (not for integer inputs)
    <case>.grad.<param>     d sum(output * w) / d parameter, for every named parameter
    <case>.after.<buffer>   buffers after the forward pass (batch norm in train mode)

Losses use <case>.input, <case>.target (f32 values or i64 labels), optional <case>.weight / <case>.pos_weight,
<case>.output, <case>.gout, <case>.grad.input and, for regression losses and cross-entropy with class-probability
targets (ce_prob_*), <case>.grad.target.

The hyper-parameters of each case are in the case tables below; the Java tests (LayerParityTest, LossParityTest)
build the same layers and losses by case name. Inputs and parameters come from one seeded torch.Generator, so the
file is reproducible on one PyTorch version (values may differ in the last bits across versions, which does not
matter since the file is committed).
"""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite as st  # noqa: E402

G = torch.Generator().manual_seed(1234)


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=G) * scale


def randomize(module):
    """Replace default initialisation by seeded values (batch norm scale around 1, running var positive)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(randn(*p.shape, scale=0.5) + (1.0 if name == "weight" and isinstance(
                module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)) else 0.0))
        for name, b in module.named_buffers():
            if name == "running_mean":
                b.copy_(randn(*b.shape, scale=0.3))
            elif name == "running_var":
                b.copy_(randn(*b.shape).abs() + 0.5)
            elif name == "num_batches_tracked":
                b.fill_(7)
    return module


OUT = {}


def layer(case, module, x, train=False):
    randomize(module)
    module.train(train)
    for k, v in module.state_dict().items():
        OUT[f"{case}.state.{k}"] = v.clone()
    integer = not x.is_floating_point()
    xin = x.clone() if integer else x.clone().requires_grad_(True)
    y = module(xin)
    w = randn(*y.shape)
    (y * w).sum().backward()
    OUT[f"{case}.input"] = x
    OUT[f"{case}.output"] = y.detach()
    OUT[f"{case}.gout"] = w
    if not integer:
        OUT[f"{case}.grad.input"] = xin.grad
    for k, p in module.named_parameters():
        OUT[f"{case}.grad.{k}"] = p.grad
    if train:
        for k, b in module.named_buffers():
            OUT[f"{case}.after.{k}"] = b.clone()


def loss(case, fn, x, target, target_grad=False, **extra):
    xin = x.clone().requires_grad_(True)
    tin = target.clone().requires_grad_(True) if target_grad else target
    y = fn(xin, tin)
    w = randn(*y.shape)
    (y * w).sum().backward()
    OUT[f"{case}.input"] = x
    OUT[f"{case}.target"] = target
    for k, v in extra.items():
        OUT[f"{case}.{k}"] = v
    OUT[f"{case}.output"] = y.detach()
    OUT[f"{case}.gout"] = w
    OUT[f"{case}.grad.input"] = xin.grad
    if target_grad:
        OUT[f"{case}.grad.target"] = tin.grad


def layers():
    layer("linear", nn.Linear(5, 3), randn(4, 5))
    layer("linear_3d", nn.Linear(4, 2), randn(2, 3, 4))
    layer("linear_nobias", nn.Linear(4, 3, bias=False), randn(3, 4))
    layer("conv1d", nn.Conv1d(3, 4, 3), randn(2, 3, 8))
    layer("conv1d_s2p2d2g2", nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2), randn(2, 4, 9))
    layer("conv2d", nn.Conv2d(2, 3, 3), randn(2, 2, 5, 5))
    layer("conv2d_s2p1", nn.Conv2d(3, 4, 3, stride=2, padding=1), randn(2, 3, 6, 6))
    layer("conv2d_d2p1", nn.Conv2d(2, 2, 3, dilation=2, padding=1), randn(1, 2, 7, 7))
    layer("conv2d_g2_nobias", nn.Conv2d(4, 6, 3, padding=1, groups=2, bias=False), randn(2, 4, 5, 5))
    layer("conv2d_rect", nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 0)), randn(2, 2, 6, 5))
    layer("maxpool1d_k3s2p1", nn.MaxPool1d(3, stride=2, padding=1), randn(2, 3, 9))
    layer("maxpool2d_k2", nn.MaxPool2d(2), randn(2, 3, 6, 6))
    layer("maxpool2d_k3s2p1", nn.MaxPool2d(3, stride=2, padding=1), randn(2, 2, 7, 7))
    layer("maxpool2d_k3s2p1_ceil", nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), randn(1, 2, 6, 6))
    layer("maxpool2d_k2s1_d2", nn.MaxPool2d(2, stride=1, dilation=2), randn(1, 2, 5, 5))
    layer("avgpool2d_k2", nn.AvgPool2d(2), randn(2, 3, 6, 6))
    layer("avgpool2d_k3s2p1_incl", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True), randn(2, 2, 7, 7))
    layer("avgpool2d_k3s2p1_excl", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), randn(2, 2, 7, 7))
    layer("avgpool2d_k3s2p1_ceil_incl", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=True),
          randn(1, 2, 6, 6))
    layer("avgpool2d_k2s2_ceil_excl", nn.AvgPool2d(2, stride=2, ceil_mode=True, count_include_pad=False),
          randn(1, 2, 5, 5))
    layer("adaptiveavgpool2d_3x4", nn.AdaptiveAvgPool2d((3, 4)), randn(2, 2, 5, 7))
    layer("adaptiveavgpool2d_2x3", nn.AdaptiveAvgPool2d((2, 3)), randn(1, 2, 4, 6))
    layer("adaptiveavgpool2d_up_3x5", nn.AdaptiveAvgPool2d((3, 5)), randn(1, 2, 2, 3))
    layer("batchnorm1d_train", nn.BatchNorm1d(3), randn(6, 3, scale=2.0) + 1.0, train=True)
    layer("batchnorm1d_train_3d", nn.BatchNorm1d(3, eps=1e-3, momentum=0.3), randn(4, 3, 5), train=True)
    layer("batchnorm1d_eval", nn.BatchNorm1d(3), randn(5, 3))
    layer("batchnorm2d_train", nn.BatchNorm2d(3), randn(2, 3, 4, 4, scale=1.5) - 0.5, train=True)
    layer("batchnorm2d_eval", nn.BatchNorm2d(3), randn(2, 3, 3, 3))
    layer("layernorm", nn.LayerNorm(5), randn(3, 5, scale=2.0))
    layer("layernorm_2d", nn.LayerNorm([3, 4]), randn(2, 3, 4))
    layer("dropout_eval", nn.Dropout(0.5), randn(3, 4))
    layer("flatten", nn.Flatten(), randn(2, 3, 2, 2))
    layer("flatten_1_2", nn.Flatten(1, 2), randn(2, 3, 2, 2))
    layer("embedding", nn.Embedding(10, 4), torch.tensor([[1, 3, 3], [9, 0, 1]]))
    layer("relu", nn.ReLU(), randn(3, 5))
    layer("leakyrelu_01", nn.LeakyReLU(0.1), randn(3, 5))
    layer("elu_07", nn.ELU(0.7), randn(3, 5))
    layer("gelu", nn.GELU(), randn(3, 5, scale=2.0))
    layer("silu", nn.SiLU(), randn(3, 5, scale=2.0))
    layer("tanh", nn.Tanh(), randn(3, 5))
    layer("sigmoid", nn.Sigmoid(), randn(3, 5, scale=2.0))
    layer("softmax", nn.Softmax(dim=1), randn(3, 5))
    layer("logsoftmax", nn.LogSoftmax(dim=1), randn(3, 5))


def losses():
    for red in ("mean", "sum", "none"):
        x, t = randn(3, 4), randn(3, 4)
        loss(f"mse_{red}", lambda a, b, r=red: F.mse_loss(a, b, reduction=r), x, t, target_grad=True)
        x, t = randn(3, 4), randn(3, 4)
        loss(f"l1_{red}", lambda a, b, r=red: F.l1_loss(a, b, reduction=r), x, t, target_grad=True)
    for beta, red in ((0.5, "mean"), (1.0, "sum"), (0.0, "none"), (2.0, "none")):
        x, t = randn(3, 4, scale=1.5), randn(3, 4)
        name = f"smoothl1_b{str(beta).replace('.', '')}_{red}"
        loss(name, lambda a, b, be=beta, r=red: F.smooth_l1_loss(a, b, beta=be, reduction=r), x, t, target_grad=True)
    for delta, red in ((0.7, "mean"), (1.0, "sum"), (2.0, "none")):
        x, t = randn(3, 4, scale=1.5), randn(3, 4)
        name = f"huber_d{str(delta).replace('.', '')}_{red}"
        loss(name, lambda a, b, d=delta, r=red: F.huber_loss(a, b, delta=d, reduction=r), x, t, target_grad=True)

    labels = torch.tensor([2, 0, 3, 1, 2])
    with_ignored = torch.tensor([2, -100, 3, 1, -100])
    cw = torch.tensor([0.5, 2.0, 1.0, 1.5])
    loss("ce_mean", lambda a, b: F.cross_entropy(a, b), randn(5, 4), labels)
    loss("ce_weight", lambda a, b: F.cross_entropy(a, b, weight=cw), randn(5, 4), labels, weight=cw)
    loss("ce_smooth", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.2), randn(5, 4), labels)
    loss("ce_smooth_weight", lambda a, b: F.cross_entropy(a, b, weight=cw, label_smoothing=0.1), randn(5, 4),
         labels, weight=cw)
    loss("ce_ignore", lambda a, b: F.cross_entropy(a, b), randn(5, 4), with_ignored)
    loss("ce_ignore1_weight_smooth", lambda a, b: F.cross_entropy(a, b, weight=cw, ignore_index=1,
                                                                   label_smoothing=0.1),
         randn(5, 4), labels, weight=cw)
    loss("ce_sum", lambda a, b: F.cross_entropy(a, b, reduction="sum"), randn(5, 4), with_ignored)
    loss("ce_none", lambda a, b: F.cross_entropy(a, b, reduction="none"), randn(5, 4), with_ignored)
    loss("ce_none_smooth", lambda a, b: F.cross_entropy(a, b, reduction="none", label_smoothing=0.1), randn(5, 4),
         with_ignored)
    loss("ce_none_smooth_weight", lambda a, b: F.cross_entropy(a, b, weight=cw, reduction="none",
                                                               label_smoothing=0.3), randn(5, 4), with_ignored, weight=cw)
    loss("ce_kdim_weight", lambda a, b: F.cross_entropy(a, b, weight=cw[:3]), randn(2, 3, 4),
         torch.tensor([[0, 2, 1, 1], [2, 2, 0, 1]]), weight=cw[:3])

    logp = lambda *s: torch.log_softmax(randn(*s), dim=1)  # noqa: E731
    loss("nll_mean", lambda a, b: F.nll_loss(a, b), logp(5, 4), labels)
    loss("nll_weight_ignore2_sum", lambda a, b: F.nll_loss(a, b, weight=cw, ignore_index=2, reduction="sum"),
         logp(5, 4), labels, weight=cw)
    loss("nll_weight_mean", lambda a, b: F.nll_loss(a, b, weight=cw), logp(5, 4), with_ignored, weight=cw)
    loss("nll_none", lambda a, b: F.nll_loss(a, b, reduction="none"), logp(5, 4), with_ignored)

    ew = randn(3, 4).abs() + 0.25
    probs = lambda: torch.sigmoid(randn(3, 4, scale=2.0))  # noqa: E731
    soft = lambda: torch.rand(3, 4, generator=G)  # noqa: E731
    loss("bce_mean", lambda a, b: F.binary_cross_entropy(a, b), probs(), soft())
    loss("bce_weight_sum", lambda a, b: F.binary_cross_entropy(a, b, weight=ew, reduction="sum"), probs(), soft(),
         weight=ew)
    loss("bce_none", lambda a, b: F.binary_cross_entropy(a, b, reduction="none"), probs(),
         torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.5, 1.0], [0.0, 0.0, 1.0, 0.25]]))
    pw = torch.tensor([0.5, 1.0, 2.0, 3.0])
    loss("bcelogits_mean", lambda a, b: F.binary_cross_entropy_with_logits(a, b), randn(3, 4, scale=3.0), soft())
    loss("bcelogits_posweight_mean", lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw),
         randn(3, 4, scale=3.0), soft(), pos_weight=pw)
    loss("bcelogits_weight_posweight_sum",
         lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=ew, pos_weight=pw, reduction="sum"),
         randn(3, 4, scale=3.0), soft(), weight=ew, pos_weight=pw)
    loss("bcelogits_none", lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="none"),
         randn(3, 4, scale=3.0), soft())


def probability_target_losses():
    """Cross-entropy with class probabilities as targets (soft labels, PyTorch >= 1.10): the target has the input's
    shape and gets a gradient, 'mean' divides by the number of positions, not by the weights, and an ignore_index
    other than -100 is an error (PyTorch: "not supported for floating point target"). Drawn after every
    other case, so that adding these left the values of the earlier cases unchanged."""
    cw = torch.tensor([0.5, 2.0, 1.0, 1.5])
    soft_labels = lambda *s: torch.softmax(randn(*s, scale=2.0), dim=1)  # noqa: E731
    loss("ce_prob_mean", lambda a, b: F.cross_entropy(a, b), randn(5, 4), soft_labels(5, 4), target_grad=True)
    loss("ce_prob_weight", lambda a, b: F.cross_entropy(a, b, weight=cw), randn(5, 4), soft_labels(5, 4),
         target_grad=True, weight=cw)
    loss("ce_prob_smooth", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.2), randn(5, 4), soft_labels(5, 4),
         target_grad=True)
    loss("ce_prob_smooth_weight_mean", lambda a, b: F.cross_entropy(a, b, weight=cw, label_smoothing=0.15),
         randn(5, 4), soft_labels(5, 4), target_grad=True, weight=cw)
    loss("ce_prob_smooth_weight_sum", lambda a, b: F.cross_entropy(a, b, weight=cw, label_smoothing=0.1,
                                                                   reduction="sum"),
         randn(5, 4), soft_labels(5, 4), target_grad=True, weight=cw)
    loss("ce_prob_smooth_weight_none", lambda a, b: F.cross_entropy(a, b, weight=cw, label_smoothing=0.3,
                                                                    reduction="none"),
         randn(5, 4), soft_labels(5, 4), target_grad=True, weight=cw)
    loss("ce_prob_unnormalized_sum", lambda a, b: F.cross_entropy(a, b, reduction="sum"), randn(3, 4),
         torch.rand(3, 4, generator=G), target_grad=True)
    loss("ce_prob_kdim_weight_smooth", lambda a, b: F.cross_entropy(a, b, weight=cw[:3], label_smoothing=0.1),
         randn(2, 3, 4), soft_labels(2, 3, 4), target_grad=True, weight=cw[:3])
    loss("ce_prob_kdim2_none", lambda a, b: F.cross_entropy(a, b, reduction="none"), randn(2, 4, 2, 3),
         soft_labels(2, 4, 2, 3), target_grad=True)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "nn-reference",
                                                             "nn_reference.safetensors")
    torch.set_default_dtype(torch.float32)
    layers()
    losses()
    probability_target_losses()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    st.save_file({k: v.detach().contiguous() for k, v in OUT.items()}, out,
                 {"generator": "make_nn_reference.py", "torch": torch.__version__})
    print(f"wrote {len(OUT)} tensors, {os.path.getsize(out)} bytes to {out}")
