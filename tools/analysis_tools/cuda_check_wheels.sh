#!/usr/bin/env bash
# Download here what tools/analysis_tools/cuda_check.py installs on the GPU
# machine (Python 3.12, x86-64, no network there): py3.12 wheels of mmengine,
# mmdet and the dependencies its image lacks, setuptools < 82 (mmengine
# resolves `mmdet::` config paths with pkg_resources) and the mmcv 2.1.0
# source, which the check builds there. Nothing is installed here.
#
#   bash tools/analysis_tools/cuda_check_wheels.sh [DIR]   # default .cuda_wheels
#
# Then carry DIR (it is git-ignored) and run, on the GPU machine:
#   python tools/analysis_tools/cuda_check.py --wheels DIR --out $OUT/cuda_check.md
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DIR=${1:-$ROOT/.cuda_wheels}
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=python3
mkdir -p "$DIR"
TARGET=(--only-binary=:all: --python-version 3.12 --implementation cp
        --abi cp312 --abi abi3 --abi none
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64
        --platform manylinux2014_x86_64 --platform any)
"$PY" -m pip download --disable-pip-version-check -q --no-deps -d "$DIR" \
  "${TARGET[@]}" \
  'mmengine==0.10.7' 'mmdet==3.3.0' addict termcolor yapf platformdirs \
  terminaltables pycocotools shapely 'setuptools>=77,<82'
"$PY" -m pip download --disable-pip-version-check -q --no-deps -d "$DIR" \
  --no-binary=:all: --no-build-isolation 'mmcv==2.1.0'
ls -l "$DIR"
echo "$(du -sh "$DIR" | cut -f1) in $DIR"
