#!/usr/bin/env bash
# The RTIC firmware (examples/rtic), called from .ci/run: a timer interrupt
# delivers samples, the idle loop trains on them, on QEMU's lm3s6965evb
# (Cortex-M3). Its report must match the host's (examples/rtic_host.rs)
# bit for bit, and it must exit 0 (no sample dropped, the network learned).
# Installs QEMU for Arm and the rustup target where they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'rtic: FAILED: %s\n' "$*" >&2; exit 1; }

step "rtic: tools"
packages=(qemu-system-arm binutils-arm-none-eabi)
commands=(qemu-system-arm arm-none-eabi-nm)
missing=()
for i in "${!commands[@]}"; do
    command -v "${commands[$i]}" >/dev/null || missing+=("${packages[$i]}")
done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || fail "install ${missing[*]} (needs root)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
rustup target add thumbv7m-none-eabi

step "rtic: format and lints"
(cd examples/rtic && cargo fmt -- --check) || fail "the RTIC firmware is not formatted (cargo fmt)"
(cd examples/rtic && cargo clippy --release -- -D warnings && cargo clippy --release --features defmt -- -D warnings) || fail "clippy on the RTIC firmware"

step "rtic: the host's report"
out=target/rtic
mkdir -p "$out"
cargo run --quiet --example rtic_host >"$out/host.out" || fail "the host did not learn"

step "rtic: the firmware under QEMU (lm3s6965evb, Cortex-M3)"
# .cargo/config.toml's runner: QEMU under `timeout`, with -icount.
status=0
(cd examples/rtic && cargo run --quiet --release) >"$out/fw.out" || status=$?
cat "$out/fw.out"
[[ $status == 0 ]] || fail "the firmware exited $status (a dropped sample, no learning, or a fault)"
grep -v '^fw:' "$out/fw.out" >"$out/fw.report"
diff "$out/host.out" "$out/fw.report" || fail "the firmware's report differs from the host's"
echo "rtic: $(wc -l <"$out/host.out") report lines bit-identical to the host"

step "rtic: no critical section"
# The interrupt and the trainer share only a lock-free queue: neither the
# application nor the library may take a critical section. (The defmt
# build below does: defmt's global logger frames each message in one.)
elf=examples/rtic/target/thumbv7m-none-eabi/release/backprop-rtic
if arm-none-eabi-nm "$elf" | grep -i critical_section; then
    fail "the firmware links a critical section"
fi
echo "rtic: no critical-section symbol in the firmware"

step "rtic: the same report through defmt"
# With the `defmt` feature the firmware sends defmt frames (over
# semihosting, under QEMU); defmt-print decodes them with the ELF's string
# table. The lines carry each value as bits only, so the host's report is
# compared with its decimal values taken out.
command -v defmt-print >/dev/null || cargo install --locked defmt-print@1.2.0
(cd examples/rtic && cargo build --quiet --release --features defmt)
status=0
(cd examples/rtic && cargo run --quiet --release --features defmt) >"$out/fw.defmt" || status=$?
[[ $status == 0 ]] || fail "the defmt firmware exited $status"
defmt-print --log-format '{s}' -e examples/rtic/target/thumbv7m-none-eabi/release/backprop-rtic \
    <"$out/fw.defmt" >"$out/fw-defmt.out" || fail "defmt-print could not decode the firmware's frames"
grep -v '^fw:' "$out/fw-defmt.out" >"$out/fw-defmt.report"
sed -E 's/: [^ ]+ \((0x[0-9a-f]{8})\)$/: \1/' "$out/host.out" >"$out/host.bits"
diff "$out/host.bits" "$out/fw-defmt.report" || fail "the defmt report differs from the host's"
echo "rtic: defmt report, $(wc -l <"$out/host.bits") lines, bit-identical to the host"
