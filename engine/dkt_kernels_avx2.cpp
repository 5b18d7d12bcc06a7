// The DKT kernels compiled with AVX2 and FMA (see engine/CMakeLists.txt),
// used when the CPU has them. Eigen's namespace is renamed so that none of
// its code compiled here can stand in for the generic copy (dkt_kernels.h).
#define Eigen KiteEigenAvx2
#include <math.h>

#include <Eigen/Core>

#include "dkt_kernels.h"

#define KITE_DKT_KERNEL_NS avx2
#include "dkt_kernels.inc"
