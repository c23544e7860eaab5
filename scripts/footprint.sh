#!/usr/bin/env bash
# The footprint of the tutorial network's generated code on each Cortex-M
# target: builds the firmware in examples/cortex-m, then prints per target
#
#   forward B   code reachable from the out-of-line call of `forward`
#               (the generated code, and what it calls: libm's expf, and on
#               targets without an FPU the soft-float routines);
#   train B     code reachable from the out-of-line call of `train_step`
#               that `forward` does not already reach (backward, SGD);
#   params B, trace B
#               PARAM_BYTES and TRACE_BYTES, as the firmware reports them;
#   stack B     stack one `train_step` call uses, measured on the device by
#               painting the stack (the firmware's `fw:` line);
#   instr       instructions one `train_step` call executes, from its entry
#               to its return, counted in a QEMU single-step trace; in
#               brackets, the count between the entries of consecutive
#               calls in a loop (adds the loop's own instructions).
#
# Needs qemu-system-arm, binutils-arm-none-eabi and the three rustup targets
# (.ci/embedded.sh installs them). Usage: scripts/footprint.sh [-v]
# (-v lists the functions counted in each size). Exits 1 when the Cortex-M4F
# figures exceed the hand-written baseline (1,120 B, 192 B, 635 instructions).
set -euo pipefail
cd "$(dirname "$0")/../examples/cortex-m"
verbose=${1:-}

targets=(thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi)
declare -A machine=(
    [thumbv7em-none-eabihf]="mps2-an386 cortex-m4"
    [thumbv7m-none-eabi]="lm3s6965evb cortex-m3"
    [thumbv6m-none-eabi]="microbit cortex-m0"
)
declare -A core=(
    [thumbv7em-none-eabihf]="Cortex-M4F (FPU)"
    [thumbv7m-none-eabi]="Cortex-M3 (soft float)"
    [thumbv6m-none-eabi]="Cortex-M0 (soft float)"
)

# The address (8 hex digits) and size (decimal) of the function whose
# demangled name is exactly $2.
symbol() {
    arm-none-eabi-nm -C -S --defined-only "$1" | awk -v name="$2" '
        function hex(s,   i, n) { n = 0; s = tolower(s)
            for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return n }
        { n = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", n)
          if (n == name) { printf "%08x %d\n", hex($1) - hex($1) % 2, hex($2); found = 1; exit } }
        END { if (!found) exit 1 }'
}

# The functions reachable by direct calls and tail calls from the function
# at address $2 (8 hex digits), one "address size name" line each.
reachable() {
    local elf=$1 root=$2
    awk -v root="$root" '
        function hex(s,   i, n) { n = 0; s = tolower(s)
            for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return n }
        function pad(s) { s = sprintf("%8s", s); gsub(/ /, "0", s); return s }
        FNR == NR {                     # nm -S: sizes and names of functions
            if ($3 ~ /^[tTwW]$/) { a = sprintf("%08x", hex($1) - hex($1) % 2)
                n = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", n); size[a] = hex($2); name[a] = n }
            next }
        /^[0-9a-f]+ <.*>:$/ { cur = pad($1); next }   # objdump: a function starts
        cur != "" && $0 ~ /\tb[a-z.]*\t[0-9a-f]+ <.*>$/ {
            # a branch whose target is a function start (no +0x offset)
            t = $0; sub(/.*\tb[a-z.]*\t/, "", t); split(t, parts, " ")
            to = pad(parts[1])
            if (to != cur && t !~ /\+0x[0-9a-f]+>$/) { edges[cur] = edges[cur] " " to }
        }
        END {
            todo[1] = root; n = 1; seen[root] = 1
            while (n > 0) { f = todo[n--]
                printf "%s %d %s\n", f, size[f], name[f]
                k = split(edges[f], next_, " ")
                for (i = 1; i <= k; i++) if (!(next_[i] in seen)) { seen[next_[i]] = 1; todo[++n] = next_[i] }
            }
        }' <(arm-none-eabi-nm -C -S --defined-only "$elf") <(arm-none-eabi-objdump -d -C "$elf")
}

# Instructions per train_step call, from a single-step trace of the probe
# phase (the firmware's first 8 back-to-back calls). Prints "in_call between".
count_instructions() {
    local elf=$1 target=$2 entry=$3 end=$4 fifo qemu_pid
    read -r board cpu <<<"${machine[$target]}"
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    timeout 60 qemu-system-arm -machine "$board" -cpu "$cpu" -nographic \
        -semihosting-config enable=on,target=native \
        -singlestep -d exec,nochain -D "$fifo" -kernel "$elf" >/dev/null 2>&1 &
    qemu_pid=$!
    # awk opens the FIFO itself, under `timeout`: a QEMU that never opens
    # its log must not leave the script blocked.
    timeout 60 awk -v entry="$entry" -v end="$end" '
        /^Trace/ { split($0, f, "/"); pc = f[2]; n++
            if (pc == entry) {
                if (last) { between = n - last; if (!b_min || between < b_min) b_min = between }
                last = n; ret = ""; start = n
                ret_pc = sprintf("%08x", prev_hex + 4)   # BL is 4 bytes
            }
            if (start && pc == ret_pc) { inside = n - start; if (!i_min || inside < i_min) i_min = inside; start = 0 }
            if (pc == end) { printf "%d %d\n", i_min, b_min; done = 1; exit }
            prev_hex = 0; s = tolower(pc)
            for (i = 1; i <= length(s); i++) prev_hex = prev_hex * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        }
        END { if (!done) print "? ?" }' "$fifo"
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    rm -f "$fifo"
}

rows=()
for target in "${targets[@]}"; do
    cargo build --quiet --release --target "$target"
    elf=target/$target/release/backprop-cortex-m
    read -r board cpu <<<"${machine[$target]}"
    out=$(timeout 60 qemu-system-arm -machine "$board" -cpu "$cpu" -nographic \
        -semihosting-config enable=on,target=native -kernel "$elf" 2>/dev/null)
    read -r fwd_addr _ < <(symbol "$elf" "backprop_cortex_m::probe::seed_forward")
    read -r train_addr _ < <(symbol "$elf" "backprop_cortex_m::probe::seed_train_step")
    read -r end_addr _ < <(symbol "$elf" "backprop_cortex_m::probe::end")
    fwd_set=$(reachable "$elf" "$fwd_addr")
    train_set=$(reachable "$elf" "$train_addr")
    fwd_bytes=$(awk '{ s += $2 } END { print s }' <<<"$fwd_set")
    train_only=$(awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' <(echo "$fwd_set") <(echo "$train_set"))
    train_bytes=$(awk '{ s += $2 } END { print s + 0 }' <<<"$train_only")
    params=$(sed -n 's/^fw: seed ram param_bytes=\([0-9]*\) .*/\1/p' <<<"$out")
    trace=$(sed -n 's/^fw: seed ram .*trace_bytes=\([0-9]*\) .*/\1/p' <<<"$out")
    stack=$(sed -n 's/^fw: seed stack_per_train_step=\([0-9]*\)$/\1/p' <<<"$out")
    read -r in_call between < <(count_instructions "$elf" "$target" "$train_addr" "$end_addr")
    if ! [[ $in_call =~ ^[0-9]+$ && $between =~ ^[0-9]+$ && -n $stack && -n $params && -n $trace ]]; then
        echo "footprint: $target: a measurement is missing" >&2
        exit 1
    fi
    if [[ $target == thumbv7em-none-eabihf ]]; then
        m4f_total=$((fwd_bytes + train_bytes)) m4f_stack=$stack m4f_instr=$in_call
    fi
    rows+=("$(printf '| %-23s | %-22s | %9s | %7s | %9s | %8s | %7s | %7s | %-16s |' \
        "\`$target\`" "${core[$target]}" "$fwd_bytes" "$train_bytes" "$((fwd_bytes + train_bytes))" \
        "$params" "$trace" "$stack" "$in_call ($between)")")
    if [[ $verbose == -v ]]; then
        echo "== $target: forward reaches"
        sed 's/^/   /' <<<"$fwd_set"
        echo "== $target: train_step also reaches"
        sed 's/^/   /' <<<"$train_only"
    fi
done

echo
echo "Tutorial network 1 => 4 ReLU => 2 Sigmoid => 1 Linear, f32, release (opt-level s, LTO)"
echo
printf '| %-23s | %-22s | %9s | %7s | %9s | %8s | %7s | %7s | %-16s |\n' \
    target core "forward B" "train B" "total B" "params B" "trace B" "stack B" "instr/step"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
printf '| %-23s | %-22s | %9s | %7s | %9s | %8s | %7s | %7s | %-16s |\n' \
    "hand-written baseline" "Cortex-M4F (FPU)" 752 368 1120 - - 192 "~635"

# The targets of the embedded issue, against the hand-written network on the
# Cortex-M4F: no more code, stack or instructions per training step.
over=()
((m4f_total <= 1120)) || over+=("code $m4f_total B > 1120 B")
((m4f_stack <= 192)) || over+=("stack $m4f_stack B > 192 B")
((m4f_instr <= 635)) || over+=("$m4f_instr instructions > 635")
if ((${#over[@]})); then
    echo "footprint: the Cortex-M4F step exceeds the hand-written baseline: ${over[*]}" >&2
    exit 1
fi
echo
echo "Cortex-M4F: within the hand-written baseline (code, stack, instructions)."
