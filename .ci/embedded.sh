#!/usr/bin/env bash
# The embedded part of CI, called from .ci/run: the firmware in
# examples/cortex-m trains the tutorial network and an XOR network on
# emulated Cortex-M cores, and its report must match the host's bit for bit.
#
# Works on a fresh Debian machine as root (it installs QEMU, the ARM
# binutils and the rustup targets). Every QEMU run is under `timeout`: a
# firmware that faults loops forever, and a hang must fail the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'embedded: FAILED: %s\n' "$*" >&2; exit 1; }

step "embedded: tools"
if ! command -v qemu-system-arm >/dev/null || ! command -v arm-none-eabi-nm >/dev/null; then
    [[ $(id -u) == 0 ]] || fail "install qemu-system-arm and binutils-arm-none-eabi (needs root)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        qemu-system-arm binutils-arm-none-eabi
fi
rustup target add thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi
qemu-system-arm --version | head -n 1

# Rust target, QEMU machine and CPU of each run.
runs=(
    "thumbv7em-none-eabihf mps2-an386 cortex-m4"
    "thumbv7m-none-eabi lm3s6965evb cortex-m3"
    "thumbv6m-none-eabi microbit cortex-m0"
)
out=target/embedded
mkdir -p "$out"

step "embedded: no heap in backprop-core"
# The firmware links no allocator, so any use of `alloc` by the runtime or
# the generated code would fail its link; this says so in plain words too.
if grep -rnE '\bextern crate (alloc|std)\b|\balloc::' backprop-core/src; then
    fail "backprop-core must not use alloc or std"
fi
grep -qE '^default = \[\]$' backprop-core/Cargo.toml || fail "backprop-core's default features changed; check them for alloc"

step "embedded: the host and the firmware use the same libm"
lib_version() { grep -A1 '^name = "libm"$' "$1" | sed -n 's/^version = "\(.*\)"$/\1/p'; }
host_libm=$(lib_version Cargo.lock)
firmware_libm=$(lib_version examples/cortex-m/Cargo.lock)
echo "libm: host $host_libm, firmware $firmware_libm"
[[ -n $host_libm && $host_libm == "$firmware_libm" ]] || fail "libm versions differ; bits may too"

step "embedded: firmware format and lints"
(cd examples/cortex-m && cargo fmt -- --check && cargo clippy --release -- -D warnings)

step "embedded: the workload on the host"
cargo run --quiet --example cortex_m_host >"$out/host.out" || fail "the host workload failed its checks"
grep -q '^result: PASS$' "$out/host.out" || fail "no PASS in the host report"

for run in "${runs[@]}"; do
    read -r target machine cpu <<<"$run"
    step "embedded: $target on QEMU $machine"
    (cd examples/cortex-m && cargo build --quiet --release --target "$target")
    elf=examples/cortex-m/target/$target/release/backprop-cortex-m
    if arm-none-eabi-nm "$elf" | grep -E '__rust_alloc|__rust_alloc_error_handler|__rg_alloc'; then
        fail "$target: the firmware links allocator symbols"
    fi
    rc=0
    timeout 60 qemu-system-arm -machine "$machine" -cpu "$cpu" -nographic \
        -semihosting-config enable=on,target=native -kernel "$elf" \
        >"$out/$target.out" 2>"$out/$target.err" || rc=$?
    grep '^fw:' "$out/$target.out" || true
    [[ $rc != 124 ]] || fail "$target: QEMU timed out (a hang)"
    [[ $rc == 0 ]] || { cat "$out/$target.out" "$out/$target.err"; fail "$target: exit code $rc"; }
    grep -q '^result: PASS$' "$out/$target.out" || fail "$target: no PASS in the report"
    grep -v '^fw:' "$out/$target.out" >"$out/$target.report"
    diff -u "$out/host.out" "$out/$target.report" || fail "$target: the report differs from the host's"
    echo "$target: exit 0, $(wc -l <"$out/$target.report") report lines bit-identical to the host"
done

step "embedded: footprint"
scripts/footprint.sh
