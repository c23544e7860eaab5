#!/usr/bin/env bash
# Guards compile time: a crate declaring the MNIST-sized network
# `784 => 128 ReLU => 10 Linear` (default unroll policy) must build in
# release in under 15 s and under 1.5 GB of rustc memory
# (scripts/compile-time.sh measures it; dependencies are not counted).
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_SECONDS=${MAX_SECONDS:-15}
MAX_MB=${MAX_MB:-1536}
# The measurement needs GNU time; install it where it is missing and we can.
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time
fi
row=$(WIDTHS=784 scripts/compile-time.sh | tail -1)
echo "$row"
secs=$(echo "$row" | awk -F'|' '{gsub(/ /, "", $4); print $4}')
mb=$(echo "$row" | awk -F'|' '{gsub(/ /, "", $5); print $5}')
if awk -v s="$secs" -v m="$mb" -v ms="$MAX_SECONDS" -v mm="$MAX_MB" 'BEGIN { exit !(s < ms && m < mm) }'; then
    echo "compile time ok: ${secs} s < ${MAX_SECONDS} s, ${mb} MB < ${MAX_MB} MB"
else
    echo "compile time regression: ${secs} s (limit ${MAX_SECONDS} s), ${mb} MB (limit ${MAX_MB} MB)" >&2
    exit 1
fi
