#!/bin/bash
# Builds data/duplicated.pcap from our own data/loss.pcap (record.sh): its first 160 frames, each
# seen twice, the copy 20 us later, as when a SPAN port or two capture interfaces deliver every
# frame twice. Needs editcap and mergecap (Wireshark's command-line tools).
set -euo pipefail
cd "$(dirname "$0")/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
editcap -F pcap -r loss.pcap "$tmp/a.pcap" 1-160
editcap -F pcap -t 0.00002 "$tmp/a.pcap" "$tmp/b.pcap"
mergecap -F pcap -w duplicated.pcap "$tmp/a.pcap" "$tmp/b.pcap"
ls -l duplicated.pcap
