// The DKT kernels for any CPU, in float (training, inference) and double
// (gradient checks).
#include <Eigen/Core>
#include <cmath>

#include "dkt_kernels.h"

#define KITE_DKT_KERNEL_NS generic
#define KITE_DKT_KERNEL_DOUBLE
#include "dkt_kernels.inc"
