#!/usr/bin/env bash
# Runs every test project of the solution. Installs first what the tests need from Debian's packages
# (when root; otherwise it names the missing packages and stops).
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the test suites use (real peers: see docs/architecture.md). fonts-dejavu-core: the ML report's
# figures (ScottPlot over SkiaSharp's no-dependencies build, which reads fonts from /usr/share/fonts) draw their text in DejaVu Sans.
APT_PACKAGES=(softhsm2 nodejs python3-scipy python3-sklearn fonts-dejavu-core ${FHIRHOUSE_TEST_APT_PACKAGES:-})

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing Debian packages: ${missing[*]}" >&2
    echo "test.sh: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET SDK (see global.json) is required: https://dot.net" >&2
  exit 1
fi

# The S3 API peer of the storage tests: s3rver, pinned by tools/s3rver/package-lock.json.
# Some Node.js builds ship npm inside the nodejs package, Debian's ships it apart: install it only when missing.
if ! command -v npm >/dev/null && [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if ! command -v npm >/dev/null; then
  echo "test.sh: npm (Node.js) is required to install tools/s3rver: sudo apt-get install -y npm" >&2
  exit 1
fi
(cd tools/s3rver && npm ci --no-audit --no-fund --silent)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Fhirhouse.sln -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies, e.g. "Total: 120 passed, 0 failed, 2 skipped".
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
    n++
  }
  END { printf "%d test assemblies\nTotal: %d passed, %d failed, %d skipped\n", n, p, f, s }
' "$log"
exit $status
