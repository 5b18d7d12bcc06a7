#include "kite/sync_routes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <memory>
#include <variant>

#include "kite/server_metrics.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

Reply fromWire(const wire::WireError& e) {
    return errorReply(e.status, e.message, e.field);
}

Reply enroll(ServerStore& store, const Request& request) {
    const auto parsed = wire::parseEnrollRequest(request.body());
    if (!parsed) return fromWire(parsed.error());
    auto enrolled = store.enroll(parsed->enrollment_code, parsed->device_name);
    if (!enrolled) {
        if (enrolled.error().message == "unknown enrollment code")
            return errorReply(403, QStringLiteral("unknown enrollment code"), QStringLiteral("enrollment_code"));
        return errorReply(503, QString::fromStdString(enrolled.error().message));
    }
    return jsonReply(201, {{QStringLiteral("device_id"), enrolled->device_id},
                           {QStringLiteral("token"), enrolled->token},
                           {QStringLiteral("school_id"), enrolled->school_id}});
}

// The push route's pool, and the bytes of pushes admitted and not yet
// answered. The pool is the route's alone; the count is shared with each
// push under way, so that the last of them never waits for the pool it runs on.
struct PushIntake {
    explicit PushIntake(std::int64_t limit) : queue_bytes(limit) {
        pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
        Metrics::callbackGauge(QStringLiteral("kite_push_queue_bytes"),
                               QStringLiteral("Bytes of pushes being read or stored (setting push_queue_bytes)."),
                               [b = bytes] { return QList<Sample>{{{}, static_cast<double>(b->load())}}; });
    }
    ~PushIntake() { pool.waitForDone(); }
    const std::int64_t queue_bytes;
    std::shared_ptr<std::atomic<std::int64_t>> bytes = std::make_shared<std::atomic<std::int64_t>>(0);
    QThreadPool pool;
};

// The events of a push, each checked (an invalid payload is set aside with
// its reason, and the rest go on), or the reply that refuses the whole push.
std::variant<PushBatch, Reply> readPush(const Principal& device, const QByteArray& body, QJsonArray& rejected) {
    const auto parsed = wire::parsePushRequest(body);
    if (!parsed) return fromWire(parsed.error());
    PushBatch batch{device, {}};
    batch.events.reserve(static_cast<qsizetype>(parsed->events.size()));
    for (const wire::PushEvent& e : parsed->events) {
        if (const auto checked = wire::checkPayload(e); !checked) {
            rejected.append(QJsonObject{{QStringLiteral("id"), e.id}, {QStringLiteral("reason"), checked.error().message}});
            continue;
        }
        IncomingEvent in;
        in.seq = e.seq;
        in.id = e.id;
        in.kind = e.kind;
        in.payload = QJsonDocument(e.payload).toJson(QJsonDocument::Compact);
        if (e.kind == QLatin1String("attempt")) in.learner = e.payload.value(QStringLiteral("learner")).toString();
        batch.events.push_back(std::move(in));
    }
    return batch;
}

void push(ServerStore& store, PushCommitter& committer, const std::shared_ptr<PushIntake>& intake,
          const Request& request, Responder responder) {
    auto who = authenticate(store, request, {Role::Device}, "push events");
    if (auto* error = std::get_if<Reply>(&who)) return responder.send(*error);
    const QByteArray body = request.body();
    const std::int64_t size = body.size();
    const bool small = size <= kSmallPushBytes;
    // Before the body is parsed: refusing costs the server next to nothing.
    if (const std::int64_t queued = intake->bytes->load(); !small && queued + size > intake->queue_bytes && queued > 0) {
        // About a second per 8 MB queued (a 2-core server's pace), at least one.
        const std::int64_t seconds = 1 + queued / (8 << 20);
        Reply busy = errorReply(503, QStringLiteral("the server is storing other devices' answers: send these again "
                                                    "in %1 s")
                                         .arg(seconds));
        busy.headers.push_back({"Retry-After", QByteArray::number(seconds)});
        return responder.send(busy);
    }
    *intake->bytes += size;
    // Runs on the HTTP thread (committer lives there): the reply, and the
    // bytes no longer queued.
    auto answer = [bytes = intake->bytes, size, responder](Reply reply) {
        *bytes -= size;
        responder.send(std::move(reply));
    };
    auto commit = [&committer, answer](PushBatch batch, QJsonArray rejected) {
        committer.submit(std::move(batch), [answer, rejected](const Result<PushOutcome>& outcome) {
            if (!outcome) return answer(errorReply(503, QString::fromStdString(outcome.error().message)));
            answer(jsonReply(202, {{QStringLiteral("accepted"), outcome->accepted},
                                   {QStringLiteral("duplicate"), outcome->duplicate},
                                   {QStringLiteral("rejected"), rejected},
                                   {QStringLiteral("max_seq"), static_cast<double>(outcome->max_seq)}}));
        });
    };
    auto read = [device = std::get<Principal>(who), body, answer, commit, &committer](bool onHttpThread) {
        QJsonArray rejected;
        auto batch = readPush(device, body, rejected);
        if (auto* refused = std::get_if<Reply>(&batch)) {
            if (onHttpThread) return answer(*refused);
            QMetaObject::invokeMethod(&committer, [answer, reply = *refused] { answer(reply); }, Qt::QueuedConnection);
            return;
        }
        commit(std::move(std::get<PushBatch>(batch)), std::move(rejected));
    };
    if (small) return read(true);
    intake->pool.start([read] { read(false); });
}

// A change as `device` receives it. A mastery change says, for this device
// alone, which of its answers the estimate includes (covers_seq), so that the
// device replays on top exactly those the server has not seen.
QJsonObject forDevice(const Change& c, const QString& device) {
    if (c.kind != QLatin1String("mastery")) return c.body;
    wire::MasteryChange m;
    m.learner = c.body.value(QStringLiteral("learner")).toString();
    m.course = c.body.value(QStringLiteral("course")).toString();
    m.skill = c.body.value(QStringLiteral("skill")).toString();
    const bool dkt = c.body.value(QStringLiteral("model")).toString() == QLatin1String("dkt");
    m.model = dkt ? wire::MasteryModel::Dkt : wire::MasteryModel::Bkt;
    m.probability = c.body.value(dkt ? QStringLiteral("p_correct") : QStringLiteral("p_known")).toDouble();
    m.covers_seq = c.body.value(QStringLiteral("covers")).toObject().value(device).toInteger();
    m.at = c.at;
    QJsonObject out = wire::toJson(wire::PullChange{m});
    out.insert(QStringLiteral("attempts"), c.body.value(QStringLiteral("attempts")));
    return out;
}

Reply pull(ServerStore& store, const Request& request) {
    auto who = authenticate(store, request, {Role::Device}, "pull changes");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& device = std::get<Principal>(who);
    std::int64_t cursor = 0;
    if (const QString c = request.query().queryItemValue(QStringLiteral("cursor")); !c.isEmpty()) {
        bool ok = false;
        cursor = c.toLongLong(&ok);
        if (!ok || cursor < 0)
            return errorReply(400, QStringLiteral("cursor: not a cursor this server gave out: '%1'").arg(c),
                              QStringLiteral("cursor"));
    }
    const auto limit = queryNumber(request, QStringLiteral("limit"), 500, 1, 1000);
    if (auto* error = std::get_if<Reply>(&limit)) return *error;
    auto changes = store.changesSince(device, cursor, static_cast<int>(std::get<std::int64_t>(limit)));
    if (!changes) return errorReply(503, QString::fromStdString(changes.error().message));
    QJsonArray out;
    for (const Change& c : *changes) {
        out.append(forDevice(c, device.subject));
        cursor = c.seq;
    }
    return jsonReply(200, {{QStringLiteral("changes"), out},
                           {QStringLiteral("cursor"), QString::number(cursor)},
                           {QStringLiteral("more"), changes->size() == std::get<std::int64_t>(limit)}});
}

}  // namespace

void addSyncRoutes(Router& router, ServerStore& store, PushCommitter& committer, std::int64_t queueBytes) {
    router.add(Method::Post, QStringLiteral("/v1/enroll"), [&store](const Request& r) { return enroll(store, r); });
    router.addAsync(Method::Post, QStringLiteral("/v1/sync/push"),
                    [&store, &committer, intake = std::make_shared<PushIntake>(queueBytes)](const Request& r,
                                                                                         Responder responder) {
                        push(store, committer, intake, r, std::move(responder));
                    });
    router.add(Method::Get, QStringLiteral("/v1/sync/pull"), [&store](const Request& r) { return pull(store, r); });
}

}  // namespace kite::server
