#!/usr/bin/env python3
"""Writes ``examples/data/digits.bin``, the 8x8 handwritten digits data set.

The data is scikit-learn's copy (``sklearn.datasets.load_digits``, BSD-3-Clause)
of the test set of the UCI "Optical Recognition of Handwritten Digits" data set
(E. Alpaydin, C. Kaynak, 1998): 1,797 images of 8x8 pixels, each pixel an
integer 0..16 (the count of set pixels in a 4x4 block of a 32x32 bitmap), with
the digit each shows. Run it by hand (the example and its test use the
committed file)::

    python3 scripts/digits_fixture.py [OUT.bin]

It needs scikit-learn. The file is 1,797 records of 65 bytes, in
scikit-learn's order: the 64 pixels row by row (each 0..16), then the digit
(0..9). No header.
"""

import sys

from sklearn.datasets import load_digits


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/digits.bin"
    digits = load_digits()
    out = bytearray()
    for pixels, label in zip(digits.data, digits.target):
        assert all(0 <= p <= 16 for p in pixels)
        out.extend(int(p) for p in pixels)
        out.append(int(label))
    with open(path, "wb") as f:
        f.write(out)
    print(f"wrote {path}: {len(digits.target)} images, {len(out)} bytes")


if __name__ == "__main__":
    main()
