#!/usr/bin/env bash
# Set up the environment if needed (tools/install.sh) and run the test suite.
# Extra arguments go to pytest: with test paths among them only those run
# (`bash tools/run_tests.sh tests/test_docs -x`), else the whole of tests/
# (`bash tools/run_tests.sh -k alrp -x`).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/tools/install.sh"
if [ "${ALRP_ENV:-venv}" = current ]; then PY=python3; else PY=${ALRP_VENV:-$ROOT/.venv}/bin/python; fi
cd "$ROOT"
given_paths=0
for arg in "$@"; do
  case $arg in
    -*) ;;
    *) if [ -e "${arg%%::*}" ]; then given_paths=1; fi ;;
  esac
done
if [ "$given_paths" = 0 ]; then set -- tests "$@"; fi
exec "$PY" -m pytest "$@"
