#!/usr/bin/env bash
# Generates flights the anomaly package never saw (seeds disjoint from generate-flights.sh), for an
# independent check: 60 normal flights (120 engine-flights, turbulence at the default rate) into
# OUT_DIR/normal and 5 flights per fault kind into OUT_DIR/faults, 0.6 h each, 1 Hz samples CSVs.
# Usage: models/anomaly/generate-holdout.sh OUT_DIR
set -euo pipefail
out="${1:?output folder}"
mkdir -p "$out/normal" "$out/faults"
root="$(cd "$(dirname "$0")/../.." && pwd)"
sim=(dotnet run -c Release --no-build --project "$root/src/EdgeGateway.Simulator" --)
kinds=(bearing-wear oil-leak egt-margin-loss sensor-stuck sensor-drift sensor-dropout sensor-noise-burst)
for seed in $(seq 201 260); do
  "${sim[@]}" flight --hours 0.6 --seed "$seed" --quiet --out "$out/tmp.cap" --samples-out "$out/normal/normal-$seed.csv"
done
seed=300
for kind in "${kinds[@]}"; do
  for i in 1 2 3 4 5; do
    seed=$((seed + 1))
    engine=$(( (i % 2) + 1 ))
    "${sim[@]}" flight --hours 0.6 --seed "$seed" --quiet --fault "$kind:$engine" --out "$out/tmp.cap" --samples-out "$out/faults/fault-$kind-$seed.csv"
  done
done
rm -f "$out/tmp.cap" "$out/tmp.cap.labels.json"
