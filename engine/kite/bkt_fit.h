// Fitting BKT parameters with EM (Baum-Welch), one skill at a time.
//
// Each (student, skill) sequence of answers, in time order, is one HMM
// sequence; answers to other skills in between do not count. Identical
// sequences are merged and weighted, which gives exactly the same counts.
//
// Convergence rule (the default mode): EM runs from each start, accelerated by
// SQUAREM (Varadhan & Roland 2008) with a monotonicity safeguard, and stops
// when one plain EM update would move no parameter by more than `tolerance`
// (the fixed-point residual), or after `max_iterations` E-steps. Unlike pyBKT it
// never stops because the log-likelihood's whole-number part stopped changing.
//
// Fixed-iteration mode (`fixed_iterations` > 0): plain EM, exactly that many
// updates from the start, no acceleration and no stopping rule; for parity
// with pyBKT (../shared/golden/bkt).
//
// fit() is safe to call from several threads at once; it uses `threads`
// worker threads of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "kite/bkt.h"
#include "kite/dataset.h"
#include "kite/result.h"

namespace kite::bkt {

// Closed interval a parameter is kept in, e.g. guess <= 0.3 is {0, 0.3}.
struct Bounds {
    double lo = 0.0;
    double hi = 1.0;
};

enum class ItemEmissions {
    kPerSkill,  // one guess/slip per skill
    kPerItem,   // one guess/slip per (skill, item): KT-IDEM; needs the dataset's items
};

struct FitOptions {
    int restarts = 5;         // starts per skill; the best log-likelihood wins
    std::uint64_t seed = 42;  // restarts are drawn from (seed, skill name): reproducible
    bool forgets = false;     // fit `forget`; otherwise it stays 0
    ItemEmissions emissions = ItemEmissions::kPerSkill;
    int threads = 0;            // 0: one per core
    double tolerance = 1e-6;    // fixed-point residual for convergence (max abs parameter change)
    int max_iterations = 2000;  // E-steps per start
    int fixed_iterations = 0;   // > 0: plain EM, exactly this many updates (see above)
    // The first start. Default: kUnseenSkillDefaults, with forget 0.1 when
    // fitting forgets. The other restarts are random.
    std::optional<Params> start;
    Bounds prior, learn, forget, guess, slip;
    // Called from worker threads as skills finish: (skills done, skills in all).
    std::function<void(int, int)> progress;
    // Asked before each skill (or share of a skill's starts) is taken up,
    // from worker threads: true stops the fit, which then returns the error
    // "stopped". For a server job that is cancelled.
    std::function<bool()> stop_requested;
};

struct FitSummary {
    double loglik = 0.0;   // training log-likelihood, summed over skills
    double seconds = 0.0;  // wall time of the fit
    long long answers = 0;
    int skills = 0;
    int converged = 0;  // skills whose chosen restart converged
    long long estep_evaluations = 0;
};

// Checks options; returns a message naming the bad option.
Status validate(const FitOptions& options);

Result<Model> fit(const Dataset& data, const FitOptions& options, FitSummary* summary = nullptr);

}  // namespace kite::bkt
