#!/usr/bin/env bash
# Guards compile time: a crate declaring the MNIST-sized network
# `784 => 128 ReLU => 10 Linear` (default unroll policy) must build in
# release in under 15 s and under 1.5 GB of rustc memory, and one declaring
# `16 => 16 ReLU (x 19) => 1 Linear` in under 15 s and 500 MB, and one
# declaring the gesture network `[3; 64] => Conv1d(16, kernel = 5) ReLU =>
# MaxPool1d(2) => Conv1d(16, kernel = 3) ReLU => GlobalAvgPool1d => 4 Softmax`
# with every method instantiated in under 15 s and 1.5 GB
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
# check ROW MAX_SECONDS MAX_MB: one row of scripts/compile-time.sh.
check() {
    echo "$1"
    secs=$(echo "$1" | awk -F'|' '{gsub(/ /, "", $4); print $4}')
    mb=$(echo "$1" | awk -F'|' '{gsub(/ /, "", $5); print $5}')
    if awk -v s="$secs" -v m="$mb" -v ms="$2" -v mm="$3" 'BEGIN { exit !(s < ms && m < mm) }'; then
        echo "compile time ok: ${secs} s < $2 s, ${mb} MB < $3 MB"
    else
        echo "compile time regression: ${secs} s (limit $2 s), ${mb} MB (limit $3 MB)" >&2
        exit 1
    fi
}
check "$(WIDTHS=784 scripts/compile-time.sh | tail -1)" "$MAX_SECONDS" "$MAX_MB"
# A deep network of layers each under the per-layer limit: the per-network
# budget keeps it small (it took 1.4 GB before the budget).
check "$(WIDTHS= DEPTHS=19 scripts/compile-time.sh | tail -1)" "$MAX_SECONDS" 500
# The signal layers: two convolutions and three kinds of pooling, and every
# method a network has (training with two optimizers, batches, epochs,
# metrics, the blob).
check "$(WIDTHS= GESTURE=1 scripts/compile-time.sh | tail -1)" "$MAX_SECONDS" "$MAX_MB"
