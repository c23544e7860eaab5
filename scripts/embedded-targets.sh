# The firmware's targets and how QEMU runs each: sourced by .ci/embedded.sh
# and scripts/footprint.sh, so both run the same cores the same way.
# (examples/cortex-m/.cargo/config.toml has the same runners for
# `cargo run`.)

# Every Rust target the firmware is built, run and checked for.
embedded_targets=(
    thumbv7em-none-eabihf
    thumbv7m-none-eabi
    thumbv6m-none-eabi
    thumbv8m.main-none-eabihf
    riscv32imac-unknown-none-elf
    riscv32imafc-unknown-none-elf
)

# The core each target runs on, for reports.
declare -A embedded_core=(
    [thumbv7em-none-eabihf]="Cortex-M4F (FPU)"
    [thumbv7m-none-eabi]="Cortex-M3 (soft float)"
    [thumbv6m-none-eabi]="Cortex-M0 (soft float)"
    [thumbv8m.main-none-eabihf]="Cortex-M33 (FPU)"
    [riscv32imac-unknown-none-elf]="RV32IMAC (soft float)"
    [riscv32imafc-unknown-none-elf]="RV32IMAFC (FPU)"
)

# The targets whose board has too little RAM for the gesture classifier
# (its training step takes about 40 KB of stack) and the GRU audio effect's
# BPTT step (about 12 KB of stack beside its 3.7 KB network): the firmware
# leaves both out there (build.rs sets `cfg(ram_64k)` on the others), and
# its report is the host's without the lines that start with `gesture`,
# `amp train`, `check gesture` or `check amp train`. The GRU's streaming
# runs everywhere.
embedded_no_gesture=(thumbv6m-none-eabi)

# Whether a target runs the gesture classifier.
embedded_runs_gesture() {
    local t
    for t in "${embedded_no_gesture[@]}"; do [[ $t != "$1" ]] || return 1; done
}

# The QEMU command line for a target, up to the ELF (`-kernel ELF` comes
# last): machine and CPU, semihosting on (without it the first semihosting
# call faults and the firmware loops forever). The RISC-V `virt` machine
# runs with `-bios none` (the ELF is loaded at 0x80000000 and started
# directly) and a CPU with exactly the target's extensions: `rv32` without
# D for RV32IMAFC, and without F and D for RV32IMAC, so a build for the
# wrong core faults rather than passing.
embedded_qemu() {
    local semihosting=(-nographic -semihosting-config enable=on,target=native)
    case $1 in
        thumbv7em-none-eabihf) echo qemu-system-arm -machine mps2-an386 -cpu cortex-m4 "${semihosting[@]}" ;;
        thumbv7m-none-eabi) echo qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 "${semihosting[@]}" ;;
        thumbv6m-none-eabi) echo qemu-system-arm -machine microbit -cpu cortex-m0 "${semihosting[@]}" ;;
        thumbv8m.main-none-eabihf) echo qemu-system-arm -machine mps2-an505 -cpu cortex-m33 "${semihosting[@]}" ;;
        riscv32imac-unknown-none-elf)
            echo qemu-system-riscv32 -machine virt -cpu rv32,f=false,d=false -bios none "${semihosting[@]}" ;;
        riscv32imafc-unknown-none-elf)
            echo qemu-system-riscv32 -machine virt -cpu rv32,d=false -bios none "${semihosting[@]}" ;;
        *) echo "embedded-targets: unknown target $1" >&2; return 1 ;;
    esac
}

# The GNU binutils prefix that reads and disassembles a target's ELF
# (Debian's binutils-arm-none-eabi and binutils-riscv64-unknown-elf; the
# latter handles RV32 too).
embedded_binutils() {
    case $1 in
        thumb*) echo arm-none-eabi- ;;
        riscv32*) echo riscv64-unknown-elf- ;;
        *) echo "embedded-targets: unknown target $1" >&2; return 1 ;;
    esac
}

# The firmware's target directory, absolute. examples/cortex-m is a
# workspace of its own, so by default it is examples/cortex-m/target;
# `cargo metadata` resolves it as the firmware's build does, so it honours
# CARGO_TARGET_DIR (a relative one is taken from examples/cortex-m, where
# the scripts build the firmware) and a configured `build.target-dir`.
embedded_firmware_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../examples/cortex-m" && pwd)
embedded_target_dir() {
    local dir
    dir=$(cd "$embedded_firmware_dir" && cargo metadata --format-version 1 --no-deps |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    [[ -n $dir ]] || { echo "embedded-targets: cargo metadata names no target directory" >&2; return 1; }
    echo "$dir"
}

# The firmware's ELF for a target, an absolute path.
embedded_elf() {
    local dir
    dir=$(embedded_target_dir) || return 1
    echo "$dir/$1/release/backprop-cortex-m"
}
