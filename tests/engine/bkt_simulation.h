// Students simulated from the BKT generative model, for tests that need data
// with known true parameters.
#pragma once

#include <random>
#include <string>

#include "kite/bkt.h"
#include "kite/dataset.h"

namespace kite::testing {

struct SimulatedSkill {
    std::string name;
    bkt::Params truth;
    // Optional per-item guess (items named "<skill>-i<k>"); empty: truth.guess.
    std::vector<double> item_guess;
};

// Each student answers `answers` questions on every skill, skills interleaved
// at random. Deterministic for a given seed.
inline Dataset simulate(const std::vector<SimulatedSkill>& skills, int students, int answers, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Dataset data;
    for (const SimulatedSkill& s : skills) data.skills.intern(s.name);
    for (int st = 0; st < students; ++st) {
        const auto student = data.students.intern("s" + std::to_string(st));
        std::vector<int> remaining(skills.size(), answers);
        std::vector<bool> known(skills.size());
        for (std::size_t k = 0; k < skills.size(); ++k) known[k] = u(rng) < skills[k].truth.prior;
        for (int left = answers * static_cast<int>(skills.size()); left > 0; --left) {
            std::size_t k;
            do k = static_cast<std::size_t>(rng() % skills.size());
            while (remaining[k] == 0);
            --remaining[k];
            const SimulatedSkill& s = skills[k];
            std::int32_t item = -1;
            double guess = s.truth.guess;
            if (!s.item_guess.empty()) {
                const auto i = static_cast<std::size_t>(rng() % s.item_guess.size());
                item = data.items.intern(s.name + "-i" + std::to_string(i));
                guess = s.item_guess[i];
            }
            const bool correct = known[k] ? u(rng) >= s.truth.slip : u(rng) < guess;
            data.answers.push_back(
                {student, static_cast<std::int32_t>(k), item, correct ? Outcome::kCorrect : Outcome::kWrong});
            known[k] = known[k] ? u(rng) >= s.truth.forget : u(rng) < s.truth.learn;
        }
    }
    return data;
}

}  // namespace kite::testing
