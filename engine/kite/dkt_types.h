// Plain types shared by the DKT network (kite/dkt.h) and its kernels.
#pragma once

#include <cstdint>
#include <vector>

namespace kite::dkt {

// Training batch: B chunks of at most T steps, step-major: interaction of
// chunk b at step t is interactions[t * B + b], -1 past the chunk's end. The
// target of step t is the interaction at t + 1. Chunks are sorted longest
// first, so the chunks running at any step are the leftmost ones.
struct Batch {
    std::int32_t steps = 0;
    std::int32_t size = 0;
    std::vector<std::int32_t> interactions;
};

struct Loss {
    double sum = 0.0;  // summed binary cross-entropy, natural log
    long long predictions = 0;
};

}  // namespace kite::dkt
