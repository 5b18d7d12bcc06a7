// kite-server's HTTP front: one QAbstractHttpServer whose requests all go
// through one dispatcher, so that every reply (404s and 405s included) is
// JSON in the shape docs/protocol.md gives, and no client mistake becomes a
// 5xx.
#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonObject>

#include <functional>
#include <memory>
#include <utility>
#include <variant>

#include "kite/server_store.h"

namespace kite::server {

struct Reply {
    int status = 200;
    QJsonObject body;
    QList<std::pair<QByteArray, QByteArray>> headers;  // at most one (Allow, Retry-After)
};

// The error body of docs/protocol.md: {"error", "message", "field"}.
Reply errorReply(int status, const QString& message, const QString& field = {});

class HttpServer final : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit HttpServer(ServerStore& store, QObject* parent = nullptr);

    // Called after a push committed new work (to wake the workers).
    void onPushed(std::function<void()> callback) { on_pushed_ = std::move(callback); }

    // The route table, callable without a socket (tests use it directly).
    Reply dispatch(const QHttpServerRequest& request);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    Reply enroll(const QHttpServerRequest& request);
    Reply push(const QHttpServerRequest& request);
    Reply pull(const QHttpServerRequest& request);
    // The principal of an enrolled device's token, or the 401/403 to send;
    // `what` finishes "only an enrolled device ...".
    std::variant<Principal, Reply> authenticateDevice(const QHttpServerRequest& request, const char* what);

    ServerStore& store_;
    std::function<void()> on_pushed_;
};

}  // namespace kite::server
