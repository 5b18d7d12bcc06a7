#include "kite/http.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include "kite/compression.h"
#include "kite/http_server.h"
#include "kite/sql.h"
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

// Exactly the test QAbstractHttpServer 6.4 makes before it hands a request's
// socket to its QWebSocketServer (qabstracthttpserver.cpp, handleReadyRead):
// a request it treats as an upgrade must be answered as one here, and no other.
bool isWebSocketUpgrade(const QHttpServerRequest& request) {
    return request.value("connection").toLower().contains("upgrade") &&
           request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

QString peerKey(const QHostAddress& address, quint16 port) {
    return address.toString() + QLatin1Char(' ') + QString::number(port);
}

// How long an accepted upgrade may wait for its handshake (which Qt runs on
// the next turn of the event loop) before it is forgotten.
constexpr std::int64_t kUpgradeWaitMs = 60'000;

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
    // Always connected, so that Qt hands over every upgrade handleRequest
    // accepts (and refuses, via missingHandler, every one it does not).
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &HttpServer::takeWebSockets);
}

void HttpServer::setWebSocketRoute(const QString& path, UpgradeCheck check, WebSocketHandler accepted) {
    ws_path_ = path;
    ws_check_ = std::move(check);
    ws_accepted_ = std::move(accepted);
}

Responder HttpServer::responderFor(const QHttpServerRequest& request, QTcpSocket* socket, const QString& route) {
    Responder responder;
    responder.state_ = std::make_shared<Responder::State>();
    responder.state_->socket = socket;
    responder.state_->timer.start();
    responder.state_->method = request.method();
    responder.state_->observer = &observer_;
    responder.state_->route = route;
    return responder;
}

bool HttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    if (isWebSocketUpgrade(request)) return handleUpgrade(request, socket);
    const QString path = request.url().path();
    Router::Match match = router_.match(request.method(), path);
    Responder responder = responderFor(request, socket, match.route);
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
    // Every route reads the body as sent, whatever its Content-Encoding.
    std::variant<QByteArray, Reply> body = decodedBody(request, static_cast<qsizetype>(max_body_bytes_));
    if (auto* refused = std::get_if<Reply>(&body)) {
        responder.send(std::move(*refused));
        return true;
    }
    Request routed{request, std::move(match.params)};
    if (!request.value("Content-Encoding").isEmpty()) routed.decoded_body = std::move(std::get<QByteArray>(body));
    (*match.handler)(routed, responder);
    return true;
}

// Qt's upgrade path (6.4): when handleRequest returns true the socket goes to
// an internal QWebSocketServer, which reads the handshake again and finishes
// it on a later turn of the event loop (newWebSocketConnection), without the
// request; when it returns false, Qt calls missingHandler and then closes the
// connection. So a refusal is returned as false and written by
// missingHandler, and nothing is written for an acceptance: the principal
// waits, keyed by the peer's address and port, for the socket to come out.
bool HttpServer::handleUpgrade(const QHttpServerRequest& request, QTcpSocket* socket) {
    const QString path = request.url().path();
    const bool ours = ws_check_ && path == ws_path_;
    Responder responder = responderFor(request, socket, ours ? ws_path_ : QString());
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    upgrading_.remove(key);
    std::variant<Principal, Reply> decision = errorReply(404, QStringLiteral("no WebSocket at %1").arg(path));
    if (ours && request.method() != Method::Get) {
        Reply r = errorReply(405, QStringLiteral("%1 takes GET").arg(path));
        r.headers.push_back({"Allow", "GET"});
        decision = r;
    } else if (ours) {
        decision = ws_check_(Request{request, {}});
    }
    if (auto* refusal = std::get_if<Reply>(&decision)) {
        refusal_ = Refusal{socket, responder, std::move(*refusal)};
        return false;
    }
    const std::int64_t now = nowMs();
    for (auto it = upgrading_.begin(); it != upgrading_.end();)
        it = now - it->at_ms > kUpgradeWaitMs ? upgrading_.erase(it) : std::next(it);
    upgrading_.insert(key, Upgrading{std::get<Principal>(decision), now});
    if (observer_) observer_(ws_path_, Method::Get, 101, responder.state_->timer.nsecsElapsed() / 1e9);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    if (refusal_ && refusal_->socket == socket) {
        Refusal refused = std::move(*refusal_);
        refusal_.reset();
        refused.responder.send(std::move(refused.reply));
        return;
    }
    // Not reached: handleRequest answers everything else.
    responderFor(request, socket, {}).send(errorReply(404, QStringLiteral("no route %1").arg(request.url().path())));
}

void HttpServer::takeWebSockets() {
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (!socket) break;
        const auto it = upgrading_.find(peerKey(socket->peerAddress(), socket->peerPort()));
        if (it == upgrading_.end() || !ws_accepted_) {
            // Not one handleRequest accepted (or it waited too long).
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("not authenticated"));
            socket.release()->deleteLater();
            continue;
        }
        const Principal who = it->who;
        upgrading_.erase(it);
        ws_accepted_(std::move(socket), who);
    }
}

}  // namespace kite::server
