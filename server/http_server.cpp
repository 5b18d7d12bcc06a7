#include "kite/http_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <variant>

namespace kite::server {

namespace {

using Method = QHttpServerRequest::Method;

QString errorCode(int status) {
    switch (status) {
    case 400: return QStringLiteral("bad_request");
    case 401: return QStringLiteral("unauthorized");
    case 403: return QStringLiteral("forbidden");
    case 404: return QStringLiteral("not_found");
    case 405: return QStringLiteral("method_not_allowed");
    case 409: return QStringLiteral("conflict");
    case 413: return QStringLiteral("too_large");
    case 429: return QStringLiteral("rate_limited");
    case 503: return QStringLiteral("unavailable");
    default: return QStringLiteral("internal");
    }
}

constexpr qsizetype kMaxBodyBytes = 4 * 1024 * 1024;
constexpr qsizetype kMaxEventsPerPush = 1000;

// The request body as a JSON object, or the 4xx to send.
std::variant<QJsonObject, Reply> jsonBody(const QHttpServerRequest& request) {
    const QByteArray body = request.body();
    if (body.size() > kMaxBodyBytes) return errorReply(413, QStringLiteral("the body is larger than 4 MB"));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return errorReply(400, QStringLiteral("the body is not JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject()) return errorReply(400, QStringLiteral("the body must be a JSON object"));
    return doc.object();
}

QString typeName(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: return QStringLiteral("nothing");
    }
    return {};
}

// A required string field, or the 400 naming it.
std::variant<QString, Reply> requireString(const QJsonObject& o, const QString& key, const QString& path) {
    const QJsonValue v = o.value(key);
    if (!v.isString() || v.toString().trimmed().isEmpty())
        return errorReply(400, QStringLiteral("%1: expected a non-empty string, got %2").arg(path, typeName(v)), path);
    return v.toString();
}

}  // namespace

Reply errorReply(int status, const QString& message, const QString& field) {
    Reply r;
    r.status = status;
    r.body = QJsonObject{{QStringLiteral("error"), errorCode(status)}, {QStringLiteral("message"), message}};
    if (!field.isEmpty()) r.body.insert(QStringLiteral("field"), field);
    return r;
}

HttpServer::HttpServer(ServerStore& store, QObject* parent) : QAbstractHttpServer(parent), store_(store) {}

bool HttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    const Reply reply = dispatch(request);
    QHttpServerResponder responder = makeResponder(request, socket);
    const QByteArray body = QJsonDocument(reply.body).toJson(QJsonDocument::Compact);
    const auto status = static_cast<QHttpServerResponder::StatusCode>(reply.status);
    // Qt 6.4 takes headers as an initializer list: at most one extra header
    // (Allow, Retry-After) is ever needed.
    if (reply.headers.isEmpty()) {
        responder.write(body, {{"Content-Type", "application/json"}}, status);
    } else {
        responder.write(body, {{"Content-Type", "application/json"}, reply.headers.front()}, status);
    }
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    // Not reached: handleRequest answers everything.
    handleRequest(request, socket);
}

std::variant<Principal, Reply> HttpServer::authenticate(const QHttpServerRequest& request) {
    const QByteArray header = request.value("Authorization");
    if (!header.startsWith("Bearer "))
        return errorReply(401, QStringLiteral("missing 'Authorization: Bearer TOKEN'"));
    auto principal = store_.authenticate(QString::fromLatin1(header.mid(7).trimmed()));
    if (!principal) return errorReply(503, QStringLiteral("the store is not available"));
    if (!principal->has_value())
        return errorReply(401, QStringLiteral("unknown or revoked token: the device must enroll again"));
    return **principal;
}

Reply HttpServer::dispatch(const QHttpServerRequest& request) {
    const QString path = request.url().path();
    const Method method = request.method();
    struct Route {
        const char* path;
        Method method;
        Reply (HttpServer::*handler)(const QHttpServerRequest&);
    };
    static const Route routes[] = {
        {"/v1/enroll", Method::Post, &HttpServer::enroll},
        {"/v1/sync/push", Method::Post, &HttpServer::push},
        {"/v1/sync/pull", Method::Get, &HttpServer::pull},
    };
    if (path == QLatin1String("/healthz") || path == QLatin1String("/readyz")) {
        if (method != Method::Get) return errorReply(405, QStringLiteral("%1 takes GET").arg(path));
        Reply r;
        r.body = QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}};
        return r;
    }
    for (const Route& route : routes) {
        if (path != QLatin1String(route.path)) continue;
        if (method != route.method) {
            const char* allowed = route.method == Method::Get ? "GET" : "POST";
            Reply r = errorReply(405, QStringLiteral("%1 takes %2").arg(path, QLatin1String(allowed)));
            r.headers.push_back({"Allow", allowed});
            return r;
        }
        return (this->*route.handler)(request);
    }
    return errorReply(404, QStringLiteral("no route %1").arg(path));
}

Reply HttpServer::enroll(const QHttpServerRequest& request) {
    auto body = jsonBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    const QJsonObject& o = std::get<QJsonObject>(body);
    auto code = requireString(o, QStringLiteral("enrollment_code"), QStringLiteral("enrollment_code"));
    if (auto* error = std::get_if<Reply>(&code)) return *error;
    auto name = requireString(o, QStringLiteral("device_name"), QStringLiteral("device_name"));
    if (auto* error = std::get_if<Reply>(&name)) return *error;
    auto enrolled = store_.enroll(std::get<QString>(code), std::get<QString>(name));
    if (!enrolled) {
        if (enrolled.error().message == "unknown enrollment code")
            return errorReply(403, QStringLiteral("unknown enrollment code"), QStringLiteral("enrollment_code"));
        return errorReply(503, QString::fromStdString(enrolled.error().message));
    }
    Reply r;
    r.status = 201;
    r.body = QJsonObject{{QStringLiteral("device_id"), enrolled->device_id},
                         {QStringLiteral("token"), enrolled->token},
                         {QStringLiteral("school_id"), enrolled->school_id}};
    return r;
}

Reply HttpServer::push(const QHttpServerRequest& request) {
    auto who = authenticate(request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& device = std::get<Principal>(who);
    if (device.role != Role::Device) return errorReply(403, QStringLiteral("only an enrolled device pushes events"));
    auto body = jsonBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    const QJsonValue eventsValue = std::get<QJsonObject>(body).value(QStringLiteral("events"));
    if (!eventsValue.isArray())
        return errorReply(400, QStringLiteral("events: expected an array, got %1").arg(typeName(eventsValue)),
                          QStringLiteral("events"));
    const QJsonArray events = eventsValue.toArray();
    if (events.size() > kMaxEventsPerPush)
        return errorReply(413, QStringLiteral("events: at most %1 per push, got %2").arg(kMaxEventsPerPush).arg(events.size()),
                          QStringLiteral("events"));

    QList<IncomingEvent> incoming;
    QJsonArray rejected;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QString at = QStringLiteral("events[%1]").arg(i);
        if (!events[i].isObject())
            return errorReply(400, QStringLiteral("%1: expected an object, got %2").arg(at, typeName(events[i])), at);
        const QJsonObject e = events[i].toObject();
        const QJsonValue seq = e.value(QStringLiteral("seq"));
        if (!seq.isDouble() || seq.toDouble() < 1 || seq.toDouble() != static_cast<double>(seq.toInteger()))
            return errorReply(400, QStringLiteral("%1.seq: expected a whole number >= 1").arg(at), at + QStringLiteral(".seq"));
        auto id = requireString(e, QStringLiteral("id"), at + QStringLiteral(".id"));
        if (auto* error = std::get_if<Reply>(&id)) return *error;
        auto kind = requireString(e, QStringLiteral("kind"), at + QStringLiteral(".kind"));
        if (auto* error = std::get_if<Reply>(&kind)) return *error;
        const QJsonValue payload = e.value(QStringLiteral("payload"));
        if (!payload.isObject())
            return errorReply(400, QStringLiteral("%1.payload: expected an object, got %2").arg(at, typeName(payload)),
                              at + QStringLiteral(".payload"));
        IncomingEvent in;
        in.seq = seq.toInteger();
        in.id = std::get<QString>(id);
        in.kind = std::get<QString>(kind);
        in.payload = QJsonDocument(payload.toObject()).toJson(QJsonDocument::Compact);
        if (in.kind == QLatin1String("attempt")) {
            in.learner = payload.toObject().value(QStringLiteral("learner")).toString();
            if (in.learner.isEmpty()) {
                // Invalid as sent: set aside with its reason, the rest goes on.
                rejected.append(QJsonObject{{QStringLiteral("id"), in.id},
                                            {QStringLiteral("reason"), QStringLiteral("payload.learner: missing")}});
                continue;
            }
        } else if (in.kind != QLatin1String("statement")) {
            rejected.append(QJsonObject{{QStringLiteral("id"), in.id},
                                        {QStringLiteral("reason"),
                                         QStringLiteral("kind: expected \"attempt\" or \"statement\", got \"%1\"").arg(in.kind)}});
            continue;
        }
        incoming.push_back(in);
    }
    auto outcome = store_.push(device, incoming);
    if (!outcome) return errorReply(503, QString::fromStdString(outcome.error().message));
    if (outcome->accepted > 0 && on_pushed_) on_pushed_();
    Reply r;
    r.status = 202;
    r.body = QJsonObject{{QStringLiteral("accepted"), outcome->accepted},
                         {QStringLiteral("duplicate"), outcome->duplicate},
                         {QStringLiteral("rejected"), rejected},
                         {QStringLiteral("max_seq"), static_cast<double>(outcome->max_seq)}};
    return r;
}

Reply HttpServer::pull(const QHttpServerRequest& request) {
    auto who = authenticate(request);
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& device = std::get<Principal>(who);
    if (device.role != Role::Device) return errorReply(403, QStringLiteral("only an enrolled device pulls changes"));
    const QUrlQuery query(request.url());
    std::int64_t cursor = 0;
    if (const QString c = query.queryItemValue(QStringLiteral("cursor")); !c.isEmpty()) {
        bool ok = false;
        cursor = c.toLongLong(&ok);
        if (!ok || cursor < 0)
            return errorReply(400, QStringLiteral("cursor: not a cursor this server gave out: '%1'").arg(c),
                              QStringLiteral("cursor"));
    }
    int limit = 500;
    if (const QString l = query.queryItemValue(QStringLiteral("limit")); !l.isEmpty()) {
        bool ok = false;
        limit = l.toInt(&ok);
        if (!ok || limit < 1 || limit > 1000)
            return errorReply(400, QStringLiteral("limit: expected a whole number from 1 to 1000, got '%1'").arg(l),
                              QStringLiteral("limit"));
    }
    auto changes = store_.changesSince(device, cursor, limit);
    if (!changes) return errorReply(503, QString::fromStdString(changes.error().message));
    QJsonArray out;
    for (const Change& c : *changes) {
        out.append(c.body);
        cursor = c.seq;
    }
    Reply r;
    r.body = QJsonObject{{QStringLiteral("changes"), out},
                         {QStringLiteral("cursor"), QString::number(cursor)},
                         {QStringLiteral("more"), changes->size() == limit}};
    return r;
}

}  // namespace kite::server
