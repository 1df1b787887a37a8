"""Reference values for Deneb's parity tests of the issue-15 layers (ConvTranspose1d/2d, Upsample/interpolate,
GroupNorm, InstanceNorm2d, PReLU, LeakyReLU, Unflatten), computed with PyTorch on CPU in float32.

    /usr/bin/python3 nn-layers/src/test/python/make_layers_reference.py [out.safetensors]

(default out: nn-layers/src/test/resources/layers/layers_reference.safetensors). Same keys as
make_nn_reference.py, every key "<case>.<kind>[.<name>]":

    <case>.input            the input (f32)
    <case>.state.<key>      the module's state_dict before the forward pass (PyTorch key names)
    <case>.output           the output
    <case>.gout             the fixed weights w of the backward pass: backward of sum(output * w)
    <case>.grad.input       d sum(output * w) / d input
    <case>.grad.<param>     d sum(output * w) / d parameter, for every named parameter
    <case>.after.<buffer>   buffers after the forward pass (train-mode cases with buffers)
    <case>.output_size      (optional, i64) the output_size argument of ConvTranspose's forward

and, for nearest's source indices over many sizes (exact integers, f32 and f64 inputs):

    sweep.nearest<1|2>d_<f32|f64>.params   [K, 3] f64 rows (input size, output size, scale factor or NaN)
    sweep.nearest<1|2>d_<f32|f64>.indices  the K index lists concatenated (i32): interpolating arange(in) along
                                           the first spatial axis of a 1-D or 2-D input

The hyper-parameters of each case are in the tables below; LayersReferenceParityTest builds the same modules by
case name. Inputs and parameters come from one seeded torch.Generator.
"""
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite as st  # noqa: E402

G = torch.Generator().manual_seed(1515)
OUT = {}


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=G) * scale


def randomize(module):
    """Seeded values instead of the default initialisation (norm scales around 1, running variances positive)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            base = 1.0 if name == "weight" and isinstance(module, (nn.GroupNorm, nn.InstanceNorm2d)) else 0.0
            base = 0.25 if isinstance(module, nn.PReLU) else base
            p.copy_(randn(*p.shape, scale=0.5) + base)
        for name, b in module.named_buffers():
            if name == "running_mean":
                b.copy_(randn(*b.shape, scale=0.3))
            elif name == "running_var":
                b.copy_(randn(*b.shape).abs() + 0.5)
            elif name == "num_batches_tracked":
                b.fill_(7)
    return module


def layer(case, module, x, train=False, output_size=None):
    randomize(module)
    module.train(train)
    for k, v in module.state_dict().items():
        OUT[f"{case}.state.{k}"] = v.clone()
    xin = x.clone().requires_grad_(True)
    y = module(xin) if output_size is None else module(xin, output_size=output_size)
    w = randn(*y.shape)
    (y * w).sum().backward()
    OUT[f"{case}.input"] = x
    OUT[f"{case}.output"] = y.detach()
    OUT[f"{case}.gout"] = w
    OUT[f"{case}.grad.input"] = xin.grad
    if output_size is not None:
        OUT[f"{case}.output_size"] = torch.tensor(output_size, dtype=torch.int64)
    for k, p in module.named_parameters():
        OUT[f"{case}.grad.{k}"] = p.grad
    if train:
        for k, b in module.named_buffers():
            OUT[f"{case}.after.{k}"] = b.clone()


def conv_transpose():
    layer("convt2d", nn.ConvTranspose2d(3, 4, 3), randn(2, 3, 5, 5))
    layer("convt2d_s2p1op1", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), randn(2, 4, 4, 5))
    layer("convt2d_g2d2_nobias", nn.ConvTranspose2d(4, 6, (3, 2), stride=(1, 2), padding=(2, 0), dilation=(2, 1),
                                                    groups=2, bias=False), randn(1, 4, 5, 4))
    # output padding of the stride or more, allowed below the dilation
    layer("convt2d_op_below_dilation", nn.ConvTranspose2d(2, 3, 2, padding=1, dilation=3, output_padding=2),
          randn(2, 2, 3, 3))
    layer("convt2d_rect_s3", nn.ConvTranspose2d(3, 2, (2, 4), stride=(3, 2), padding=(1, 1), output_padding=(2, 1)),
          randn(2, 3, 3, 4))
    layer("convt2d_output_size", nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1), randn(1, 2, 4, 4),
          output_size=[8, 7])
    layer("convt1d", nn.ConvTranspose1d(3, 5, 3), randn(2, 3, 6))
    layer("convt1d_s2p1op1d2g2", nn.ConvTranspose1d(4, 6, 4, stride=2, padding=1, output_padding=1, groups=2,
                                                    dilation=2), randn(2, 4, 7))
    layer("convt1d_output_size", nn.ConvTranspose1d(2, 3, 3, stride=3), randn(2, 2, 5), output_size=[17])


def upsample():
    U = nn.Upsample
    layer("up_nearest_s2", U(scale_factor=2), randn(2, 3, 4, 5))
    layer("up_nearest_size", U(size=(7, 9)), randn(1, 2, 4, 5))
    layer("up_nearest_s17", U(scale_factor=1.7), randn(1, 2, 5, 6))
    layer("up_nearest_s_tuple", U(scale_factor=(0.6, 2.5)), randn(1, 2, 7, 4))
    layer("up_nearest_s11_same_size", U(scale_factor=1.1), randn(1, 1, 5, 5))
    layer("up_nearest_1d", U(scale_factor=3), randn(2, 3, 5))
    layer("up_nearest_1d_size", U(size=11), randn(2, 2, 4))
    layer("up_nearest_3d", U(size=(3, 5, 4)), randn(1, 2, 2, 3, 5))
    layer("up_bilinear_s2", U(scale_factor=2, mode="bilinear"), randn(2, 3, 4, 5))
    layer("up_bilinear_s2_align", U(scale_factor=2, mode="bilinear", align_corners=True), randn(2, 3, 4, 5))
    layer("up_bilinear_size", U(size=(7, 3), mode="bilinear"), randn(1, 2, 5, 6))
    layer("up_bilinear_size_align", U(size=(7, 3), mode="bilinear", align_corners=True), randn(1, 2, 5, 6))
    layer("up_bilinear_s17", U(scale_factor=1.7, mode="bilinear"), randn(1, 2, 5, 6))
    layer("up_bilinear_s17_recompute", U(scale_factor=1.7, mode="bilinear", recompute_scale_factor=True),
          randn(1, 2, 5, 6))
    layer("up_bilinear_down", U(scale_factor=0.45, mode="bilinear"), randn(1, 2, 9, 11))
    layer("up_bilinear_out1_align", U(size=(1, 4), mode="bilinear", align_corners=True), randn(1, 1, 3, 5))
    layer("up_linear_s25", U(scale_factor=2.5, mode="linear"), randn(2, 3, 6))
    layer("up_linear_size_align", U(size=9, mode="linear", align_corners=True), randn(2, 2, 5))


def norms_and_activations():
    layer("groupnorm", nn.GroupNorm(2, 4), randn(2, 4, 3, 3))
    layer("groupnorm_noaffine", nn.GroupNorm(3, 6, affine=False), randn(2, 6, 5))
    layer("groupnorm_1group_eps", nn.GroupNorm(1, 3, eps=1e-3), randn(3, 3, 4))
    layer("groupnorm_2d", nn.GroupNorm(2, 8), randn(5, 8))
    layer("instnorm", nn.InstanceNorm2d(3), randn(2, 3, 4, 5))
    layer("instnorm_affine", nn.InstanceNorm2d(3, affine=True), randn(2, 3, 4, 4))
    layer("instnorm_track_train", nn.InstanceNorm2d(3, affine=True, track_running_stats=True, momentum=0.3),
          randn(3, 3, 4, 5), train=True)
    layer("instnorm_track_eval", nn.InstanceNorm2d(3, affine=True, track_running_stats=True), randn(2, 3, 4, 5))
    layer("instnorm_unbatched", nn.InstanceNorm2d(3, affine=True), randn(3, 4, 5))
    layer("prelu", nn.PReLU(), randn(2, 3, 4))
    layer("prelu_channels", nn.PReLU(3, init=0.1), randn(2, 3, 4, 2))
    layer("leakyrelu_default", nn.LeakyReLU(), randn(3, 5))
    layer("unflatten", nn.Unflatten(1, (2, 3)), randn(2, 6, 4))
    layer("unflatten_last", nn.Unflatten(-1, (2, 2)), randn(3, 2, 4))


def nearest_sweep():
    """Source indices of nearest for many sizes and factors, by interpolating arange(in) along the first spatial
    axis of a 1-D ([1, 1, in]) and a 2-D ([1, 1, in, 1]) input: PyTorch runs different kernels for the two."""
    for dims in (1, 2):
        for dtype, tag in ((torch.float32, "f32"), (torch.float64, "f64")):
            params, indices = [], []
            for n_in in range(1, 13):
                x = torch.arange(n_in, dtype=dtype).reshape((1, 1, n_in) + (1,) * (dims - 1))
                for n_out in range(1, 31):
                    y = F.interpolate(x, size=(n_out,) + (1,) * (dims - 1), mode="nearest")
                    params.append([n_in, n_out, math.nan])
                    indices.append(y.reshape(-1).int())
                for sf in (0.3, 0.45, 0.5, 0.6, 0.7, 1.1, 1.3, 1.5, 1.7, 1.9, 2.0, 2.1, 2.5, 3.0, 1 / 3, 2 / 3, 0.1,
                           4.3, 2.7, 3.3, 5.5):
                    n_out = math.floor(n_in * sf)
                    if n_out < 1:
                        continue
                    y = F.interpolate(x, scale_factor=(sf,) + (1.0,) * (dims - 1), mode="nearest")
                    params.append([n_in, n_out, sf])
                    indices.append(y.reshape(-1).int())
            OUT[f"sweep.nearest{dims}d_{tag}.params"] = torch.tensor(params, dtype=torch.float64)
            OUT[f"sweep.nearest{dims}d_{tag}.indices"] = torch.cat(indices)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "layers",
                                                             "layers_reference.safetensors")
    torch.set_default_dtype(torch.float32)
    conv_transpose()
    upsample()
    norms_and_activations()
    nearest_sweep()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    st.save_file({k: v.detach().contiguous() for k, v in OUT.items()}, out,
                 {"generator": "make_layers_reference.py", "torch": torch.__version__})
    print(f"wrote {len(OUT)} tensors, {os.path.getsize(out)} bytes to {out}")
