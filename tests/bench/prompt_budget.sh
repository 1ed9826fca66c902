#!/bin/sh
# Every call the prompts recommend, run on a 3-million-packet capture through the real gateway,
# each answer and the next page of each cut listing within the default result budget (40,000
# characters): tests/prompts/prompt_calls.test.mjs (which CTest runs on 200,000 packets) on the
# full size. Measured by hand; takes minutes and ~2 GB in the temporary directory.
#
#   tests/bench/prompt_budget.sh [BUILD_DIR] [PACKETS]     (defaults: build, 3000000)
#
# Needs the e2e node packages (ctest --test-dir build -R e2e_npm_install).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
packets=${2:-3000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$build/tools/gencap/mcpcap-gencap" --packets "$packets" --out "$dir/gencap.pcap"
MCPCAP_BIN=$build/gateway/mcpcap MCPCAPD_BIN=$build/backend/mcpcapd \
  MCPCAP_E2E_NODE=$build/e2e-node MCPCAP_EXAMPLES=$repo/examples \
  node "$repo/tests/prompts/prompt_calls.test.mjs" --capture "$dir/gencap.pcap"
