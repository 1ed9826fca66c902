#!/usr/bin/env bash
# buf breaking: the contract in proto/ against its last release, the git tag below (the one place
# that names it). Skips with exit 77 while the tag does not exist (no release yet, or a clone
# without tags). BUF: the buf binary (default: buf on PATH), e.g. the pinned one of tools/buf.
set -euo pipefail
release_tag=contract-v1
cd "$(dirname "$0")/../.."
buf="${BUF:-buf}"
if ! git rev-parse -q --verify "refs/tags/$release_tag^{commit}" >/dev/null; then
  echo "buf breaking skipped: there is no git tag $release_tag (the contract's last release) yet"
  exit 77
fi
released="$(mktemp -d)"
trap 'rm -rf "$released"' EXIT
git archive "$release_tag" proto | tar -x -C "$released"
"$buf" breaking --against "$released/proto"
echo "buf breaking: no breaking change since $release_tag"
