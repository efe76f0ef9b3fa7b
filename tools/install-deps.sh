#!/usr/bin/env bash
# install-deps.sh — installs the Debian and npm packages maillage needs, only
# those missing; a second run does nothing. Used by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(
  build-essential pkg-config clang libclang-rt-14-dev   # compiler, libFuzzer, sanitizers
  libsqlite3-dev sqlite3                                 # storage (+ the benchmark peer)
  libpq-dev postgresql                                   # the PostgreSQL engine; its tests' throwaway cluster
  nginx                                                  # two servers on one database behind a proxy (tests)
  libjansson-dev libcsv-dev libstemmer-dev              # JSON, CSV, French stemming
  libproj-dev proj-data                                  # Lambert-93 / overseas -> WGS84
  libarchive-dev zlib1g-dev                              # .csv.gz and .zip input
  libcmocka-dev jq                                       # unit tests, JSON checks in CLI tests
  libxlsxwriter-dev                                      # Excel exports
  libcairo2-dev fonts-dejavu-core                        # PDF reports (text in DejaVu Sans)
  poppler-utils                                          # pdftotext: reading the reports back in tests
  libmicrohttpd-dev curl                                 # HTTP server; API tests
  libsodium-dev                                          # Argon2id password hashes, random session ids
  python3-numpy                                          # independent reference computations in tests
  chromium                                               # browser tests (playwright-core drives it)
)
# Node and npm may come from elsewhere than Debian (nvm, a vendor build).
command -v node >/dev/null && command -v npm >/dev/null || debs+=(nodejs npm)
command -v python3 >/dev/null || debs+=(python3)   # fixture generation in CLI tests
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned by package-lock.json; reinstalled only when the lock changed.
if [[ ! -f node_modules/.package-lock.json ]] || ! cmp -s package-lock.json node_modules/.maillage-lock; then
  echo "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.maillage-lock
fi
