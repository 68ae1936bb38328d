#!/usr/bin/env bash
# Generates the simulated flights the anomaly package is trained and evaluated on (deterministic:
# same seeds, same files). Usage: models/anomaly/generate-flights.sh OUT_DIR
# 40 normal flights (turbulence at the simulator's default rate) and 5 flights per fault kind,
# 0.6 h each; one 1 Hz samples CSV per flight with the simulator's labels.
set -euo pipefail
out="${1:?output folder}"
mkdir -p "$out"
root="$(cd "$(dirname "$0")/../.." && pwd)"
sim=(dotnet run -c Release --no-build --project "$root/src/EdgeGateway.Simulator" --)
kinds=(bearing-wear oil-leak egt-margin-loss sensor-stuck sensor-drift sensor-dropout sensor-noise-burst)
for seed in $(seq 1 40); do
  "${sim[@]}" flight --hours 0.6 --seed "$seed" --quiet --out "$out/tmp.cap" --samples-out "$out/normal-$seed.csv"
done
seed=100
for kind in "${kinds[@]}"; do
  for i in 1 2 3 4 5; do
    seed=$((seed + 1))
    engine=$(( (i % 2) + 1 ))
    "${sim[@]}" flight --hours 0.6 --seed "$seed" --quiet --fault "$kind:$engine" --out "$out/tmp.cap" --samples-out "$out/fault-$kind-$seed.csv"
  done
done
rm -f "$out/tmp.cap" "$out/tmp.cap.labels.json"
