// kite-server's HTTP front: one QAbstractHttpServer whose requests all go
// through one Router, so that every reply (404s and 405s included) is JSON in
// the shape docs/protocol.md gives, and no client mistake becomes a 5xx.
#pragma once

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerRequest>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "kite/http.h"

namespace kite::server {

class HttpServer final : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit HttpServer(QObject* parent = nullptr);

    Router& router() { return router_; }

    // Called once per reply sent: the route pattern ("" for no route), the
    // status, and the seconds from request to reply. For /metrics.
    using Observer = std::function<void(const QString& route, Method method, int status, double seconds)>;
    void setObserver(Observer observer) { observer_ = std::move(observer); }

    // Runs before each request's handler (and before 404/405); a reply it
    // gives is sent instead of the handler's: the rate limit's 429, ...
    using Gate = std::function<std::optional<Reply>(const QHttpServerRequest& request)>;
    void setGate(Gate gate) { gate_ = std::move(gate); }

    // The most a request body may hold once its Content-Encoding (gzip) is
    // undone. A routed request's compressed body is inflated after the gate
    // and before the handler: up to this, else a 413 (compression.h).
    void setMaxBodyBytes(std::int64_t bytes) { max_body_bytes_ = bytes; }

    // WebSocket upgrades of `GET path` (one path: the stream). `check` sees
    // the upgrade request and gives the principal to accept it as, or the
    // refusal (a JSON 4xx, sent before the connection is closed). Once the
    // handshake is done, an accepted socket goes to `accepted` with that
    // principal. An upgrade of any other path is a 404.
    using UpgradeCheck = std::function<std::variant<Principal, Reply>(const Request&)>;
    using WebSocketHandler = std::function<void(std::unique_ptr<QWebSocket>, const Principal&)>;
    void setWebSocketRoute(const QString& path, UpgradeCheck check, WebSocketHandler accepted);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    Responder responderFor(const QHttpServerRequest& request, QTcpSocket* socket, const QString& route);
    bool handleUpgrade(const QHttpServerRequest& request, QTcpSocket* socket);
    void takeWebSockets();

    Router router_;
    Observer observer_;
    Gate gate_;
    std::int64_t max_body_bytes_ = 4 * 1024 * 1024;

    QString ws_path_;
    UpgradeCheck ws_check_;
    WebSocketHandler ws_accepted_;
    // Accepted upgrades whose handshake QWebSocketServer has yet to finish,
    // by the peer's "address port" (unique among open connections).
    struct Upgrading {
        Principal who;
        std::int64_t at_ms = 0;
    };
    QHash<QString, Upgrading> upgrading_;
    // A refused upgrade's reply, for missingHandler, which Qt calls right
    // after handleRequest returns false.
    struct Refusal {
        QTcpSocket* socket = nullptr;
        Responder responder;
        Reply reply;
    };
    std::optional<Refusal> refusal_;
};

}  // namespace kite::server
