#!/bin/bash
# One sitting, as the README's table was measured: the CPU's facts and FMA peak, then every workload on both systems
# back to back (1 and 2 threads), ROUNDS times in turn (Deneb, PyTorch, Deneb, PyTorch, ...: a shared host's slow
# spells then fall on both sides), then the comparison of the medians. Usage, from the repository root after
# `mvn -B -ntp -q package -DskipTests`:  [ROUNDS=3] bash benchmarks/peers/sitting.sh OUT_DIR [workload ...]
set -u
OUT=${1:?usage: [ROUNDS=3] sitting.sh OUT_DIR [workload ...]}
shift
WORKLOADS=${*:-sgemm transformer lstm gru cnn conv_bn gcn mlp infer_b1 dispatch}
ROUNDS=${ROUNDS:-3}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
if ! "$JAVA" -version 2>&1 | head -1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
    echo "sitting.sh: Deneb needs JDK 25 or later; '$JAVA' is: $("$JAVA" -version 2>&1 | head -1). Set JAVA_HOME." >&2
    exit 2
fi
mkdir -p "$OUT"
date > "$OUT/when.txt"
lscpu > "$OUT/lscpu.txt"
grep -m1 flags /proc/cpuinfo > "$OUT/flags.txt"
gcc -O3 -march=native -fopenmp benchmarks/peak/fma_peak.c -o "$OUT/fma_peak" \
    && { "$OUT/fma_peak" 1; "$OUT/fma_peak" 2; } > "$OUT/peak.txt" 2>&1
: > "$OUT/deneb.jsonl"
: > "$OUT/torch.jsonl"
for w in $WORKLOADS; do
  for round in $(seq 1 "$ROUNDS"); do
    echo "== $w round $round $(date +%T)" >&2
    "$JAVA" --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.deneb.benchmarks.SideBySide \
        --workloads "$w" --threads 1,2 >> "$OUT/deneb.jsonl" 2>> "$OUT/deneb.err"
    /usr/bin/python3 benchmarks/peers/torch_peer.py --workloads "$w" --threads 1,2 >> "$OUT/torch.jsonl" 2>> "$OUT/torch.err"
  done
done
python3 benchmarks/peers/compare.py "$OUT/deneb.jsonl" "$OUT/torch.jsonl" | tee "$OUT/compare.txt"
date >> "$OUT/when.txt"
