#!/usr/bin/env bash
# Generates the simulated flights the anomaly package is trained and evaluated on, deterministically
# (same seeds, same files), and runs each through the gateway's own decoding and conditioning:
#   NAME.cap, NAME.cap.labels.json   the capture and its ground truth (EdgeGateway.Simulator)
#   NAME.samples.csv                 the simulator's 1 Hz samples with per-row labels
#   NAME.conditioned.csv             `edgegateway replay --conditioned-out`: the 1 Hz grid per engine
#                                    the gateway's models see (an empty cell is a gap)
# The model lab trains on the conditioned grid and takes only the labels from the samples, so the
# lab and the box score the same numbers.
#
# Usage: models/anomaly/generate-flights.sh train|holdout OUT_DIR
#   train:   40 normal flights (seeds 1-40) and 5 flights per fault kind (seeds 101-135)
#   holdout: 100 normal flights (seeds 1001-1100) and 20 per fault kind (seeds 2001-2140),
#            disjoint from the training seeds
# Every flight is 0.6 h with turbulence at the simulator's default rate; faults alternate engines.
set -euo pipefail
set_name="${1:?train or holdout}"
out="${2:?output folder}"
mkdir -p "$out"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build -c Release "$root/src/EdgeGateway.Simulator" -v q --nologo >/dev/null
dotnet build -c Release "$root/src/EdgeGateway" -v q --nologo >/dev/null
sim="$root/src/EdgeGateway.Simulator/bin/Release/net10.0/EdgeGateway.Simulator"
gw="$root/src/EdgeGateway/bin/Release/net10.0/edgegateway"
kinds=(bearing-wear oil-leak egt-margin-loss sensor-stuck sensor-drift sensor-dropout sensor-noise-burst)
case "$set_name" in
  train) normal_seeds=$(seq 1 40); fault_seed=100; per_kind=5 ;;
  holdout) normal_seeds=$(seq 1001 1100); fault_seed=2000; per_kind=20 ;;
  *) echo "first argument must be train or holdout" >&2; exit 2 ;;
esac

flight() { # name, simulator arguments...
  local name="$1"; shift
  "$sim" flight --hours 0.6 --quiet "$@" --out "$out/$name.cap" --samples-out "$out/$name.samples.csv"
  "$gw" replay "$out/$name.cap" --conditioned-out "$out/$name.conditioned.csv" --models "$out/no-models" >/dev/null 2>&1
}

for seed in $normal_seeds; do
  flight "normal-$seed" --seed "$seed"
done
for kind in "${kinds[@]}"; do
  for i in $(seq 1 "$per_kind"); do
    fault_seed=$((fault_seed + 1))
    flight "fault-$kind-$fault_seed" --seed "$fault_seed" --fault "$kind:$(( (i % 2) + 1 ))"
  done
done
