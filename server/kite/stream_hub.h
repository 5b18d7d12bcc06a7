// The live connections of GET /v1/stream, on the server's (main) thread:
// whose each socket is (school, role, subject), pokes ({"type": "changes"}:
// something is waiting to be pulled) coalesced to one per device per
// interval, "mastery" to the school's staff (a grid to read again), messages
// for live polls, and pings that drop connections gone silent. Messages are JSON text frames with a "type" (docs/protocol.md,
// "Stream"). pokeLearners and pokeSchool may be called from any thread; the
// rest only from the hub's.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QWebSocket>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include "kite/coalescer.h"
#include "kite/mastery_worker.h"
#include "kite/server_store.h"
#include "kite/stream_store.h"
#include "kite/wire.h"

namespace kite::server {

class StreamHub final : public QObject {
    Q_OBJECT
public:
    struct Settings {
        // The server pings every interval and closes a socket it has heard
        // nothing from (no pong, no message) for two.
        std::chrono::milliseconds ping_interval{30'000};
        // At most one poke per device per interval.
        std::chrono::milliseconds poke_interval{250};
        // Sockets one token may hold open at once; a new one past it is closed.
        int max_sockets_per_subject = 8;
        // Incoming messages are small JSON objects, and few: past the rate,
        // a socket's messages are refused (one "rate_limited" error a second).
        qint64 max_message_bytes = 64 * 1024;
        int max_messages_per_second = 20;
    };

    // `store` (the server thread's) maps learners to their devices.
    StreamHub(StreamStore& store, Settings settings, QObject* parent = nullptr);
    ~StreamHub() override;

    // Takes an accepted socket of `who` (HttpServer's WebSocket route).
    void attach(std::unique_ptr<QWebSocket> socket, const Principal& who);

    // Pokes the devices that have answered for these learners (and the
    // learners' own tokens): their mastery changed. The staff (admin and
    // teacher) streams of their schools get {"type": "mastery"}, at most one
    // per stream per poke interval. Any thread.
    void pokeLearners(const LearnerKeys& written);
    // Pokes every device of `school`: a school-wide change (a course, BKT
    // parameters) is waiting. Any thread.
    void pokeSchool(const QString& school);

    // Sends `message` to every device socket of `school`.
    void sendToDevices(const QString& school, const QJsonObject& message);
    // Sends `message` to the sockets of `school` whose token has `subject`
    // and one of `roles`.
    void sendTo(const QString& school, const QString& subject, std::initializer_list<Role> roles,
                const QJsonObject& message);

    // Messages of `type` from clients go to `handler`; what it returns (unless
    // empty) goes back to the sender. Other types get an "error" message.
    using MessageHandler = std::function<QJsonObject(const Principal& from, const QJsonObject& message)>;
    void handle(const QString& type, MessageHandler handler);
    // What to send a socket as soon as it is attached (e.g. the open polls).
    using Greeter = std::function<QList<QJsonObject>(const Principal& who)>;
    void setGreeter(Greeter greeter) { greeter_ = std::move(greeter); }

    // Open sockets.
    int connections() const { return static_cast<int>(clients_.size()); }

    // The stream's error message: the body of an HTTP error with "type":
    // "error" and, if given, "in_reply_to" (the type of the message refused).
    static QJsonObject errorMessage(const QString& inReplyTo, const wire::ErrorReply& error);

private:
    struct Client {
        std::unique_ptr<QWebSocket> socket;
        Principal who;
        QString key;                   // school, role and subject
        std::int64_t heard_at_ms = 0;  // the last pong or message (monotonic)
        std::int64_t window_ms = 0;    // the start of the current second of messages
        int window_messages = 0;
    };

    void send(QWebSocket* socket, const QJsonObject& message);
    void received(QWebSocket* socket, const QString& text);
    void detach(QWebSocket* socket);
    void pingAll();
    void pokeKey(const QString& key);
    void sendMastery(const QString& key);

    StreamStore& store_;
    Settings settings_;
    std::unordered_map<QWebSocket*, Client> clients_;
    QMultiHash<QString, QWebSocket*> by_key_;
    QHash<QString, int> per_school_;  // open sockets by school
    QHash<QString, MessageHandler> handlers_;
    Greeter greeter_;
    Coalescer pokes_;
    Coalescer staff_pokes_;  // "mastery" to admin and teacher streams
    QTimer ping_timer_;
};

}  // namespace kite::server
