#include "kite/http.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include "kite/http_server.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

const char* reasonPhrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
    }
}

const char* methodName(Method m) {
    switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
    case Method::Patch: return "PATCH";
    case Method::Head: return "HEAD";
    case Method::Options: return "OPTIONS";
    default: return "?";
    }
}

}  // namespace

Reply jsonReply(int status, const QJsonObject& body) {
    Reply r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

Reply errorReply(int status, const QString& message, const QString& field) {
    return jsonReply(status, wire::toJson(wire::ErrorReply{status, wire::errorCodeOf(status), message, field}));
}

// ---------------------------------------------------------------- Responder

struct Responder::State {
    QPointer<QTcpSocket> socket;
    bool sent = false;
    QElapsedTimer timer;
    QString route;
    Method method = Method::Unknown;
    const HttpServer::Observer* observer = nullptr;  // owned by the server, which outlives its sockets
};

void Responder::send(Reply reply) const {
    if (!state_ || state_->sent) return;
    state_->sent = true;
    if (state_->observer && *state_->observer)
        (*state_->observer)(state_->route, state_->method, reply.status, state_->timer.nsecsElapsed() / 1e9);
    QTcpSocket* socket = state_->socket.data();
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) return;  // the client went away
    QByteArray out;
    out.reserve(128 + reply.body.size());
    out += "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    if (!reply.content_type.isEmpty()) out += "Content-Type: " + reply.content_type + "\r\n";
    // 204 and 304 have no body, and no Content-Length (RFC 9110 8.6).
    const bool bodyless = reply.status == 204 || reply.status == 304;
    if (!bodyless) out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!bodyless) out += reply.body;
    socket->write(out);
}

bool Responder::sent() const {
    return state_ && state_->sent;
}

// ---------------------------------------------------------------- Router

void Router::add(Method method, const QString& pattern, SyncHandler handler) {
    addAsync(method, pattern,
             [handler = std::move(handler)](const Request& request, Responder responder) {
                 responder.send(handler(request));
             });
}

void Router::addAsync(Method method, const QString& pattern, Handler handler) {
    routes_.push_back(Route{method, pattern, pattern.split(QLatin1Char('/')), std::move(handler)});
}

Router::Match Router::match(Method method, const QString& path) const {
    Match out;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const Route& route : routes_) {
        if (route.segments.size() != parts.size()) continue;
        QHash<QString, QString> params;
        bool same = true;
        for (qsizetype i = 0; i < parts.size() && same; ++i) {
            const QString& s = route.segments[i];
            if (s.startsWith(QLatin1Char('{')) && s.endsWith(QLatin1Char('}'))) {
                if (parts[i].isEmpty()) same = false;
                else params.insert(s.mid(1, s.size() - 2), parts[i]);
            } else {
                same = s == parts[i];
            }
        }
        if (!same) continue;
        if (route.method != method) {
            if (!out.allow.isEmpty()) out.allow += ", ";
            out.allow += methodName(route.method);
            if (out.route.isEmpty()) out.route = route.pattern;
            continue;
        }
        out.handler = &route.handler;
        out.route = route.pattern;
        out.params = std::move(params);
        return out;
    }
    return out;
}

// ---------------------------------------------------------------- helpers

std::variant<Principal, Reply> authenticate(ServerStore& store, const Request& request,
                                            std::initializer_list<Role> allowed, const char* what) {
    const QByteArray header = request.header("Authorization");
    if (!header.startsWith("Bearer "))
        return errorReply(401, QStringLiteral("missing 'Authorization: Bearer TOKEN'"));
    auto principal = store.authenticate(QString::fromLatin1(header.mid(7).trimmed()));
    if (!principal) return errorReply(503, QStringLiteral("the store is not available"));
    if (!principal->has_value())
        return errorReply(401, QStringLiteral("unknown or revoked token: the device must enroll again"));
    for (Role role : allowed)
        if ((*principal)->role == role) return **principal;
    QStringList names;
    for (Role role : allowed) names << toString(role);
    auto article = [](const QString& word) {
        return (word.startsWith(QLatin1Char('a')) ? QStringLiteral("an ") : QStringLiteral("a ")) + word;
    };
    return errorReply(403, QStringLiteral("only %1 token may %2 (this one is %3 token)")
                               .arg(article(names.join(QStringLiteral(" or "))), QLatin1String(what),
                                    article(toString((*principal)->role))));
}

std::variant<std::int64_t, Reply> queryNumber(const Request& request, const QString& name, std::int64_t fallback,
                                              std::int64_t min, std::int64_t max) {
    const QString text = request.query().queryItemValue(name);
    if (text.isEmpty()) return fallback;
    bool ok = false;
    const std::int64_t value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return errorReply(400, QStringLiteral("%1: expected a whole number from %2 to %3, got '%4'")
                                   .arg(name).arg(min).arg(max).arg(text),
                          name);
    return value;
}

// ---------------------------------------------------------------- HttpServer

HttpServer::HttpServer(QObject* parent) : QAbstractHttpServer(parent) {
    router_.add(Method::Get, QStringLiteral("/healthz"),
                [](const Request&) { return jsonReply(200, {{QStringLiteral("status"), QStringLiteral("ok")}}); });
    router_.add(Method::Get, QStringLiteral("/readyz"),
                [](const Request&) { return jsonReply(200, {{QStringLiteral("status"), QStringLiteral("ok")}}); });
}

bool HttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    Responder responder;
    responder.state_ = std::make_shared<Responder::State>();
    responder.state_->socket = socket;
    responder.state_->timer.start();
    responder.state_->method = request.method();
    responder.state_->observer = &observer_;

    const QString path = request.url().path();
    Router::Match match = router_.match(request.method(), path);
    responder.state_->route = match.route;
    if (gate_) {
        if (std::optional<Reply> refused = gate_(request)) {
            responder.send(std::move(*refused));
            return true;
        }
    }
    if (!match.handler) {
        if (match.allow.isEmpty()) {
            responder.send(errorReply(404, QStringLiteral("no route %1").arg(path)));
        } else {
            Reply r = errorReply(405, QStringLiteral("%1 takes %2").arg(path, QString::fromLatin1(match.allow)));
            r.headers.push_back({"Allow", match.allow});
            responder.send(r);
        }
        return true;
    }
    (*match.handler)(Request{request, std::move(match.params)}, responder);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    // Not reached: handleRequest answers everything.
    handleRequest(request, socket);
}

}  // namespace kite::server
