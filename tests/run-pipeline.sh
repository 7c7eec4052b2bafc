#!/bin/bash
# run-pipeline.sh: the compile pipeline exists once. Only src/compile (et_compile) calls the phases
# sema_analyze() and cg_compile(); the driver, the interactive session, the test tools, the fuzz harnesses
# and the unit tests go through et_compile (src/compile/compile.h), so that their options cannot drift
# apart again. Prints each call found elsewhere and "pipeline: N passed, M failed".
# Usage: run-pipeline.sh ETRACE [SOURCE_DIR] (ETRACE is not used: the check reads the sources).
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src" || exit 2
calls=$(grep -rnE '\b(sema_analyze|cg_compile)[[:space:]]*\(' --include='*.c' --include='*.h' --include='*.y' \
	--include='*.l' src probes tests |
	grep -vE '^src/(compile|sema|codegen)/' | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$calls" ]; then
	echo "FAIL: calls to sema_analyze/cg_compile outside src/compile (use et_compile):"
	echo "$calls"
	echo "pipeline: 0 passed, 1 failed"
	exit 1
fi
echo "pipeline: 1 passed, 0 failed"
