// What a route handler sees and gives back: the request with its path
// parameters, a reply (JSON by default), and a Responder that may outlive the
// handler (a push answers only after its group commit). Routes are added to a
// Router area by area (sync_routes.cpp, ...), so that each area is one file.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "kite/server_store.h"

class QTcpSocket;
class QHttpServerResponder;

namespace kite::server {

using Method = QHttpServerRequest::Method;

struct Reply {
    int status = 200;
    QByteArray body;
    QByteArray content_type = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;  // Allow, Retry-After, ETag, ...
};

// A JSON reply.
Reply jsonReply(int status, const QJsonObject& body);
// The error body of docs/protocol.md: {"error", "message", "field"}.
Reply errorReply(int status, const QString& message, const QString& field = {});

struct Request {
    const QHttpServerRequest& http;
    QHash<QString, QString> params;  // the {name} parts of the route's path
    // The body with its Content-Encoding (gzip) undone, when it had one.
    std::optional<QByteArray> decoded_body = std::nullopt;

    QByteArray header(const QByteArray& name) const { return http.value(name); }
    // As the route must read it: inflated when it was sent gzip-compressed.
    QByteArray body() const { return decoded_body ? *decoded_body : http.body(); }
    QUrlQuery query() const { return QUrlQuery(http.url()); }
    QString param(const QString& name) const { return params.value(name); }
};

// Where a reply goes. Send exactly once, on the server's (main) thread; a
// reply to a client that has gone away is dropped. Copies share one reply.
class Responder {
public:
    Responder() = default;
    void send(Reply reply) const;
    bool sent() const;

private:
    friend class HttpServer;
    struct State;
    std::shared_ptr<State> state_;
};

using Handler = std::function<void(const Request&, Responder)>;
using SyncHandler = std::function<Reply(const Request&)>;

// Paths with {name} segments, e.g. "/v1/jobs/{id}". A path that matches a
// route under another method is a 405 with Allow; no match is a 404.
class Router {
public:
    void add(Method method, const QString& pattern, SyncHandler handler);
    void addAsync(Method method, const QString& pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr;  // null: no route for this method
        QString route;                     // the pattern, for metrics ("" if none)
        QHash<QString, QString> params;
        QByteArray allow;  // when the path matched under other methods only
    };
    Match match(Method method, const QString& path) const;

private:
    struct Route {
        Method method;
        QString pattern;
        QStringList segments;
        Handler handler;
    };
    QList<Route> routes_;
};

// The principal of the request's bearer token if its role is one of
// `allowed`, else the 401/403 to send. `what` completes "only ... may".
std::variant<Principal, Reply> authenticate(ServerStore& store, const Request& request,
                                            std::initializer_list<Role> allowed, const char* what);

// Reads an optional whole-number query parameter within [min, max].
std::variant<std::int64_t, Reply> queryNumber(const Request& request, const QString& name, std::int64_t fallback,
                                              std::int64_t min, std::int64_t max);

}  // namespace kite::server
