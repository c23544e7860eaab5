#!/usr/bin/env bash
# The embedded part of CI, called from .ci/run: the firmware in
# examples/cortex-m trains the tutorial network, an XOR network (both in
# f32 and in Q16_16), two wider dense networks, runs a digits classifier in
# f32 and in int8 from flash, streams a signal through a GRU audio effect, and trains a
# Conv1d gesture classifier and the GRU by BPTT (those two not on the
# Cortex-M0, whose board has 16 KiB of RAM) on
# emulated cores (Cortex-M0, M3, M4F, M33; RV32IMAC, RV32IMAFC; the list is
# scripts/embedded-targets.sh), and its report must match the host's bit
# for bit.
#
# Works on a fresh Debian machine as root (it installs QEMU for Arm and
# RISC-V, the Arm and RISC-V binutils and the rustup targets). Every QEMU
# run is under `timeout`: a firmware that faults loops forever, and a hang
# must fail the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'embedded: FAILED: %s\n' "$*" >&2; exit 1; }

source scripts/embedded-targets.sh

step "embedded: tools"
# Debian packages and the commands that show they are installed.
packages=(qemu-system-arm qemu-system-misc binutils-arm-none-eabi binutils-riscv64-unknown-elf)
commands=(qemu-system-arm qemu-system-riscv32 arm-none-eabi-nm riscv64-unknown-elf-nm)
missing=()
for i in "${!commands[@]}"; do
    command -v "${commands[$i]}" >/dev/null || missing+=("${packages[$i]}")
done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || fail "install ${missing[*]} (needs root)"
    apt-get update
    # --no-install-recommends: with recommends, qemu-system-misc can fail
    # on held packages.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
rustup target add "${embedded_targets[@]}"
qemu-system-arm --version | head -n 1
qemu-system-riscv32 --version | head -n 1

out=target/embedded
mkdir -p "$out"

step "embedded: no heap in backprop-core"
# The firmware links no allocator, so any use of `alloc` by the runtime or
# the generated code would fail its link; this says so in plain words too.
# The one `std` allowed is the opt-in `std` feature's square root: its
# `extern crate std` must sit under that feature's cfg.
if grep -rnE '\bextern crate alloc\b|\balloc::' backprop-core/src; then
    fail "backprop-core must not use alloc"
fi
if grep -rn -B1 -E '\bextern crate std\b' backprop-core/src | grep -vE 'cfg\(feature = "std"\)|extern crate std;|^--$'; then
    fail "backprop-core may use std only under its std feature"
fi
grep -qE '^default = \[\]$' backprop-core/Cargo.toml || fail "backprop-core's default features changed; check them for alloc"

step "embedded: the host and the firmware use the same libm"
lib_version() { grep -A1 '^name = "libm"$' "$1" | sed -n 's/^version = "\(.*\)"$/\1/p'; }
host_libm=$(lib_version Cargo.lock)
firmware_libm=$(lib_version examples/cortex-m/Cargo.lock)
echo "libm: host $host_libm, firmware $firmware_libm"
[[ -n $host_libm && $host_libm == "$firmware_libm" ]] || fail "libm versions differ; bits may too"

step "embedded: firmware format and lints, for every target"
(cd examples/cortex-m && cargo fmt -- --check) || fail "the firmware is not formatted (cargo fmt)"
for target in "${embedded_targets[@]}"; do
    (cd examples/cortex-m && cargo clippy --quiet --release --target "$target" -- -D warnings) ||
        fail "$target: clippy"
done

step "embedded: the workload on the host"
cargo run --quiet --example cortex_m_host >"$out/host.out" || fail "the host workload failed its checks"
grep -q '^result: PASS$' "$out/host.out" || fail "no PASS in the host report"
grep -q '^check gesture' "$out/host.out" || fail "no gesture classifier in the host report"
grep -q '^check amp streaming' "$out/host.out" || fail "no GRU streaming in the host report"
grep -q '^check amp train' "$out/host.out" || fail "no GRU training in the host report"
grep -q '^check q16 xor classified 4/4: ok$' "$out/host.out" || fail "no Q16_16 XOR network in the host report"
grep -q '^check digits int8' "$out/host.out" || fail "no int8 digits classifier in the host report"
# The host's report as a core without the gesture classifier and the GRU's
# training gives it.
grep -vE '^(check )?(gesture|amp train)' "$out/host.out" >"$out/host-no-gesture.out"

for target in "${embedded_targets[@]}"; do
    read -ra qemu < <(embedded_qemu "$target")
    step "embedded: $target (${embedded_core[$target]}) on ${qemu[*]:0:3}"
    (cd examples/cortex-m && cargo build --quiet --release --target "$target") ||
        fail "$target: the firmware does not build"
    elf=$(embedded_elf "$target")
    nm=$(embedded_binutils "$target")nm
    symbols=$("$nm" "$elf") || fail "$target: $nm cannot read $elf"
    if grep -E '__rust_alloc|__rust_alloc_error_handler|__rg_alloc' <<<"$symbols"; then
        fail "$target: the firmware links allocator symbols"
    fi
    rc=0
    timeout 60 "${qemu[@]}" -kernel "$elf" >"$out/$target.out" 2>"$out/$target.err" || rc=$?
    grep '^fw:' "$out/$target.out" || true
    [[ $rc != 124 ]] || fail "$target: QEMU timed out (a hang: a fault loop, or the wrong core)"
    [[ $rc == 0 ]] || { cat "$out/$target.out" "$out/$target.err"; fail "$target: exit code $rc"; }
    grep -q '^result: PASS$' "$out/$target.out" || fail "$target: no PASS in the report"
    grep -v '^fw:' "$out/$target.out" >"$out/$target.report"
    expected=$out/host.out
    if ! embedded_runs_gesture "$target"; then
        grep -q '^fw: gesture not run' "$out/$target.out" || fail "$target: the firmware does not say it skips the gesture classifier"
        grep -q '^fw: amp train not run' "$out/$target.out" || fail "$target: the firmware does not say it skips the GRU's training"
        expected=$out/host-no-gesture.out
    fi
    diff -u "$expected" "$out/$target.report" || fail "$target: the report differs from the host's"
    echo "$target: exit 0, $(wc -l <"$out/$target.report") report lines bit-identical to the host"
done

step "embedded: footprint"
scripts/footprint.sh
