#!/usr/bin/env bash
# The lines wider than STYLE's 100 columns in src/, include/ and tests/ (C
# files) must not grow past tests/style/columns-baseline.txt, file by file
# (tests/tools/columns.py; .clang-format formats new code within the limit).
set -euo pipefail
python3 "$SRC/tests/tools/columns.py" "$SRC"
