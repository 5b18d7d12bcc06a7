// The batch jobs' routes: POST /v1/jobs, GET /v1/jobs, GET /v1/jobs/{id},
// POST /v1/jobs/{id}/cancel, for a school's admins and teachers.
// docs/protocol.md, "Jobs and models".
#pragma once

#include <functional>

#include "kite/http.h"
#include "kite/job_store.h"
#include "kite/server_store.h"

namespace kite::server {

// `store` (tokens) and `jobs` are the server thread's connections;
// `onQueued` runs after a job is queued (to wake the runner).
void addJobRoutes(Router& router, ServerStore& store, JobQueue& jobs, std::function<void()> onQueued);

// A job as the API shows it.
QJsonObject jobJson(const Job& job);

}  // namespace kite::server
