#!/usr/bin/env bash
# The main job on embedded defaults: simulate an A320 landing with a fault on engine 2, then
# replay the recording through the gateway and print the flight summary a maintenance engineer
# would receive. Output lands in ./out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=out/demo
mkdir -p "$out"
dotnet build src/EdgeGateway/EdgeGateway.csproj -c Release -v q -nologo
dotnet build src/EdgeGateway.Simulator/EdgeGateway.Simulator.csproj -c Release -v q -nologo
dotnet run --no-build -c Release --project src/EdgeGateway.Simulator -- \
  flight --hours 1.5 --seed 42 --fault bearing-wear:2:45m --out "$out/landing.cap"
dotnet run --no-build -c Release --project src/EdgeGateway -- \
  replay "$out/landing.cap" --summary-out "$out/summary.json"
