#include "kite/http_server.h"

#include "kite/wire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <variant>

namespace kite::server {

namespace {

using Method = QHttpServerRequest::Method;

// A wire error as the reply docs/protocol.md describes.
Reply fromWire(const wire::WireError& e) {
    return errorReply(e.status, e.message, e.field);
}

}  // namespace

Reply errorReply(int status, const QString& message, const QString& field) {
    Reply r;
    r.status = status;
    r.body = wire::toJson(wire::ErrorReply{status, wire::errorCodeOf(status), message, field});
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

std::variant<Principal, Reply> HttpServer::authenticateDevice(const QHttpServerRequest& request, const char* what) {
    const QByteArray header = request.value("Authorization");
    if (!header.startsWith("Bearer "))
        return errorReply(401, QStringLiteral("missing 'Authorization: Bearer TOKEN'"));
    auto principal = store_.authenticate(QString::fromLatin1(header.mid(7).trimmed()));
    if (!principal) return errorReply(503, QStringLiteral("the store is not available"));
    if (!principal->has_value())
        return errorReply(401, QStringLiteral("unknown or revoked token: the device must enroll again"));
    if ((*principal)->role != Role::Device)
        return errorReply(403, QStringLiteral("only an enrolled device %1").arg(QLatin1String(what)));
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
    const auto parsed = wire::parseEnrollRequest(request.body());
    if (!parsed) return fromWire(parsed.error());
    auto enrolled = store_.enroll(parsed->enrollment_code, parsed->device_name);
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
    auto who = authenticateDevice(request, "pushes events");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& device = std::get<Principal>(who);
    const auto parsed = wire::parsePushRequest(request.body());
    if (!parsed) return fromWire(parsed.error());

    // The envelope of every event is sound (else the 400 above). An event
    // whose payload is invalid is set aside with its reason; the rest go on.
    QList<IncomingEvent> incoming;
    QJsonArray rejected;
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
    auto who = authenticateDevice(request, "pulls changes");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& device = std::get<Principal>(who);
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
