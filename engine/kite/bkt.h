// Bayesian Knowledge Tracing: the online update that runs on every answer.
//
// Each skill is a 2-state hidden Markov model: the student either knows the
// skill (K) or not (U). A student who does not know it answers correctly by
// guessing; one who knows it may slip. Between two answers on the skill an
// unknown skill is learned with probability `learn`, a known one forgotten
// with probability `forget`.
//
// Everything here is a value type with inline arithmetic: no allocation, safe
// to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "kite/dataset.h"

namespace kite::bkt {

// Probabilities in [0,1].
struct Params {
    double prior = 0.4;   // P(K) at the student's first answer on the skill
    double learn = 0.2;   // P(U -> K) between consecutive answers
    double forget = 0.0;  // P(K -> U) between consecutive answers
    double guess = 0.2;   // P(correct | U)
    double slip = 0.1;    // P(wrong | K)
};

// Guess and slip of one item when a skill has per-item emissions (KT-IDEM).
struct Emission {
    double guess = 0.2;
    double slip = 0.1;
};

// P(correct) of an answer given P(K) just before it.
inline double predictCorrect(double pKnown, const Emission& e) {
    return e.guess * (1.0 - pKnown) + (1.0 - e.slip) * pKnown;
}
inline double predictCorrect(double pKnown, const Params& p) {
    return predictCorrect(pKnown, Emission{p.guess, p.slip});
}

struct Step {
    double posterior;  // P(K) given this answer and every earlier one
    double next;       // P(K) at the next answer on the skill (posterior after learn/forget)
};

// Bayes update with one observed answer, then one learn/forget transition.
// An answer that both states call impossible (e.g. a wrong answer when
// guess = 1 and slip = 0) carries no evidence: the posterior equals pKnown.
// A no-response answer also carries no evidence but still counts as a step.
inline Step observe(double pKnown, Outcome outcome, const Params& p, const Emission& e) {
    double posterior = pKnown;
    if (outcome != Outcome::kNoResponse) {
        const bool correct = outcome == Outcome::kCorrect;
        const double likeKnown = pKnown * (correct ? 1.0 - e.slip : e.slip);
        const double likeUnknown = (1.0 - pKnown) * (correct ? e.guess : 1.0 - e.guess);
        const double evidence = likeKnown + likeUnknown;
        if (evidence > 0.0) posterior = likeKnown / evidence;
    }
    return {posterior, posterior * (1.0 - p.forget) + (1.0 - posterior) * p.learn};
}
inline Step observe(double pKnown, Outcome outcome, const Params& p) {
    return observe(pKnown, outcome, p, Emission{p.guess, p.slip});
}

// A skill's fitted parameters and what the fit saw.
struct SkillModel {
    std::string name;
    Params params;
    // Per-item guess/slip (KT-IDEM); empty when the skill has one guess/slip.
    // params.guess/slip then hold the answer-weighted mean, used for items the
    // fit never saw.
    std::vector<std::string> item_names;
    std::vector<Emission> items;
    long long answers = 0;    // answers in the training data
    long long sequences = 0;  // (student, skill) sequences in the training data
    double loglik = 0.0;      // natural-log likelihood of the training answers
    int iterations = 0;       // EM updates (E-steps) of the chosen restart
    bool converged = false;   // the chosen restart met the convergence rule

    // Emission for an item name; the skill's own guess/slip when unknown.
    Emission emissionFor(int localItem) const {
        return localItem >= 0 ? items[static_cast<std::size_t>(localItem)] : Emission{params.guess, params.slip};
    }
};

// Parameters used for a skill the model has never seen. Documented in
// docs/formats.md; kite-kt writes the answer-weighted mean of the fitted skills
// into PARAMS.json as "default", and these values apply only when that is absent.
inline constexpr Params kUnseenSkillDefaults{0.4, 0.2, 0.0, 0.2, 0.1};

struct Model {
    std::vector<SkillModel> skills;
    Params unseen = kUnseenSkillDefaults;  // for skills absent from training

    // Index of the skill named `name`, or -1.
    int find(const std::string& name) const;
};

// The answer-weighted mean of the skills' parameters (the "default" of a model).
Params weightedMean(const std::vector<SkillModel>& skills);

}  // namespace kite::bkt
