#include "kite/bkt.h"

namespace kite::bkt {

int Model::find(const std::string& name) const {
    for (std::size_t i = 0; i < skills.size(); ++i)
        if (skills[i].name == name) return static_cast<int>(i);
    return -1;
}

Params weightedMean(const std::vector<SkillModel>& skills) {
    Params mean{0, 0, 0, 0, 0};
    double total = 0.0;
    for (const SkillModel& s : skills) {
        const auto w = static_cast<double>(s.answers);
        mean.prior += w * s.params.prior;
        mean.learn += w * s.params.learn;
        mean.forget += w * s.params.forget;
        mean.guess += w * s.params.guess;
        mean.slip += w * s.params.slip;
        total += w;
    }
    if (!(total > 0.0)) return kUnseenSkillDefaults;
    mean.prior /= total;
    mean.learn /= total;
    mean.forget /= total;
    mean.guess /= total;
    mean.slip /= total;
    return mean;
}

}  // namespace kite::bkt
