#include "kite/job_routes.h"

#include <QJsonArray>
#include <QStringList>

#include "kite/wire.h"

namespace kite::server {

namespace {

constexpr const char* kWho = "manage jobs";

QJsonValue timeOrNull(std::int64_t unixMs) {
    return unixMs > 0 ? QJsonValue(wire::isoTime(unixMs)) : QJsonValue(QJsonValue::Null);
}

QString kindNames() {
    return toString(JobKind::BktRefit) + QStringLiteral(", ") + toString(JobKind::DktRetrain);
}

Reply unavailable(const Error& e) {
    return errorReply(503, QString::fromStdString(e.message));
}

std::variant<Principal, Reply> staff(ServerStore& store, const Request& request) {
    return authenticate(store, request, {Role::Admin, Role::Teacher}, kWho);
}

Reply submit(ServerStore& store, JobQueue& jobs, const std::function<void()>& onQueued, const Request& request) {
    auto who = staff(store, request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const auto body = wire::parseBody(request.body());
    if (!body) return errorReply(body.error().status, body.error().message, body.error().field);
    const QJsonValue kind = body->value(QStringLiteral("kind"));
    if (!kind.isString())
        return errorReply(400, QStringLiteral("kind: expected one of %1").arg(kindNames()), QStringLiteral("kind"));
    const auto parsed = jobKindFrom(kind.toString());
    if (!parsed)
        return errorReply(
            400, QStringLiteral("kind: expected one of %1, got '%2'").arg(kindNames(), kind.toString().left(64)),
            QStringLiteral("kind"));
    auto submitted = jobs.submit(std::get<Principal>(who).school, *parsed);
    if (!submitted) return unavailable(submitted.error());
    if (submitted->created && onQueued) onQueued();
    // 202: queued now; 200: the school's unfinished job of that kind.
    return jsonReply(submitted->created ? 202 : 200, jobJson(submitted->job));
}

Reply list(ServerStore& store, JobQueue& jobs, const Request& request) {
    auto who = staff(store, request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    std::optional<JobState> state;
    if (const QString s = request.query().queryItemValue(QStringLiteral("state")); !s.isEmpty()) {
        state = jobStateFrom(s);
        if (!state)
            return errorReply(
                400,
                QStringLiteral("state: expected queued, running, failed, done, cancelled or dead, got '%1'")
                    .arg(s.left(64)),
                QStringLiteral("state"));
    }
    const auto limit = queryNumber(request, QStringLiteral("limit"), 50, 1, 500);
    if (auto* error = std::get_if<Reply>(&limit)) return *error;
    auto found = jobs.jobs(std::get<Principal>(who).school, state, static_cast<int>(std::get<std::int64_t>(limit)));
    if (!found) return unavailable(found.error());
    QJsonArray out;
    for (const Job& j : *found) out.append(jobJson(j));
    return jsonReply(200, {{QStringLiteral("jobs"), out}});
}

Reply notFound(const QString& id) {
    return errorReply(404, QStringLiteral("no job %1 in this school").arg(id.left(64)), QStringLiteral("id"));
}

Reply show(ServerStore& store, JobQueue& jobs, const Request& request) {
    auto who = staff(store, request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const QString id = request.param(QStringLiteral("id"));
    auto job = jobs.job(std::get<Principal>(who).school, id);
    if (!job) return unavailable(job.error());
    if (!job->has_value()) return notFound(id);
    return jsonReply(200, jobJson(**job));
}

Reply cancel(ServerStore& store, JobQueue& jobs, const Request& request) {
    auto who = staff(store, request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const QString school = std::get<Principal>(who).school;
    const QString id = request.param(QStringLiteral("id"));
    auto before = jobs.job(school, id);
    if (!before) return unavailable(before.error());
    if (!before->has_value()) return notFound(id);
    const JobState state = (*before)->state;
    if (state == JobState::Done || state == JobState::Cancelled || state == JobState::Dead)
        return errorReply(409, QStringLiteral("job %1 has already finished (%2)").arg(id, toString(state)),
                          QStringLiteral("id"));
    auto after = jobs.cancel(school, id);
    if (!after) return unavailable(after.error());
    if (!after->has_value()) return notFound(id);
    return jsonReply(200, jobJson(**after));
}

}  // namespace

QJsonObject jobJson(const Job& job) {
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("kind"), toString(job.kind)},
            {QStringLiteral("state"), toString(job.state)},
            {QStringLiteral("progress"), job.progress},
            {QStringLiteral("message"), job.message},
            {QStringLiteral("error"), job.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(job.error)},
            {QStringLiteral("attempts"), job.attempts},
            {QStringLiteral("cancel_requested"), job.cancel_requested},
            {QStringLiteral("created_at"), timeOrNull(job.created_at)},
            {QStringLiteral("started_at"), timeOrNull(job.started_at)},
            {QStringLiteral("finished_at"), timeOrNull(job.finished_at)},
            {QStringLiteral("result"), job.result.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(job.result)}};
}

void addJobRoutes(Router& router, ServerStore& store, JobQueue& jobs, std::function<void()> onQueued) {
    router.add(
        Method::Post, QStringLiteral("/v1/jobs"),
        [&store, &jobs, onQueued = std::move(onQueued)](const Request& r) { return submit(store, jobs, onQueued, r); });
    router.add(Method::Get, QStringLiteral("/v1/jobs"),
               [&store, &jobs](const Request& r) { return list(store, jobs, r); });
    router.add(Method::Get, QStringLiteral("/v1/jobs/{id}"),
               [&store, &jobs](const Request& r) { return show(store, jobs, r); });
    router.add(Method::Post, QStringLiteral("/v1/jobs/{id}/cancel"),
               [&store, &jobs](const Request& r) { return cancel(store, jobs, r); });
}

}  // namespace kite::server
