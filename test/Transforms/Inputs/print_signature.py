"""Prints the model signatures that mase-record-model-signature wrote.

Reads MLIR text on stdin (several modules with --split-input-file), finds each
`memref.global "public" constant @mase_model_signature : memref<Nxi8> =
dense<[...]>` (or `dense<"0x...">`, as large ones print), checks that N matches the bytes and that the text is
NUL-terminated (with no other NUL) and ends in a newline, and prints it one
line per line, with TAB shown as `\\t` so that FileCheck can match it exactly.
"""

import re
import sys

GLOBAL = re.compile(
    r'memref\.global "public" constant @mase_model_signature : '
    r'memref<(\d+)xi8> = dense<(?:\[([-0-9, ]*)\]|"0x([0-9A-F]*)")>'
)

text = sys.stdin.read()
found = 0
for match in GLOBAL.finditer(text):
    found += 1
    size = int(match.group(1))
    if match.group(3) is not None:  # printed as hex when large
        data = bytes.fromhex(match.group(3))
    else:
        data = bytes(int(b) & 0xFF for b in match.group(2).split(","))
    print(f"signature: {size} bytes, {len(data)} given")
    if data[-1:] != b"\0" or b"\0" in data[:-1]:
        sys.exit("print_signature.py: the text is not NUL-terminated exactly once")
    body = data[:-1].decode("utf-8")
    if not body.endswith("\n"):
        sys.exit("print_signature.py: the last line does not end in a newline")
    for line in body[:-1].split("\n"):
        print("line: " + line.replace("\t", "\\t"))
if not found:
    sys.exit("print_signature.py: no public constant @mase_model_signature")
