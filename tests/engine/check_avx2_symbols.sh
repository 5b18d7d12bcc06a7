#!/usr/bin/env bash
# The AVX2 copy of the DKT kernels must not define shared (weak or unique)
# symbols outside its own namespaces: the linker keeps one copy of such code
# for the whole program, and an AVX2 copy would crash CPUs without AVX2
# (engine/dkt_kernels.h). Usage: check_avx2_symbols.sh OBJECT...
set -euo pipefail
leaks=$(nm -C --defined-only "$@" | awk '$2 ~ /^[WwVvu]$/' \
  | grep -v -e 'KiteEigenAvx2' -e 'kite::dkt::kernels::avx2' -e 'DW.ref.__gxx_personality_v0' || true)
if [ -n "$leaks" ]; then
  echo "AVX2 kernel object defines shared symbols outside its namespaces:" >&2
  echo "$leaks" >&2
  echo "1 failed"
  exit 1
fi
echo "AVX2 kernels: no shared symbols outside KiteEigenAvx2 and kite::dkt::kernels::avx2"
