// kite-server's HTTP front: one QAbstractHttpServer whose requests all go
// through one Router, so that every reply (404s and 405s included) is JSON in
// the shape docs/protocol.md gives, and no client mistake becomes a 5xx.
#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerRequest>

#include <functional>
#include <optional>

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

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    Router router_;
    Observer observer_;
    Gate gate_;
};

}  // namespace kite::server
