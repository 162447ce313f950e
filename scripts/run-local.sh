#!/usr/bin/env bash
# Runs the app locally: Azurite (pinned, data kept in .azurite/) on its default ports, then the Functions host.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ ! -f FazAi.Functions/local.settings.json ]; then
  cp local.settings.sample.json FazAi.Functions/local.settings.json
  echo "Created FazAi.Functions/local.settings.json from local.settings.sample.json"
fi

mkdir -p .azurite
tools/azurite/node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck \
  --location .azurite --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
azurite=$!
trap 'kill $azurite 2>/dev/null' EXIT

if ! command -v func >/dev/null 2>&1; then
  echo "Azure Functions Core Tools (func) v4 is needed: https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2
  exit 1
fi

cd FazAi.Functions
func start
