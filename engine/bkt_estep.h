// The BKT E-step: scaled forward filtering and backward smoothing over a
// skill's merged sequences, for up to kMaxLanes parameter sets at once (one per
// restart). The lanes share the data and so the control flow; their
// arithmetic is independent, which lets the compiler vectorise it and keeps
// the CPU busy where one sequence alone would wait on each division.
// Internal to the engine.
#pragma once

#include <array>
#include <vector>

#include "bkt_sequences.h"

namespace kite::bkt::detail {

inline constexpr int kMaxLanes = 8;
using Lanes = std::array<double, kMaxLanes>;

// Parameters of up to kMaxLanes models for one skill.
struct LaneParams {
    Lanes prior{}, learn{}, forget{};
    // Emission likelihood per (item, observed outcome, state), per lane:
    // emission[((item * 2 + correct) * 2 + known) * kMaxLanes + lane].
    std::vector<double> emission;

    void resize(int items) { emission.assign(static_cast<std::size_t>(items) * 4 * kMaxLanes, 0.0); }
    void setEmission(int item, int lane, double guess, double slip);
};

// Expected counts of one E-step, per lane.
struct LaneCounts {
    double init_total = 0.0;       // sum of sequence weights
    Lanes init_known{};            // sum of P(K at first answer)
    Lanes uu{}, uk{}, ku{}, kk{};  // expected transitions (from, to)
    Lanes loglik{};                // log-likelihood of the data
    // Per item: [unknown & correct, unknown, known & wrong, known] per lane:
    // emission[(item * 4 + k) * kMaxLanes + lane].
    std::vector<double> emission;

    void reset(int items);
};

// Scratch space of one thread.
struct EStepScratch {
    std::vector<double> filtered;   // P(K_t | answers up to t), per lane
    std::vector<double> predicted;  // P(K_t | answers before t), per lane
};

// Runs the E-step for `lanes` (1..kMaxLanes) parameter sets.
void runEStep(const SkillSequences& data, const LaneParams& params, int lanes, LaneCounts& counts,
              EStepScratch& scratch);

}  // namespace kite::bkt::detail
