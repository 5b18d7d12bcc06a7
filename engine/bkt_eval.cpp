#include "kite/bkt_eval.h"

#include <cmath>
#include <unordered_map>

namespace kite::bkt {

Predictions predict(const Model& model, const Dataset& data) {
    // Dataset skill -> model skill (-1: unseen), and dataset item -> the
    // skill's local item, looked up once per (skill, item) pair.
    std::unordered_map<std::string, int> byName;
    for (std::size_t i = 0; i < model.skills.size(); ++i) byName.emplace(model.skills[i].name, static_cast<int>(i));
    std::vector<int> skillOf(static_cast<std::size_t>(data.skills.size()), -1);
    for (std::int32_t s = 0; s < data.skills.size(); ++s) {
        auto it = byName.find(data.skills.name(s));
        if (it != byName.end()) skillOf[static_cast<std::size_t>(s)] = it->second;
    }
    std::vector<std::unordered_map<std::string, int>> itemIndex(model.skills.size());
    for (std::size_t i = 0; i < model.skills.size(); ++i)
        for (std::size_t k = 0; k < model.skills[i].item_names.size(); ++k)
            itemIndex[i].emplace(model.skills[i].item_names[k], static_cast<int>(k));
    std::unordered_map<std::int64_t, int> localItemCache;

    SkillModel unseen;
    unseen.params = model.unseen;
    Predictions out;
    out.p_correct.resize(data.answers.size());
    // P(K) of the current student per dataset skill; NaN = no answer yet.
    std::vector<double> known(static_cast<std::size_t>(data.skills.size()), std::nan(""));
    std::vector<std::int32_t> touched;
    std::int32_t student = -1;
    for (std::size_t i = 0; i < data.answers.size(); ++i) {
        const Answer& a = data.answers[i];
        if (a.student != student) {
            for (std::int32_t s : touched) known[static_cast<std::size_t>(s)] = std::nan("");
            touched.clear();
            student = a.student;
        }
        const int m = skillOf[static_cast<std::size_t>(a.skill)];
        const SkillModel& skill = m >= 0 ? model.skills[static_cast<std::size_t>(m)] : unseen;
        int localItem = -1;
        if (m >= 0 && !skill.items.empty() && a.item >= 0) {
            const std::int64_t key = (static_cast<std::int64_t>(m) << 32) | static_cast<std::uint32_t>(a.item);
            auto [it, inserted] = localItemCache.try_emplace(key, -1);
            if (inserted) {
                auto found = itemIndex[static_cast<std::size_t>(m)].find(data.items.name(a.item));
                it->second = found == itemIndex[static_cast<std::size_t>(m)].end() ? -1 : found->second;
            }
            localItem = it->second;
            if (localItem < 0 && a.outcome != Outcome::kNoResponse) ++out.unseen_item_answers;
        }
        if (m < 0 && a.outcome != Outcome::kNoResponse) ++out.unseen_skill_answers;
        double& pk = known[static_cast<std::size_t>(a.skill)];
        if (std::isnan(pk)) {
            pk = skill.params.prior;
            touched.push_back(a.skill);
        }
        const Emission e = skill.emissionFor(localItem);
        out.p_correct[i] = predictCorrect(pk, e);
        pk = observe(pk, a.outcome, skill.params, e).next;
    }
    return out;
}

Metrics evaluate(const Dataset& data, const Predictions& predictions) {
    std::vector<double> p;
    std::vector<signed char> correct;
    p.reserve(data.answers.size());
    correct.reserve(data.answers.size());
    for (std::size_t i = 0; i < data.answers.size(); ++i) {
        const Outcome o = data.answers[i].outcome;
        if (o == Outcome::kNoResponse) continue;
        p.push_back(predictions.p_correct[i]);
        correct.push_back(o == Outcome::kCorrect ? 1 : 0);
    }
    return computeMetrics(p, correct);
}

}  // namespace kite::bkt
