#include "kite/metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace kite {

Metrics computeMetrics(std::span<const double> p, std::span<const signed char> correct) {
    Metrics m;
    m.n = static_cast<long long>(p.size());
    if (p.empty()) return m;
    double squared = 0.0;
    long long right = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const bool c = correct[i] != 0;
        const double e = p[i] - (c ? 1.0 : 0.0);
        squared += e * e;
        right += ((p[i] >= 0.5) == c) ? 1 : 0;
        m.positives += c ? 1 : 0;
        const double q = std::clamp(c ? p[i] : 1.0 - p[i], 1e-15, 1.0 - 1e-15);
        m.loglik += std::log(q);
    }
    m.rmse = std::sqrt(squared / static_cast<double>(p.size()));
    m.accuracy = static_cast<double>(right) / static_cast<double>(p.size());

    const long long negatives = m.n - m.positives;
    if (m.positives == 0 || negatives == 0) return m;
    // Mann-Whitney U with average ranks for ties. Sorting (p, label) pairs by
    // value keeps the sort cache-friendly.
    std::vector<std::pair<double, bool>> ranked(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) ranked[i] = {p[i], correct[i] != 0};
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rankSum = 0.0;
    for (std::size_t i = 0; i < ranked.size();) {
        std::size_t j = i;
        long long tiedPositives = 0;
        while (j < ranked.size() && ranked[j].first == ranked[i].first) tiedPositives += ranked[j++].second ? 1 : 0;
        const double averageRank = 0.5 * static_cast<double>(i + 1 + j);  // ranks i+1 .. j
        rankSum += averageRank * static_cast<double>(tiedPositives);
        i = j;
    }
    const double pos = static_cast<double>(m.positives);
    m.auc = (rankSum - pos * (pos + 1.0) / 2.0) / (pos * static_cast<double>(negatives));
    return m;
}

}  // namespace kite
