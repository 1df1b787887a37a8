"""Reference values for Deneb's PCA (dev.deneb.decomposition.PCA), computed with scikit-learn's PCA
(svd_solver="full") in float64.

    apt-get install -y python3-sklearn
    /usr/bin/python3 nn-layers/src/test/python/make_pca_reference.py [out.safetensors]

(default out: nn-layers/src/test/resources/decomposition/pca_reference.safetensors). Needs only numpy and
scikit-learn (the safetensors file is written by hand below: 8-byte header length, JSON header, raw f64 data).

Keys, all float64:

    x                         the data [40, 6]: correlated Gaussian columns on different scales, seeded
    x_new                     other rows [7, 6] to transform
    <case>.components         [k, 6]
    <case>.mean               [6]
    <case>.explained_variance, <case>.explained_variance_ratio, <case>.singular_values   [k]
    <case>.transform          transform(x_new) [7, k]
    <case>.inverse            inverse_transform(transform(x_new)) [7, 6]

Cases (mirrored by PcaReferenceTest): "k3" n_components=3; "white2" n_components=2, whiten=True; "frac90"
n_components=0.9; "full" all components. The metadata records the versions and each case's k.

Signs: scikit-learn 1.5+ flips each component so that its entry of largest magnitude is positive
(svd_flip(u_based_decision=False)); older versions decided on U's columns instead. Deneb follows 1.5+, so with an
older scikit-learn this script applies the same flip to components (and to transform's columns) itself: the
values are otherwise unchanged.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.decomposition import PCA

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else \
    Path(__file__).resolve().parents[1] / "resources" / "decomposition" / "pca_reference.safetensors"

rng = np.random.default_rng(20261208)
mixing = rng.normal(size=(6, 6)) * np.array([3.0, 1.0, 0.5, 0.2, 2.0, 0.05])
x = rng.normal(size=(40, 6)) @ mixing + np.array([10.0, -3.0, 0.5, 100.0, 0.0, 7.0])
x_new = rng.normal(size=(7, 6)) @ mixing + np.array([10.0, -3.0, 0.5, 100.0, 0.0, 7.0])

CASES = {"k3": dict(n_components=3), "white2": dict(n_components=2, whiten=True),
         "frac90": dict(n_components=0.9), "full": dict()}

tensors = {"x": x, "x_new": x_new}
meta = {"sklearn": sklearn.__version__, "numpy": np.__version__}
for name, kw in CASES.items():
    pca = PCA(svd_solver="full", **kw).fit(x)
    comps = pca.components_.copy()
    z = pca.transform(x_new)
    # Largest-magnitude entry of each component positive (scikit-learn 1.5+); a no-op there.
    sign = np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])
    comps *= sign[:, None]
    z = z * sign[None, :]
    tensors[name + ".components"] = comps
    tensors[name + ".mean"] = pca.mean_
    tensors[name + ".explained_variance"] = pca.explained_variance_
    tensors[name + ".explained_variance_ratio"] = pca.explained_variance_ratio_
    tensors[name + ".singular_values"] = pca.singular_values_
    tensors[name + ".transform"] = z
    tensors[name + ".inverse"] = pca.inverse_transform(pca.transform(x_new))
    meta[name + ".k"] = str(pca.n_components_)


def save(tensors, metadata, path):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for key in sorted(tensors):
        data = np.ascontiguousarray(tensors[key], dtype="<f8").tobytes()
        header[key] = {"dtype": "F64", "shape": list(np.shape(tensors[key])),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


save(tensors, meta, OUT)
print("wrote", OUT, "with scikit-learn", sklearn.__version__, {k: v for k, v in meta.items() if k.endswith(".k")})
