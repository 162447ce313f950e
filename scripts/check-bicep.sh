#!/usr/bin/env bash
# Builds and lints infra/main.bicep (and the modules it uses) with the Bicep CLI that NuGet brings in
# through tools/bicep. Fails on any error or warning; prints one line with the result.
# Needs only the .NET SDK and access to NuGet: the first run restores the CLI into the NuGet cache.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bicep_version="0.49.2"
tools_project="$repo_root/tools/bicep/bicep-tools.csproj"
package_dir="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/$bicep_version"
bicep="$package_dir/tools/bicep"
template="$repo_root/infra/main.bicep"

fail() {
  echo "check-bicep: FAILED: $*"
  exit 1
}

restore_log="$(mktemp)"
if ! dotnet restore "$tools_project" --nologo --verbosity quiet >"$restore_log" 2>&1; then
  cat "$restore_log" >&2
  rm -f "$restore_log"
  fail "could not restore Azure.Bicep.CommandLine.linux-x64 $bicep_version"
fi
rm -f "$restore_log"
[[ -f "$bicep" ]] || fail "restored, but no Bicep CLI at $bicep"
# NuGet does not keep the executable bit on every file system.
[[ -x "$bicep" ]] || chmod +x "$bicep"

# Both commands print diagnostics on stderr and exit 0 when there are only warnings,
# so the output is read as well as the exit code.
output="$(mktemp)"
trap 'rm -f "$output"' EXIT
status=0
"$bicep" build "$template" --stdout >/dev/null 2>>"$output" || status=$?
"$bicep" lint "$template" >>"$output" 2>&1 || status=$?

# A diagnostic line reads "<file>(<line>,<col>) : Error|Warning <code>: ...". The same diagnostic
# comes from both commands, so repeated lines are counted once.
errors="$(sort -u "$output" | grep -c ') : Error ' || true)"
warnings="$(sort -u "$output" | grep -c ') : Warning ' || true)"

if [[ "$status" -ne 0 || "$errors" -ne 0 || "$warnings" -ne 0 ]]; then
  sort -u "$output" >&2
  fail "$errors error(s), $warnings warning(s) in infra/main.bicep (bicep $bicep_version, exit $status)"
fi

echo "check-bicep: OK: infra/main.bicep builds and lints with 0 errors, 0 warnings (bicep $bicep_version)"
