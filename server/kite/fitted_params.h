// The schools' fitted BKT parameters as the mastery worker uses them: loaded
// once per school and reloaded when a refit saves a new version; the
// defaults devices use for a skill with no fitted parameters.
#pragma once

#include <QString>
#include <map>

#include "kite/bkt.h"
#include "kite/job_store.h"

namespace kite::server {

class FittedBktCache {
public:
    // `models` must outlive the cache and belong to the same thread.
    explicit FittedBktCache(ModelStore& models) : models_(models) {}

    // Looks up the school's parameter version (one small query) and reloads
    // its parameters if they changed. On a store error the cache keeps what
    // it had.
    void refresh(const QString& school);
    // The parameters of a skill of a course in the school.
    bkt::Params params(const QString& school, const QString& course, const QString& skill) const;

private:
    struct School {
        std::int64_t version = 0;
        std::map<QString, bkt::Params> params;  // "course\tskill"
    };
    ModelStore& models_;
    std::map<QString, School> schools_;
};

}  // namespace kite::server
