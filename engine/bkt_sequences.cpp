#include "bkt_sequences.h"

#include <string_view>
#include <unordered_map>

namespace kite::bkt::detail {
namespace {

// Merges identical sequences of one skill. Keys are the raw bytes of a
// sequence: its outcomes, then (per item) its local items.
class SequenceMerger {
public:
    SequenceMerger(SkillSequences& out, bool perItem) : out_(out), perItem_(perItem) { out_.start.push_back(0); }

    void add(const std::vector<std::int8_t>& obs, const std::vector<std::int32_t>& items) {
        key_.assign(reinterpret_cast<const char*>(obs.data()), obs.size());
        if (perItem_) key_.append(reinterpret_cast<const char*>(items.data()), items.size() * sizeof(std::int32_t));
        ++out_.sequences;
        out_.answers += static_cast<long long>(obs.size());
        auto [it, inserted] = index_.try_emplace(key_, out_.weight.size());
        if (!inserted) {
            out_.weight[it->second] += 1.0;
            return;
        }
        out_.obs.insert(out_.obs.end(), obs.begin(), obs.end());
        if (perItem_) out_.item.insert(out_.item.end(), items.begin(), items.end());
        out_.start.push_back(static_cast<std::uint32_t>(out_.obs.size()));
        out_.weight.push_back(1.0);
        if (obs.size() > out_.longest) out_.longest = static_cast<std::uint32_t>(obs.size());
    }

private:
    SkillSequences& out_;
    bool perItem_;
    std::string key_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<SkillSequences> buildSkillSequences(const Dataset& data, bool perItem) {
    const auto skillCount = static_cast<std::size_t>(data.skills.size());
    // Bucket answers by skill; a stable pass keeps each student's answers
    // together and in time order.
    std::vector<std::size_t> bucketStart(skillCount + 1, 0);
    for (const Answer& a : data.answers) ++bucketStart[static_cast<std::size_t>(a.skill) + 1];
    for (std::size_t s = 0; s < skillCount; ++s) bucketStart[s + 1] += bucketStart[s];
    std::vector<std::uint32_t> order(data.answers.size());
    {
        std::vector<std::size_t> fill(bucketStart.begin(), bucketStart.end() - 1);
        for (std::size_t i = 0; i < data.answers.size(); ++i)
            order[fill[static_cast<std::size_t>(data.answers[i].skill)]++] = static_cast<std::uint32_t>(i);
    }

    std::vector<SkillSequences> skills(skillCount);
    std::vector<std::int8_t> obs;
    std::vector<std::int32_t> items;
    for (std::size_t s = 0; s < skillCount; ++s) {
        SkillSequences& out = skills[s];
        out.skill = static_cast<std::int32_t>(s);
        SequenceMerger merger(out, perItem);
        std::unordered_map<std::int32_t, std::int32_t> localItem;
        for (std::size_t k = bucketStart[s]; k < bucketStart[s + 1];) {
            const std::int32_t student = data.answers[order[k]].student;
            obs.clear();
            items.clear();
            for (; k < bucketStart[s + 1] && data.answers[order[k]].student == student; ++k) {
                const Answer& a = data.answers[order[k]];
                obs.push_back(static_cast<std::int8_t>(a.outcome));
                if (!perItem) continue;
                auto [it, inserted] = localItem.try_emplace(a.item, static_cast<std::int32_t>(out.item_names.size()));
                if (inserted) {
                    out.item_names.push_back(a.item >= 0 ? data.items.name(a.item) : std::string());
                    out.item_answers.push_back(0.0);
                }
                if (a.outcome != Outcome::kNoResponse) out.item_answers[static_cast<std::size_t>(it->second)] += 1.0;
                items.push_back(it->second);
            }
            merger.add(obs, items);
        }
    }
    return skills;
}

}  // namespace kite::bkt::detail
