#include "kite/stream_routes.h"

namespace kite::server {

namespace {

const QString kStreamPath = QStringLiteral("/v1/stream");

std::variant<Principal, Reply> streamPrincipal(ServerStore& store, const Request& request) {
    QString token;
    if (const QByteArray header = request.header("Authorization"); header.startsWith("Bearer "))
        token = QString::fromLatin1(header.mid(7).trimmed());
    else
        token = request.query().queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (token.isEmpty())
        return errorReply(401, QStringLiteral("missing 'Authorization: Bearer TOKEN' (or '?token=TOKEN' where headers "
                                              "cannot be set)"));
    auto principal = store.authenticate(token);
    if (!principal) return errorReply(503, QStringLiteral("the store is not available"));
    if (!principal->has_value())
        return errorReply(401, QStringLiteral("unknown or revoked token: the device must enroll again"));
    return **principal;
}

}  // namespace

void addStreamRoutes(HttpServer& server, ServerStore& store, StreamHub& hub) {
    // The same path without the upgrade is a mistake to explain.
    server.router().add(Method::Get, kStreamPath, [](const Request&) {
        return errorReply(400, QStringLiteral("GET /v1/stream is a WebSocket: open it with 'Connection: Upgrade' and "
                                              "'Upgrade: websocket'"));
    });
    server.setWebSocketRoute(
        kStreamPath, [&store](const Request& request) { return streamPrincipal(store, request); },
        [&hub](std::unique_ptr<QWebSocket> socket, const Principal& who) { hub.attach(std::move(socket), who); });
}

}  // namespace kite::server
