#!/bin/sh
# Compile-checks the C logging layer (ndis-sim-trace.h over ndis-standin.h) with gcc, also with the
# layer compiled out, then runs contrib/test-driver.c, which writes its trace to $1.
#
#   contrib/build.sh <trace.jsonl> [--all-families]
#
# CC overrides the compiler (default gcc).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 <trace.jsonl> [--all-families]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build.sh: '$cc' not found: the C logging layer cannot be compile-checked" >&2
  exit 127
fi
flags="-Wall -Wextra -Werror -std=c11 -pedantic"
bin=$(mktemp "${TMPDIR:-/tmp}/ndis-sim-test-driver.XXXXXX")
trap 'rm -f "$bin"' EXIT
# shellcheck disable=SC2086
"$cc" $flags -o "$bin" "$here/test-driver.c"
# shellcheck disable=SC2086
"$cc" $flags -DNDIS_SIM_TRACE_DISABLE -fsyntax-only "$here/test-driver.c"
"$bin" "$@"
