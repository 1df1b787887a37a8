"""Safetensors interop fixtures between PyTorch and Deneb.

    /usr/bin/python3 nn-layers/src/test/python/make_reference.py generate nn-layers/src/test/resources/interop
    /usr/bin/python3 nn-layers/src/test/python/make_reference.py verify <file written by Deneb's ModelIO.save>

`generate` builds a tiny PyTorch model (conv, batch norm with trained running statistics, relu, flatten, linear),
and writes, as a PyTorch user would:
  tiny_cnn.safetensors      its state_dict (PyTorch key names: 0.weight, 1.running_mean, 4.bias, ...)
  tiny_cnn_io.safetensors   a fixed input and the model's eval-mode output
  tiny_cnn_f16.safetensors  the same state dict with the floating tensors in float16 (tests dtype conversion)
  dtypes.safetensors        one small tensor of each dtype torch can save (F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)

`verify` loads a file that Deneb wrote from that model into a fresh PyTorch model with load_state_dict(strict=True)
and checks the eval-mode output against tiny_cnn_io.safetensors; it exits non-zero on any difference.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite as st  # noqa: E402


def tiny_cnn():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))


def generate(outdir):
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(20240611)
    model = tiny_cnn()
    with torch.no_grad():
        model[1].weight.copy_(torch.tensor([1.5, 0.75]))
        model[1].bias.copy_(torch.tensor([0.1, -0.2]))
    model.train()
    for _ in range(3):  # give the running statistics and num_batches_tracked non-default values
        model(torch.randn(4, 1, 4, 4) * 2 + 0.5)
    model.eval()
    x = torch.randn(2, 1, 4, 4)
    with torch.no_grad():
        y = model(x)
    st.save_file(model.state_dict(), os.path.join(outdir, "tiny_cnn.safetensors"), {"format": "pt"})
    st.save_file({"input": x, "output": y}, os.path.join(outdir, "tiny_cnn_io.safetensors"))
    half = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    st.save_file(half, os.path.join(outdir, "tiny_cnn_f16.safetensors"), {"format": "pt"})
    values = torch.tensor([-2.5, -1.0, 0.0, 0.5, 1.0, 3.25])
    st.save_file({
        "f64": values.double(), "f32": values.float().reshape(2, 3), "f16": values.half(),
        "bf16": values.bfloat16(), "i64": torch.tensor([-(2 ** 40), -1, 0, 7, 2 ** 40, 5]),
        "i32": torch.tensor([-2 ** 31, -1, 0, 1, 2 ** 31 - 1, 3], dtype=torch.int32),
        "i16": torch.tensor([-32768, -1, 0, 1, 32767, 9], dtype=torch.int16),
        "i8": torch.tensor([-128, -1, 0, 1, 127, 9], dtype=torch.int8),
        "u8": torch.tensor([0, 1, 2, 128, 255, 9], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True, True, False, False]),
        "scalar": torch.tensor(4.5), "empty": torch.zeros(0, 3),
    }, os.path.join(outdir, "dtypes.safetensors"), {"format": "pt", "note": "caf\u00e9 \"quoted\"\n"})
    print("wrote", sorted(os.listdir(outdir)))


def verify(path, iofile):
    state, metadata = st.load_file(path)
    model = tiny_cnn()
    model.load_state_dict(state, strict=True)
    model.eval()
    io, _ = st.load_file(iofile)
    with torch.no_grad():
        y = model(io["input"])
    err = (y - io["output"]).abs().max().item()
    print(f"verify {path}: keys {list(state)} metadata {metadata} max |torch - expected| = {err:.3g}")
    if err > 1e-5:
        sys.exit(f"verify {path}: output differs by {err}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default_dir = os.path.join(here, "..", "resources", "interop")
    if len(sys.argv) >= 2 and sys.argv[1] == "generate":
        generate(sys.argv[2] if len(sys.argv) > 2 else default_dir)
    elif len(sys.argv) >= 3 and sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else os.path.join(default_dir, "tiny_cnn_io.safetensors"))
    else:
        sys.exit(__doc__)
