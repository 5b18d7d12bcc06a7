#include "kite/stream_hub.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QMetaObject>
#include <QThread>

#include <cstdio>

#include "kite/wire.h"

namespace kite::server {

namespace {

std::int64_t monotonicMs() {
    return QDeadlineTimer::current().deadline();
}

QString keyOf(const QString& school, Role role, const QString& subject) {
    return school + QLatin1Char('\n') + toString(role) + QLatin1Char('\n') + subject;
}

wire::ErrorReply badRequest(const QString& message, const QString& field = {}) {
    return wire::ErrorReply{400, wire::errorCodeOf(400), message, field};
}

}  // namespace

QJsonObject StreamHub::errorMessage(const QString& inReplyTo, const wire::ErrorReply& error) {
    QJsonObject out = wire::toJson(error);
    out.insert(QStringLiteral("type"), QStringLiteral("error"));
    if (!inReplyTo.isEmpty()) out.insert(QStringLiteral("in_reply_to"), inReplyTo);
    return out;
}

StreamHub::StreamHub(StreamStore& store, Settings settings, QObject* parent)
    : QObject(parent), store_(store), settings_(settings),
      pokes_(settings.poke_interval, [this](const QString& key) { pokeKey(key); }),
      staff_pokes_(settings.poke_interval, [this](const QString& key) { sendMastery(key); }) {
    connect(&ping_timer_, &QTimer::timeout, this, &StreamHub::pingAll);
    ping_timer_.start(settings_.ping_interval);
}

StreamHub::~StreamHub() {
    for (auto& [socket, client] : clients_) {
        socket->disconnect(this);
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("the server is stopping"));
    }
}

void StreamHub::attach(std::unique_ptr<QWebSocket> socket, const Principal& who) {
    QWebSocket* s = socket.get();
    if (s->state() != QAbstractSocket::ConnectedState) {
        socket.release()->deleteLater();
        return;
    }
    const QString key = keyOf(who.school, who.role, who.subject);
    if (by_key_.count(key) >= settings_.max_sockets_per_subject) {
        s->close(QWebSocketProtocol::CloseCodePolicyViolated,
                 QStringLiteral("at most %1 streams per token").arg(settings_.max_sockets_per_subject));
        socket.release()->deleteLater();
        return;
    }
    s->setMaxAllowedIncomingMessageSize(static_cast<quint64>(settings_.max_message_bytes));
    s->setMaxAllowedIncomingFrameSize(static_cast<quint64>(settings_.max_message_bytes));
    connect(s, &QWebSocket::textMessageReceived, this, [this, s](const QString& text) { received(s, text); });
    connect(s, &QWebSocket::binaryMessageReceived, this, [this, s](const QByteArray&) {
        send(s, errorMessage({}, badRequest(QStringLiteral("expected JSON text messages, got a binary one"))));
    });
    connect(s, &QWebSocket::pong, this, [this, s](quint64, const QByteArray&) {
        if (auto it = clients_.find(s); it != clients_.end()) it->second.heard_at_ms = monotonicMs();
    });
    connect(s, &QWebSocket::disconnected, this, [this, s] { detach(s); });
    clients_.emplace(s, Client{std::move(socket), who, key, monotonicMs()});
    by_key_.insert(key, s);
    ++per_school_[who.school];
    if (greeter_)
        for (const QJsonObject& message : greeter_(who)) send(s, message);
}

void StreamHub::detach(QWebSocket* socket) {
    const auto it = clients_.find(socket);
    if (it == clients_.end()) return;
    socket->disconnect(this);
    by_key_.remove(it->second.key, socket);
    if (!by_key_.contains(it->second.key)) {
        pokes_.forget(it->second.key);
        staff_pokes_.forget(it->second.key);
    }
    if (--per_school_[it->second.who.school] <= 0) per_school_.remove(it->second.who.school);
    // Not deleted here: this may run inside one of the socket's own signals.
    it->second.socket.release()->deleteLater();
    clients_.erase(it);
}

void StreamHub::send(QWebSocket* socket, const QJsonObject& message) {
    socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void StreamHub::received(QWebSocket* socket, const QString& text) {
    const auto it = clients_.find(socket);
    if (it == clients_.end()) return;
    Client& client = it->second;
    client.heard_at_ms = monotonicMs();
    if (client.heard_at_ms - client.window_ms >= 1000) {
        client.window_ms = client.heard_at_ms;
        client.window_messages = 0;
    }
    if (++client.window_messages > settings_.max_messages_per_second) {
        if (client.window_messages == settings_.max_messages_per_second + 1)
            send(socket, errorMessage({}, wire::ErrorReply{429, wire::errorCodeOf(429),
                                                           QStringLiteral("more than %1 messages a second: wait and "
                                                                          "send again")
                                                               .arg(settings_.max_messages_per_second),
                                                           {}}));
        return;
    }
    const Principal who = client.who;  // a handler may detach the socket
    const auto parsed = wire::parseBody(text.toUtf8());
    if (!parsed) return send(socket, errorMessage({}, wire::toErrorReply(parsed.error())));
    const QJsonValue type = parsed->value(QStringLiteral("type"));
    if (!type.isString())
        return send(socket, errorMessage({}, badRequest(QStringLiteral("type: expected the message's type, a string"),
                                                        QStringLiteral("type"))));
    const auto handler = handlers_.constFind(type.toString());
    if (handler == handlers_.constEnd())
        return send(socket, errorMessage(type.toString(),
                                         badRequest(QStringLiteral("type: no message type '%1' from clients")
                                                        .arg(type.toString().left(60)),
                                                    QStringLiteral("type"))));
    const QJsonObject reply = (*handler)(who, *parsed);
    if (!reply.isEmpty() && clients_.count(socket)) send(socket, reply);
}

void StreamHub::handle(const QString& type, MessageHandler handler) {
    handlers_.insert(type, std::move(handler));
}

void StreamHub::pingAll() {
    const std::int64_t now = monotonicMs();
    const std::int64_t silentMs = 2 * settings_.ping_interval.count();
    QList<QWebSocket*> dead;
    for (auto& [socket, client] : clients_) {
        if (now - client.heard_at_ms > silentMs) dead << socket;
        else socket->ping();
    }
    for (QWebSocket* socket : dead) {
        // Gone without a word (a laptop lid shut, a cable pulled): no close
        // handshake to wait for.
        socket->abort();
        detach(socket);
    }
}

void StreamHub::sendToDevices(const QString& school, const QJsonObject& message) {
    if (!per_school_.contains(school)) return;
    QList<QWebSocket*> to;
    for (const auto& [socket, client] : clients_)
        if (client.who.school == school && client.who.role == Role::Device) to << socket;
    for (QWebSocket* socket : to) send(socket, message);
}

void StreamHub::sendTo(const QString& school, const QString& subject, std::initializer_list<Role> roles,
                       const QJsonObject& message) {
    for (Role role : roles)
        for (QWebSocket* socket : by_key_.values(keyOf(school, role, subject))) send(socket, message);
}

void StreamHub::pokeKey(const QString& key) {
    static const QJsonObject changes{{QStringLiteral("type"), QStringLiteral("changes")}};
    for (QWebSocket* socket : by_key_.values(key)) send(socket, changes);
}

void StreamHub::sendMastery(const QString& key) {
    static const QJsonObject mastery{{QStringLiteral("type"), QStringLiteral("mastery")}};
    for (QWebSocket* socket : by_key_.values(key)) send(socket, mastery);
}

void StreamHub::pokeLearners(const LearnerKeys& written) {
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, [this, written] { pokeLearners(written); }, Qt::QueuedConnection);
        return;
    }
    QHash<QString, QStringList> bySchool;
    for (const auto& [school, learner] : written)
        if (per_school_.contains(school)) bySchool[school] << learner;
    for (auto it = bySchool.begin(); it != bySchool.end(); ++it) {
        it->removeDuplicates();
        const auto devices = store_.devicesOf(it.key(), *it);
        if (!devices) {
            std::fprintf(stderr, "kite-server: stream: %s\n", devices.error().message.c_str());
            continue;
        }
        for (const QString& device : *devices)
            if (const QString key = keyOf(it.key(), Role::Device, device); by_key_.contains(key)) pokes_.mark(key);
        for (const QString& learner : std::as_const(*it))
            if (const QString key = keyOf(it.key(), Role::Learner, learner); by_key_.contains(key)) pokes_.mark(key);
    }
    // The school's staff: a class's grid may have moved.
    QSet<QString> staff;
    for (const auto& [socket, client] : clients_)
        if (bySchool.contains(client.who.school) &&
            (client.who.role == Role::Teacher || client.who.role == Role::Admin))
            staff.insert(client.key);
    for (const QString& key : std::as_const(staff)) staff_pokes_.mark(key);
}

void StreamHub::pokeSchool(const QString& school) {
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, [this, school] { pokeSchool(school); }, Qt::QueuedConnection);
        return;
    }
    if (!per_school_.contains(school)) return;
    QSet<QString> keys;
    for (const auto& [socket, client] : clients_)
        if (client.who.school == school && (client.who.role == Role::Device || client.who.role == Role::Learner))
            keys.insert(client.key);
    for (const QString& key : std::as_const(keys)) pokes_.mark(key);
}

}  // namespace kite::server
