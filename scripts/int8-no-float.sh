#!/usr/bin/env bash
# The int8 forward pass is integer arithmetic only: builds the no_std check
# crate (tests/no-std) for the Cortex-M0 (thumbv6m-none-eabi, no FPU, so
# any float operation would be a call of a soft-float routine), disassembles
# `digits_int8` (the int8 digits classifier's forward pass, out of line)
# with its relocations, and fails if it calls anything but itself: a
# soft-float routine (`__aeabi_f*`, `__aeabi_d*`, `__aeabi_i2f`, ...), a
# panic, or any function outside the crate, which the check cannot read
# (the runtime's int8 primitives are `#[inline]`, so they are inside);
# `memcpy`, `memset` and the 64-bit integer multiply, shifts and
# divisions of the Arm run-time ABI are allowed.
#
# Needs the thumbv6m-none-eabi rustup target and Debian's
# binutils-arm-none-eabi (.ci/embedded.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
target=thumbv6m-none-eabi
cargo build -q -p backprop-no-std-check --target "$target" --release
lib="target/$target/release/libbackprop_no_std_check.rlib"
arm-none-eabi-objdump -d -r -C "$lib" | python3 -c '
import re, sys
# Every function of the archive, and what its relocations call.
functions, calls, sizes, current = set(), {}, {}, None
for line in sys.stdin:
    start = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
    if start:
        current = start.group(1)
        functions.add(current)
        calls.setdefault(current, set())
        sizes.setdefault(current, 0)
        continue
    if current is None:
        continue
    reloc = re.search(r"R_ARM_THM_(?:CALL|JUMP24|JUMP11)\s+(\S.*)$", line)
    if reloc:
        calls[current].add(reloc.group(1).strip())
    elif re.match(r"^\s+[0-9a-f]+:", line):
        sizes[current] += 1
root = "backprop_no_std_check::digits_int8"
if root not in functions:
    sys.exit(f"int8-no-float: {root} not found")
seen, todo, bad = set(), [root], []
while todo:
    name = todo.pop()
    if name in seen:
        continue
    seen.add(name)
    for callee in calls.get(name, ()):
        if re.search(r"__aeabi_[fd]|__aeabi_[a-z0-9]*2[fd]|__(add|sub|mul|div)[sd]f3|f32|f64", callee):
            bad.append(f"{name} calls the float routine {callee}")
        elif re.match(r"__aeabi_((memcpy|memmove|memset|memclr)[48]?|lmul|llsl|llsr|lasr|u?idiv(mod)?|u?ldivmod)$", callee):
            continue
        elif callee not in functions:
            bad.append(f"{name} calls {callee}, outside what this check can read")
        else:
            todo.append(callee)
if bad:
    sys.exit("int8-no-float:\n  " + "\n  ".join(bad))
total = sum(sizes[n] for n in seen)
print(f"int8-no-float: digits_int8 on the Cortex-M0: {len(seen)} functions, {total} instructions, integer code only")
'
