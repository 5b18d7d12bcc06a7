// Training data of one skill in the shape the E-step wants: flat arrays of
// answers, one run per (student, skill) sequence, identical sequences merged
// into one with a weight. Internal to the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kite/dataset.h"

namespace kite::bkt::detail {

struct SkillSequences {
    std::int32_t skill = 0;               // index into Dataset::skills
    std::vector<std::int8_t> obs;         // Outcome values, sequences back to back
    std::vector<std::int32_t> item;       // local item of each answer; empty without per-item emissions
    std::vector<std::uint32_t> start;     // sequence s is [start[s], start[s+1])
    std::vector<double> weight;           // how many (student, skill) sequences were identical
    std::vector<std::string> item_names;  // local item -> name
    std::vector<double> item_answers;     // answers (with a response) per local item
    long long answers = 0;                // before merging
    long long sequences = 0;              // before merging
    std::uint32_t longest = 0;            // longest sequence, for scratch sizes

    int itemCount() const { return item_names.empty() ? 1 : static_cast<int>(item_names.size()); }
    std::size_t size() const { return weight.size(); }
};

// Splits a dataset into per-skill sequences. With `perItem`, each answer also
// carries its item, and only answers with equal items merge.
std::vector<SkillSequences> buildSkillSequences(const Dataset& data, bool perItem);

}  // namespace kite::bkt::detail
