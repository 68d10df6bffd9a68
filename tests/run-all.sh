#!/usr/bin/env bash
# Runs every test of ExamNetWatch. Works on a fresh Debian 12 machine that has only the .NET 10 SDK:
# it installs what the tests need (Debian's Chromium for the browser tests, a CJK font so pages render
# Chinese, Debian's Chinese manual and fortunes as ordinary text for detection) when missing, builds the
# solution, runs all test projects, and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg -s chromium >/dev/null 2>&1 && [ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
# pdftotext reads back the evidence reports (searchable Chinese text, hashes).
dpkg -s poppler-utils >/dev/null 2>&1 || need+=(poppler-utils)
# A real PostgreSQL for the production profile's tests (started by the tests on a loopback port, never as a service).
dpkg -s postgresql >/dev/null 2>&1 || need+=(postgresql)
# Ordinary Chinese text no one here wrote, for the false-alarm measurement of detection.
dpkg -s debian-reference-zh-cn >/dev/null 2>&1 || need+=(debian-reference-zh-cn)
dpkg -s fortunes-zh >/dev/null 2>&1 || need+=(fortunes-zh)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$PWD/artifacts/test-results"
rm -rf "$results"

dotnet build ExamNetWatch.sln -c Release -nologo -v quiet

status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --nologo --logger "trx;LogFileName=${name}.trx" --results-directory "$results" || status=$?
done
# The core's suite once more on PostgreSQL (the production profile's store): the same tests, a real server.
EXAMNETWATCH_TEST_STORAGE=PostgreSql dotnet test tests/Dashboard.Core.Tests/ExamNetWatch.Dashboard.Core.Tests.csproj -c Release --no-build --nologo \
  --logger "trx;LogFileName=ExamNetWatch.Dashboard.Core.Tests.PostgreSql.trx" --results-directory "$results" || status=$?
# And the host's tests that touch only the store (statistics, grouping, the special-check report, notifications,
# crawl jobs, source rules), marked [Trait("Store", "Any")].
EXAMNETWATCH_TEST_STORAGE=PostgreSql dotnet test tests/Dashboard.Tests/ExamNetWatch.Dashboard.Tests.csproj -c Release --no-build --nologo --filter "Store=Any" \
  --logger "trx;LogFileName=ExamNetWatch.Dashboard.Tests.PostgreSql.trx" --results-directory "$results" || status=$?

# Browser screenshots are test artefacts too.
mkdir -p artifacts/screenshots
cp -r tests/Dashboard.Tests/bin/Release/net10.0/screenshots/. artifacts/screenshots/ 2>/dev/null || true

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + $(attr total) - $(attr executed)))
done

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
# Say why tests were skipped (e.g. no Elasticsearch cluster), so a skip is never mistaken for a pass.
for trx in "$results"/*.trx; do
  grep -o '[A-Z_]* is not set: [^<]*' "$trx" | sort -u | sed 's/^/  skipped: /' || true
done
# The reliability suite's figures (docs/reliability.md quotes them from a CI run).
grep -oh 'reliability: [^<]*' "$results"/*.trx 2>/dev/null | sed 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g' | sort -u || true
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test (crash or abort?)" >&2
fi
exit "$status"
