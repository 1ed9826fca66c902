#!/usr/bin/env bash
# Builds mcpcap_bench in Release and prints its table (packets/s, MB/s, ratios to libpcap and to
# the raw framing walk) for a capture generated into /tmp at bench time and removed afterwards.
#
#   tests/bench/run.sh [mcpcap_bench flags]
#     --packets N (default 1000000)  --seed S  --nsec  --repeat R (default 3)
#     --capture FILE (bench an existing file)  --keep  --tmpdir DIR
#     --wireshark (also time Wireshark's capinfos and tshark on the same file)
#
# Environment: BUILD_DIR (default <repo>/build-bench), JOBS (default 2: the machines are shared).
#
# Through MCP (not built here; needs build/ and the e2e npm setup, build/e2e-node):
#   node tests/bench/mcp_latency.mjs CAPTURE [--transport stdio|http|both] [--tools a,b]
#     result bytes of every tool, first (cold) and second (cached) call and next-page latency
#     through the gateway over stdio and Streamable HTTP, with the official MCP SDK client.
#   node tests/bench/hostile_probes.mjs   the hostile-client probes, one table.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-${repo}/build-bench}"

cmake -S "${repo}" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMCPCAP_BUILD_TESTS=ON \
  >/dev/null
cmake --build "${build}" --target mcpcap_bench -j "${JOBS:-2}" >/dev/null
exec "${build}/tests/bench/mcpcap_bench" "$@"
