// A knowledge-tracing dataset: every answer of every student, each student's
// answers in time order. Readers (readers.h) produce it; BKT and DKT consume it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kite {

// Outcome of one answer. kNoResponse keeps the time step (a learning
// opportunity) but carries no evidence about the student's knowledge.
enum class Outcome : std::int8_t { kWrong = 0, kCorrect = 1, kNoResponse = -1 };

struct Answer {
    std::int32_t student = 0;  // index into Dataset::students
    std::int32_t skill = 0;    // index into Dataset::skills
    std::int32_t item = -1;    // index into Dataset::items, -1 when the source has no item column
    Outcome outcome = Outcome::kWrong;
};

// Interns names to dense indices in order of first appearance.
class NameTable {
public:
    std::int32_t intern(std::string_view name);
    // Returns -1 when the name has not been interned.
    std::int32_t find(std::string_view name) const;
    const std::string& name(std::int32_t index) const { return names_[static_cast<std::size_t>(index)]; }
    std::int32_t size() const { return static_cast<std::int32_t>(names_.size()); }
    const std::vector<std::string>& names() const { return names_; }

private:
    // Transparent hashing: look-ups by string_view allocate nothing.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
};

struct Dataset {
    NameTable students;
    NameTable skills;
    NameTable items;  // empty when the source has no item/template column
    // Grouped by student (students in order of first appearance), and in time
    // order within a student.
    std::vector<Answer> answers;

    bool hasItems() const { return items.size() > 0; }
};

}  // namespace kite
