#!/usr/bin/env bash
# The weights checks that `cargo test` does not run: the Python exporter's
# tests (standard library only; the PyTorch comparison runs where PyTorch is
# installed and says it is skipped otherwise) and the save_and_load example.
set -euo pipefail
cd "$(dirname "$0")/.."

printf '\n==> %s\n' "weights: exporter tests and the save_and_load example"
if command -v python3 >/dev/null 2>&1; then
    python3 scripts/test_export.py
else
    echo "python3 not found: skipping the exporter tests (the Rust side runs from the committed fixture)"
fi
mkdir -p target
cargo run --quiet --example save_and_load > target/save_and_load.out
grep -q "trained and loaded agree bit for bit" target/save_and_load.out
echo "save_and_load: trained and loaded networks agree bit for bit"
