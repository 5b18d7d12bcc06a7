// Operations: GET /metrics (Prometheus text), and the per-request limits and
// measurements every route gets (docs/server.md "Metrics", "Limits").
#pragma once

#include "kite/http_server.h"
#include "kite/server_store.h"
#include "kite/settings.h"

namespace kite::server {

// GET /metrics: everything in Metrics, with the queue depth and dead letters
// sampled from `store` at most every 2 seconds. Without metrics_token only
// loopback clients may scrape; with it, any client that sends it as Bearer.
void addOpsRoutes(Router& router, ServerStore& store, const Settings& settings);

// On every request: a body over max_body_bytes (as sent, or once gzip is
// undone) is a 413, a token over its rate (rate_per_second, rate_burst) a 429
// with Retry-After; and every reply is counted in kite_http_requests_total
// and kite_http_request_duration_seconds.
void installRequestLimitsAndMetrics(HttpServer& server, const Settings& settings);

}  // namespace kite::server
