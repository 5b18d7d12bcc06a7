#include "kite/fitted_params.h"

#include <cstdio>

namespace kite::server {

void FittedBktCache::refresh(const QString& school) {
    auto version = models_.bktParamsVersion(school);
    if (!version) {
        std::fprintf(stderr, "kite-server: fitted BKT parameters: %s\n", version.error().message.c_str());
        return;
    }
    School& cached = schools_[school];
    if (cached.version == *version) return;
    auto params = models_.fittedBktParams(school);
    if (!params) {
        std::fprintf(stderr, "kite-server: fitted BKT parameters: %s\n", params.error().message.c_str());
        return;
    }
    cached.version = *version;
    cached.params = std::move(*params);
}

bkt::Params FittedBktCache::params(const QString& school, const QString& course, const QString& skill) const {
    const auto s = schools_.find(school);
    if (s == schools_.end()) return bkt::kUnseenSkillDefaults;
    const auto p = s->second.params.find(course + QLatin1Char('\t') + skill);
    return p == s->second.params.end() ? bkt::kUnseenSkillDefaults : p->second;
}

}  // namespace kite::server
