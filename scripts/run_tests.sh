#!/usr/bin/env bash
# Run the test suite with coverage; pytest's exit code 5 (no tests collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pytest --cov=kg --cov-report=term-missing:skip-covered --cov-fail-under=85 "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
