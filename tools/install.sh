#!/usr/bin/env bash
# Set up everything alrp_mmdet needs, idempotently.
#
#   bash tools/install.sh             # creates/uses .venv at the repository root
#   ALRP_ENV=current bash tools/install.sh   # installs into the active Python instead
#   ALRP_STACK=onedl ALRP_VENV=.venv-onedl bash tools/install.sh
#       # the maintained OneDL fork instead of upstream OpenMMLab:
#       # onedl-mmengine 0.10.12, onedl-mmcv 2.3.6 (built from source),
#       # onedl-mmdetection 3.5.1; same module names (docs/get_started.md,
#       # "The maintained fork")
#
# Installs torch 2.13.0 unless a torch is already present (a CUDA build is
# kept), mmengine 0.10.7, mmcv 2.1.0 built from source with its ops (the wheel
# is cached under ~/.cache/alrp_mmdet, so later runs do not rebuild), mmdet
# 3.3.0, pycocotools and this package in editable mode with its test extras.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TORCH_VERSION=${ALRP_TORCH_VERSION:-2.13.0}
case ${ALRP_STACK:-openmmlab} in
  openmmlab)
    MMENGINE=mmengine==0.10.7 MMCV_DIST=mmcv MMCV_VERSION=2.1.0
    MMDET=mmdet==3.3.0 ;;
  onedl)
    MMENGINE=onedl-mmengine==0.10.12 MMCV_DIST=onedl-mmcv MMCV_VERSION=2.3.6
    MMDET=onedl-mmdetection==3.5.1 ;;
  *) echo "ALRP_STACK must be openmmlab or onedl, got $ALRP_STACK" >&2; exit 2 ;;
esac
MMCV_WHEEL=$(echo "$MMCV_DIST" | tr - _)
WHEEL_CACHE=${ALRP_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alrp_mmdet/wheels}

say() { printf '[install] %s\n' "$*"; }

# Run "$@" and say every 30 s that it still runs (pip is quiet meanwhile);
# returns its exit status.
with_progress() {
  local label=$1 start pid next=30
  shift
  start=$(date +%s)
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $(( $(date +%s) - start )) -ge "$next" ]; then
      say "$label: still running, $next s so far"
      next=$(( next + 30 ))
    fi
  done
  wait "$pid"
}

if [ "${ALRP_ENV:-venv}" = current ]; then
  PY=$(command -v python3 || command -v python)
else
  VENV=${ALRP_VENV:-$ROOT/.venv}
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment $VENV"
    python3 -m venv "$VENV"
  fi
  PY=$VENV/bin/python
fi
PIP=("$PY" -m pip install --disable-pip-version-check -q)
say "python: $PY"

has() { "$PY" - "$@" <<'PYEOF' >/dev/null 2>&1
import sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    name, _, want = spec.partition('==')
    try:
        have = version(name)
    except PackageNotFoundError:
        sys.exit(1)
    if want and have.split('+')[0] != want:
        sys.exit(1)
PYEOF
}

if ! has 'setuptools' || ! "$PY" -c 'import setuptools, sys; v=tuple(int(x) for x in setuptools.__version__.split(".")[:2]); sys.exit(not ((77,0)<=v<(82,0)))' 2>/dev/null \
   || ! has wheel; then
  say "installing build tools (setuptools>=77,<82, wheel)"
  "${PIP[@]}" 'setuptools>=77,<82' wheel
fi

if has torch; then
  say "keeping installed torch $("$PY" -c 'import torch; print(torch.__version__)')"
else
  say "installing torch==$TORCH_VERSION"
  # numpy with it: torch imported without numpy warns "Failed to initialize
  # NumPy" (the next step imports torch)
  with_progress "torch install" "${PIP[@]}" "torch==$TORCH_VERSION" numpy
fi

if ! has "$MMCV_DIST==$MMCV_VERSION" || ! "$PY" -c 'import mmcv.ops' >/dev/null 2>&1; then
  TORCH_TAG=$("$PY" -c 'import torch; print(torch.__version__.replace("+", "_"))')
  WHEEL_DIR=$WHEEL_CACHE/torch-$TORCH_TAG
  mkdir -p "$WHEEL_DIR"
  "${PIP[@]}" "$MMENGINE" ninja
  if ! ls "$WHEEL_DIR"/"$MMCV_WHEEL"-"$MMCV_VERSION"-*.whl >/dev/null 2>&1; then
    say "building $MMCV_DIST $MMCV_VERSION with ops from source (about 6 minutes on 2 cores)"
    start=$(date +%s)
    CFLAGS=-g0 CXXFLAGS=-g0 MAX_JOBS=${MAX_JOBS:-$(nproc)} MMCV_WITH_OPS=1 \
      with_progress "mmcv build" "$PY" -m pip wheel --disable-pip-version-check -q --no-build-isolation --no-deps \
      -w "$WHEEL_DIR" "$MMCV_DIST==$MMCV_VERSION"
    say "mmcv built in $(( $(date +%s) - start )) s"
  else
    say "reusing cached mmcv wheel from $WHEEL_DIR"
  fi
  "${PIP[@]}" "$WHEEL_DIR"/"$MMCV_WHEEL"-"$MMCV_VERSION"-*.whl
fi

if ! has "$MMENGINE" "$MMDET" pycocotools alrp_mmdet pytest scipy pyyaml \
    scikit-learn; then
  say "installing $MMENGINE, $MMDET, pycocotools and alrp_mmdet (editable, with test extras)"
  with_progress "mmdet install" "${PIP[@]}" "$MMENGINE" "$MMDET" pycocotools
  if [ "${ALRP_STACK:-openmmlab}" = onedl ]; then
    # the fork's distributions have other names than the package's
    # requirements (mmengine, mmcv, mmdet): install those without pip's
    # resolver, which would add upstream mmcv and mmdet next to the fork
    with_progress "alrp_mmdet install" "${PIP[@]}" --no-build-isolation --no-deps -e "$ROOT"
    with_progress "test extras" "${PIP[@]}" 'pytest>=7' pyyaml opencv-python matplotlib scikit-learn scipy
  else
    with_progress "alrp_mmdet install" "${PIP[@]}" --no-build-isolation -e "$ROOT[tests]"
  fi
fi

"$PY" -c 'import torch, mmcv, mmcv.ops, mmdet, alrp_mmdet; print(f"[install] ready: torch {torch.__version__}, mmcv {mmcv.__version__}, mmdet {mmdet.__version__}, alrp_mmdet {alrp_mmdet.__version__}")'
