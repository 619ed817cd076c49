#!/usr/bin/env bash
# Set up the environment if needed (tools/install.sh) and run the demo.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/tools/install.sh"
if [ "${ALRP_ENV:-venv}" = current ]; then PY=python3; else PY=${ALRP_VENV:-$ROOT/.venv}/bin/python; fi
cd "$ROOT"
exec "$PY" tools/demo.py "$@"
