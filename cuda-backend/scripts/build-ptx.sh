#!/usr/bin/env bash
# Compiles the CUDA C kernels of cuda-backend to PTX, one file per source and virtual architecture, into the
# resources that ship in the jar (users need no compiler: the driver JIT-compiles PTX for their GPU, and PTX for
# compute_XY runs on every GPU of compute capability X.Y or newer).
#
#   cuda-backend/scripts/build-ptx.sh [output-dir]
#
# NVCC (default /usr/local/cuda-13.0/bin/nvcc) and ARCHS (default "75 80 90") may be overridden from the
# environment. -fmad=false keeps a*b+c as two roundings, as Java computes it, so kernels match the CPU reference
# bit for bit where the reference is exact. Run it after editing src/main/cuda and commit the regenerated .ptx
# files together with SOURCES.sha256, the manifest written beside them: the SHA-256 of every input (the sources and
# this script) and of every PTX file. PtxResourcesTest checks the manifest against the sources without nvcc, so
# stale PTX fails the build everywhere; where nvcc is installed it also rebuilds the PTX and compares it byte for byte.
set -euo pipefail
export LC_ALL=C   # a fixed glob and sort order, so the manifest is reproducible

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$here/src/main/cuda"
out="${1:-$here/src/main/resources/dev/deneb/cuda/ptx}"
nvcc="${NVCC:-/usr/local/cuda-13.0/bin/nvcc}"
archs="${ARCHS:-75 80 90}"

if [[ ! -x "$nvcc" ]]; then
  echo "build-ptx.sh: nvcc not found at $nvcc (set NVCC=/path/to/nvcc)" >&2
  exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$src"   # relative paths keep the PTX free of machine-specific file names
# One nvcc per (source, architecture), run in parallel.
for cu in *.cu; do
  for arch in $archs; do
    echo "$cu $arch"
  done
done | xargs -P "$(nproc)" -n 2 sh -c \
  '"$0" -ptx -std=c++17 -O3 -fmad=false -arch="compute_$3" -o "$1/${2%.cu}.compute_$3.ptx" "$2"' "$nvcc" "$out"

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}
# The manifest: inputs named relative to cuda-backend, outputs relative to the manifest's own folder.
{
  echo "# Written by scripts/build-ptx.sh: the SHA-256 of the inputs the PTX files beside it were built from, and of"
  echo "# those PTX files. Checked by PtxResourcesTest; do not edit by hand, rerun the script."
  echo "# nvcc: $("$nvcc" --version | grep -i release || echo unknown)"
  echo "# archs: $archs"
  (cd "$here" && sha256 scripts/build-ptx.sh src/main/cuda/*.cuh src/main/cuda/*.cu)
  (cd "$out" && sha256 *.ptx)
} > "$out/SOURCES.sha256"
echo "build-ptx.sh: wrote $(ls "$out"/*.ptx | wc -l) PTX files and SOURCES.sha256 to $out"
