"""A dependency-free reader and writer of the safetensors format (plain struct + json + torch).

The `safetensors` Python package is not installed on our machines (and Debian does not package it), so the
reference scripts write and read the format by hand, following the specification at
https://github.com/huggingface/safetensors:

    8 bytes   little-endian unsigned header length N
    N bytes   UTF-8 JSON: {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}}
              (padded with spaces to a multiple of 8)
    rest      the tensors' raw little-endian bytes, offsets relative to the end of the header

`save_file` mimics the reference implementation's layout (tensors sorted by dtype alignment then name,
"__metadata__" first, compact JSON, space padding), so a file written here is byte-for-byte the kind of file that
`safetensors.torch.save_file` writes; `load_file` validates like the reference reader.
"""
import json
import struct

import torch

_TO_NAME = {
    torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
    torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64",
}
_FROM_NAME = {v: k for k, v in _TO_NAME.items()}
_SIZE = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4,
         "F64": 8, "I64": 8, "U64": 8}
# The order of the reference implementation's Dtype enum; save_file sorts by it (descending), then by name.
_RANK = {name: i for i, name in enumerate(
    ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"])}


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()  # x86 and ARM are little-endian, as the format requires


def save_file(tensors, path, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-_RANK[_TO_NAME[kv[1].dtype]], kv[0]))
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in items:
        b = _tensor_bytes(t)
        header[name] = {"dtype": _TO_NAME[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_file(path):
    """Returns (dict name -> tensor in file order, metadata dict); raises ValueError on a malformed file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    expected = 0
    out = {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        numel = 1
        for d in info["shape"]:
            numel *= d
        if begin != expected or end - begin != numel * _SIZE[info["dtype"]] or end > len(body):
            raise ValueError(f"{path}: bad offsets for {name}: {info}")
        expected = end
        dtype = _FROM_NAME[info["dtype"]]
        if numel == 0:
            t = torch.empty(info["shape"], dtype=dtype)
        elif dtype == torch.bfloat16:
            t = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.int16).view(torch.bfloat16)
        else:
            t = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype)
        out[name] = t.reshape(info["shape"])
    if expected != len(body):
        raise ValueError(f"{path}: {len(body) - expected} trailing bytes")
    return out, metadata
