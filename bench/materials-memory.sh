#!/usr/bin/env bash
# Measures the memory one upload costs the app, for a 1 MiB and a 20 MiB mp3, three runs each, every run in a fresh
# process, and one control run (see docs/materials-memory.md). Starts the pinned Azurite itself, like the tests.
# Linux only: it reads and resets the peak resident set through /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error)
fi
dotnet build bench/MaterialsMemory/MaterialsMemory.csproj -c Release --nologo -v q | grep -E " error " && exit 1
for size in 1 20; do
  for run in 1 2 3; do
    dotnet bench/MaterialsMemory/bin/Release/net10.0/MaterialsMemory.dll "$size"
  done
done
# The method's sanity check: a 20 MiB buffer held where the upload would run must show as about 20 MiB.
dotnet bench/MaterialsMemory/bin/Release/net10.0/MaterialsMemory.dll control 20
