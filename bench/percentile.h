// The q-quantile (0..1) of a sample, nearest rank; 0 for none. Shared by the
// load generators, which report latencies and drain times.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace kite::bench {

inline double percentile(std::vector<double> xs, double q) {
    if (xs.empty()) return 0.0;
    std::sort(xs.begin(), xs.end());
    return xs[std::min(xs.size() - 1, static_cast<std::size_t>(q * static_cast<double>(xs.size())))];
}

}  // namespace kite::bench
