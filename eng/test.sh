#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine: installs what the tests need, builds,
# runs the test projects and prints one closing line "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/install-test-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build EdgeGateway.sln -c Release -v q -nologo
log=$(mktemp)
set +e
dotnet test EdgeGateway.sln -c Release --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# dotnet test prints one "Passed!/Failed!  - Failed: a, Passed: b, Skipped: c, Total: d" line per assembly.
awk '/(Passed|Failed)! *- Failed:/ { gsub(",",""); for (i=1;i<=NF;i++) { if ($i=="Failed:") f+=$(i+1); if ($i=="Passed:") p+=$(i+1); if ($i=="Skipped:") s+=$(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$rc"
