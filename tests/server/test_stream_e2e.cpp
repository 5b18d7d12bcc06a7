// The stream (GET /v1/stream as a WebSocket) and live polls, against the real
// kite-server on loopback: pokes after mastery is written, ping/pong, refused
// upgrades, and a whole live poll across two schools.

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QWebSocket>

#include <functional>
#include <optional>

#include "../support/server_fixture.h"

namespace {

using namespace kite::testing;

constexpr auto kDeadline = 30s;

QString str(const char* s) {
    return QString::fromLatin1(s);
}

// One client of the stream: every text message it receives is kept, in
// order, and waited for with a deadline.
class StreamClient {
public:
    StreamClient() {
        QObject::connect(&socket_, &QWebSocket::textMessageReceived, [this](const QString& text) {
            inbox_.push_back(QJsonDocument::fromJson(text.toUtf8()).object());
        });
    }

    // Opens `url` (with `token` as a bearer header unless empty); true once
    // connected, false if the server refused or closed.
    bool open(const QString& url, const QString& token = {}) {
        QNetworkRequest request{QUrl(url)};
        if (!token.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        socket_.open(request);
        waitUntil([this] { return socket_.state() == QAbstractSocket::ConnectedState ||
                                  socket_.state() == QAbstractSocket::UnconnectedState; });
        return socket_.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QJsonObject& message) {
        socket_.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    // The first message received (now or within the deadline) that `match`
    // accepts; it and the ones before it leave the inbox.
    std::optional<QJsonObject> next(const std::function<bool(const QJsonObject&)>& match,
                                    std::chrono::milliseconds timeout = kDeadline) {
        std::optional<QJsonObject> found;
        waitUntil(
            [&] {
                while (!inbox_.empty()) {
                    QJsonObject m = inbox_.front();
                    inbox_.erase(inbox_.begin());
                    if (match(m)) {
                        found = m;
                        return true;
                    }
                }
                return socket_.state() == QAbstractSocket::UnconnectedState;
            },
            timeout);
        return found;
    }
    std::optional<QJsonObject> next(const QString& type) {
        return next([&](const QJsonObject& m) { return m[str("type")].toString() == type; });
    }

    // A ping answered by the server's pong. Everything the server sent
    // before it answered has arrived by then (one ordered connection).
    bool pingPong() {
        bool ponged = false;
        const auto c = QObject::connect(&socket_, &QWebSocket::pong,
                                        [&](quint64, const QByteArray& payload) { ponged = payload == "kite"; });
        socket_.ping("kite");
        waitUntil([&] { return ponged || socket_.state() == QAbstractSocket::UnconnectedState; });
        QObject::disconnect(c);
        return ponged;
    }

    // Messages received and not taken by next(), of `type`.
    int count(const QString& type) const {
        int n = 0;
        for (const QJsonObject& m : inbox_) n += m[str("type")].toString() == type;
        return n;
    }

    QWebSocket& socket() { return socket_; }

    // Runs the event loop until `done` or the deadline; woken by anything the
    // socket does.
    void waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = kDeadline) {
        const QDeadlineTimer deadline(timeout);
        while (!done() && !deadline.hasExpired()) {
            QEventLoop loop;
            QObject::connect(&socket_, &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit);
            QObject::connect(&socket_, &QWebSocket::stateChanged, &loop, &QEventLoop::quit);
            QObject::connect(&socket_, &QWebSocket::pong, &loop, &QEventLoop::quit);
            QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
            loop.exec();
        }
    }

private:
    QWebSocket socket_;
    std::vector<QJsonObject> inbox_;
};

struct RawReply {
    int status = 0;
    QJsonObject body;
    bool closed = false;  // the server closed the connection
};

class StreamE2E : public ServerFixture {
protected:
    QString wsUrl(const QString& query = {}) const {
        QString url = base_;
        url.replace(str("http://"), str("ws://"));
        return url + str("/v1/stream") + query;
    }

    // An upgrade request written by hand, so that the refusal's status and
    // JSON body can be read; waits until the server closes the connection.
    static constexpr const char* kHandshake =
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    RawReply rawUpgrade(const QByteArray& method, const QByteArray& target, const QByteArray& extraHeaders = {},
                        const QByteArray& handshake = kHandshake) {
        const QUrl url(base_);
        QTcpSocket socket;
        socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
        EXPECT_TRUE(socket.waitForConnected(30000));
        socket.write(method + ' ' + target + " HTTP/1.1\r\nHost: " + url.host().toLatin1() +
                     "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" + handshake + extraHeaders + "\r\n");
        QByteArray got;
        const QDeadlineTimer deadline(kDeadline);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime()))))
                got += socket.readAll();
        }
        got += socket.readAll();
        RawReply r;
        r.closed = socket.state() != QAbstractSocket::ConnectedState;
        const QList<QByteArray> statusLine = got.left(got.indexOf("\r\n")).split(' ');
        if (statusLine.size() >= 2) r.status = statusLine[1].toInt();
        r.body = QJsonDocument::fromJson(got.mid(got.indexOf("\r\n\r\n") + 4)).object();
        return r;
    }

    QJsonObject poll(const QString& id, const QString& token, int expectStatus = 200) {
        const auto r = call("GET", str("/v1/polls/") + id, {}, token);
        EXPECT_EQ(r.status, expectStatus) << r.raw.toStdString();
        return r.body;
    }

    Response answerOverHttp(const QString& pollId, const QString& token, const char* learner, const char* answer) {
        return call("POST", str("/v1/polls/%1/answers").arg(pollId),
                    QJsonDocument(QJsonObject{{str("learner"), uuidFor(str(learner), 0)}, {str("answer"), str(answer)}})
                        .toJson(),
                    token);
    }

    void restartServer(const std::vector<std::string>& extra = {}) {
        server_->kill(SIGTERM);
        server_->wait();
        startServer(extra);
    }
};

}  // namespace

TEST_F(StreamE2E, ADevicesStreamIsPokedWhenItsLearnersMasteryIsWrittenAndThenPullsIt) {
    const QString token = enroll(school_, "kiosk 1");
    const QString valley = enroll(other_, "valley kiosk");
    StreamClient device;
    ASSERT_TRUE(device.open(wsUrl(), token));
    StreamClient other;
    ASSERT_TRUE(other.open(wsUrl(), valley));

    ASSERT_EQ(call("POST", str("/v1/sync/push"), pushBody(str("L1"), 1, 5, str("a")), token).status, 202);
    const auto poke = device.next(str("changes"));
    ASSERT_TRUE(poke.has_value()) << "a changes poke within 30 s of the push";

    // What the poke announced is there to pull.
    const auto pulled = call("GET", str("/v1/sync/pull"), {}, token);
    ASSERT_EQ(pulled.status, 200);
    const QJsonArray changes = pulled.body[str("changes")].toArray();
    ASSERT_FALSE(changes.isEmpty());
    EXPECT_EQ(changes[0].toObject()[str("kind")].toString(), str("mastery"));
    EXPECT_EQ(changes[0].toObject()[str("learner")].toString(), uuidFor(str("L1"), 0));

    // The other school's device heard nothing of it.
    ASSERT_TRUE(other.pingPong());
    EXPECT_EQ(other.count(str("changes")), 0);
}

TEST_F(StreamE2E, AStaffStreamIsToldWhenMasteryOfItsSchoolChanges) {
    const QString token = enroll(school_, "kiosk 1");
    const auto made = call("POST", str("/v1/teachers"), QJsonDocument(QJsonObject{{str("name"), str("Ms Hill")}}).toJson(),
                           adminToken(school_));
    ASSERT_EQ(made.status, 201) << made.raw.toStdString();
    StreamClient teacher;
    ASSERT_TRUE(teacher.open(wsUrl(), made.body[str("token")].toString()));
    StreamClient valleyAdmin;
    ASSERT_TRUE(valleyAdmin.open(wsUrl(), adminToken(other_)));
    StreamClient device;
    ASSERT_TRUE(device.open(wsUrl(), token));

    ASSERT_EQ(call("POST", str("/v1/sync/push"), pushBody(str("L1"), 1, 5, str("a")), token).status, 202);
    ASSERT_TRUE(teacher.next(str("mastery")).has_value()) << "a mastery message within 30 s of the push";
    ASSERT_TRUE(device.next(str("changes")).has_value());
    // Another learner's answers: told again.
    ASSERT_EQ(call("POST", str("/v1/sync/push"), pushBody(str("L2"), 6, 3, str("b")), token).status, 202);
    ASSERT_TRUE(teacher.next(str("mastery")).has_value());

    // The other school's staff and the device heard no "mastery".
    ASSERT_TRUE(valleyAdmin.pingPong());
    EXPECT_EQ(valleyAdmin.count(str("mastery")), 0);
    ASSERT_TRUE(device.pingPong());
    EXPECT_EQ(device.count(str("mastery")), 0);
}

TEST_F(StreamE2E, TheServerAnswersAClientsPingAndExplainsBadMessages) {
    const QString token = enroll(school_, "kiosk 1");
    StreamClient device;
    // The token in the query, as a browser must send it.
    ASSERT_TRUE(device.open(wsUrl(str("?token=") + QString::fromLatin1(QUrl::toPercentEncoding(token)))));
    EXPECT_TRUE(device.pingPong());

    device.socket().sendTextMessage(str("{not json"));
    auto error = device.next(str("error"));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ((*error)[str("error")].toString(), str("bad_request"));
    device.send({{str("type"), str("dance")}});
    error = device.next(str("error"));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ((*error)[str("field")].toString(), str("type"));
    EXPECT_TRUE((*error)[str("message")].toString().contains(str("dance")));
    device.socket().sendBinaryMessage("\x01\x02");
    ASSERT_TRUE(device.next(str("error")).has_value());
    // A flood is cut short, with one error saying so.
    for (int i = 0; i < 30; ++i) device.send({{str("type"), str("dance")}});
    const auto limited = device.next([](const QJsonObject& m) { return m[str("error")].toString() == str("rate_limited"); });
    ASSERT_TRUE(limited.has_value());
    // Still open after all that.
    EXPECT_TRUE(device.pingPong());
    EXPECT_EQ(device.socket().state(), QAbstractSocket::ConnectedState);
}

TEST_F(StreamE2E, UpgradesWithoutAGoodTokenOrToAnotherPathAreRefusedWithJsonAndHttpGoesOn) {
    StreamClient anonymous;
    EXPECT_FALSE(anonymous.open(wsUrl()));
    StreamClient forged;
    EXPECT_FALSE(forged.open(wsUrl(), str("not-a-token")));

    auto r = rawUpgrade("GET", "/v1/stream");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body[str("error")].toString(), str("unauthorized"));
    EXPECT_TRUE(r.closed);
    r = rawUpgrade("GET", "/v1/stream?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    EXPECT_EQ(r.status, 401);
    const QByteArray admin = "Authorization: Bearer " + adminToken(school_).toUtf8() + "\r\n";
    r = rawUpgrade("GET", "/v1/elsewhere", admin);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body[str("error")].toString(), str("not_found"));
    r = rawUpgrade("POST", "/v1/stream", admin);
    EXPECT_EQ(r.status, 405);
    // A good token with a handshake the WebSocket layer cannot finish.
    r = rawUpgrade("GET", "/v1/stream", admin, "Sec-WebSocket-Version: 13\r\n");
    EXPECT_NE(r.status, 101);
    EXPECT_TRUE(r.closed);
    // Without the upgrade, the stream's path says what it is.
    const auto plain = call("GET", str("/v1/stream"), {}, adminToken(school_));
    EXPECT_EQ(plain.status, 400);
    EXPECT_TRUE(plain.body[str("message")].toString().contains(str("WebSocket")));

    // The server is still serving HTTP and streams.
    EXPECT_EQ(call("GET", str("/healthz")).status, 200);
    StreamClient teacher;
    EXPECT_TRUE(teacher.open(wsUrl(), adminToken(school_)));
    EXPECT_TRUE(teacher.pingPong());
}

TEST_F(StreamE2E, AClientThatStopsAnsweringPingsIsDroppedWhileOneThatAnswersStays) {
    restartServer({"--ping-seconds", "0.3"});
    const QString token = enroll(school_, "kiosk 1");
    StreamClient alive;  // QWebSocket answers pings by itself
    ASSERT_TRUE(alive.open(wsUrl(), token));

    // A client that completes the handshake by hand and then never answers.
    const QUrl url(base_);
    QTcpSocket silent;
    silent.connectToHost(url.host(), static_cast<quint16>(url.port()));
    ASSERT_TRUE(silent.waitForConnected(30000));
    silent.write("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " +
                 token.toUtf8() + "\r\n\r\n");
    ASSERT_TRUE(silent.waitForReadyRead(30000));
    EXPECT_TRUE(silent.readAll().startsWith("HTTP/1.1 101"));
    // Waited for on an event loop, so that `alive` keeps answering meanwhile.
    QObject::connect(&silent, &QTcpSocket::readyRead, [&silent] { silent.readAll(); });  // pings, unanswered
    if (silent.state() == QAbstractSocket::ConnectedState) {
        QEventLoop loop;
        QObject::connect(&silent, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(kDeadline, &loop, &QEventLoop::quit);
        loop.exec();
    }
    EXPECT_NE(silent.state(), QAbstractSocket::ConnectedState) << "dropped after two silent ping intervals";
    // The one that answered, connected at the same time, is still served.
    EXPECT_TRUE(alive.pingPong());
    EXPECT_EQ(alive.socket().state(), QAbstractSocket::ConnectedState);
}

TEST_F(StreamE2E, ALivePollOpensOnTheSchoolsDevicesCountsAnswersLiveAndClosesForGood) {
    const QString admin = adminToken(school_);
    const QString d1Token = enroll(school_, "kiosk 1");
    const QString d2Token = enroll(school_, "kiosk 2");
    const QString valleyToken = enroll(other_, "valley kiosk");
    StreamClient teacher;
    StreamClient d1;
    StreamClient d2;
    StreamClient valley;
    ASSERT_TRUE(teacher.open(wsUrl(), admin));
    ASSERT_TRUE(d1.open(wsUrl(), d1Token));
    ASSERT_TRUE(d2.open(wsUrl(), d2Token));
    ASSERT_TRUE(valley.open(wsUrl(), valleyToken));

    // Opening takes a teacher's or admin's token and sound options.
    const QByteArray body = QJsonDocument(QJsonObject{{str("question"), str("What is 2 + 2?")},
                                                      {str("options"), QJsonArray{str("3"), str("4"), str("5")}}})
                                .toJson();
    EXPECT_EQ(call("POST", str("/v1/polls"), body, d1Token).status, 403);
    const auto bad = call("POST", str("/v1/polls"), R"({"question": "?", "options": ["a", "a"]})", admin);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body[str("field")].toString(), str("options[1]"));
    const auto opened = call("POST", str("/v1/polls"), body, admin);
    ASSERT_EQ(opened.status, 201) << opened.raw.toStdString();
    const QString id = opened.body[str("poll_id")].toString();
    ASSERT_FALSE(id.isEmpty());
    EXPECT_EQ(opened.body[str("state")].toString(), str("open"));
    EXPECT_EQ(opened.body[str("answered")].toInt(), 0);

    // Both devices of the school get it; the other school's does not.
    for (StreamClient* device : {&d1, &d2}) {
        const auto open = device->next(str("poll_open"));
        ASSERT_TRUE(open.has_value());
        const QJsonObject p = (*open)[str("poll")].toObject();
        EXPECT_EQ(p[str("poll_id")].toString(), id);
        EXPECT_EQ(p[str("question")].toString(), str("What is 2 + 2?"));
        EXPECT_EQ(p[str("options")].toArray().size(), 3);
    }
    ASSERT_TRUE(valley.pingPong());
    EXPECT_EQ(valley.count(str("poll_open")), 0);
    EXPECT_EQ(answerOverHttp(id, valleyToken, "V1", "4").status, 404);
    poll(id, valleyToken, 404);

    // Answers over HTTP and over the stream; a second answer replaces the first.
    auto a = answerOverHttp(id, d1Token, "L1", "4");
    ASSERT_EQ(a.status, 200) << a.raw.toStdString();
    EXPECT_FALSE(a.body[str("replaced")].toBool());
    d2.send({{str("type"), str("poll_answer")},
             {str("poll_id"), id},
             {str("learner"), uuidFor(str("L2"), 0)},
             {str("answer"), str("3")}});
    const auto ack = d2.next(str("poll_answered"));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ((*ack)[str("poll_id")].toString(), id);
    a = answerOverHttp(id, d2Token, "L2", "4");
    ASSERT_EQ(a.status, 200);
    EXPECT_TRUE(a.body[str("replaced")].toBool());
    const auto notAnOption = answerOverHttp(id, d2Token, "L3", "7");
    EXPECT_EQ(notAnOption.status, 400);
    EXPECT_EQ(notAnOption.body[str("field")].toString(), str("answer"));

    // The teacher's stream follows the counts live.
    const auto live = teacher.next([&](const QJsonObject& m) {
        return m[str("type")].toString() == str("poll_results") && m[str("poll_id")].toString() == id &&
               m[str("answered")].toInt() == 2 && m[str("counts")].toObject()[str("4")].toInt() == 2;
    });
    ASSERT_TRUE(live.has_value()) << "poll_results with both answers on 4";
    EXPECT_EQ((*live)[str("counts")].toObject()[str("3")].toInt(), 0);
    // A device of the school may read the results; the other school's may not.
    EXPECT_EQ(poll(id, d1Token)[str("answered")].toInt(), 2);

    // Closing: final results to the teacher, poll_closed to the devices, and
    // late answers refused.
    const auto closed = call("POST", str("/v1/polls/%1/close").arg(id), {}, admin);
    ASSERT_EQ(closed.status, 200);
    EXPECT_EQ(closed.body[str("state")].toString(), str("closed"));
    EXPECT_EQ(closed.body[str("counts")].toObject()[str("4")].toInt(), 2);
    const auto final = teacher.next([&](const QJsonObject& m) {
        return m[str("type")].toString() == str("poll_results") && m[str("state")].toString() == str("closed");
    });
    ASSERT_TRUE(final.has_value());
    EXPECT_EQ((*final)[str("answered")].toInt(), 2);
    ASSERT_TRUE(d1.next(str("poll_closed")).has_value());
    EXPECT_EQ(answerOverHttp(id, d1Token, "L4", "5").status, 409);
    d1.send({{str("type"), str("poll_answer")},
             {str("poll_id"), id},
             {str("learner"), uuidFor(str("L4"), 0)},
             {str("answer"), str("5")}});
    const auto late = d1.next(str("error"));
    ASSERT_TRUE(late.has_value());
    EXPECT_EQ((*late)[str("error")].toString(), str("conflict"));

    // A restart keeps the poll and its answers.
    restartServer();
    const QJsonObject kept = poll(id, admin);
    EXPECT_EQ(kept[str("state")].toString(), str("closed"));
    EXPECT_EQ(kept[str("answered")].toInt(), 2);
    EXPECT_EQ(kept[str("counts")].toObject()[str("4")].toInt(), 2);
    EXPECT_EQ(answerOverHttp(id, d1Token, "L4", "5").status, 409);
}

TEST_F(StreamE2E, ADeviceOrTeacherThatConnectsWhileAPollIsOpenIsToldOfIt) {
    const QString admin = adminToken(school_);
    const auto opened = call("POST", str("/v1/polls"),
                             R"({"item": {"course": "fractions", "item": "parts-01"}, "class": "room-12"})", admin);
    ASSERT_EQ(opened.status, 201) << opened.raw.toStdString();
    StreamClient late;
    ASSERT_TRUE(late.open(wsUrl(), enroll(school_, "kiosk 3")));
    const auto open = late.next(str("poll_open"));
    ASSERT_TRUE(open.has_value());
    const QJsonObject p = (*open)[str("poll")].toObject();
    EXPECT_EQ(p[str("poll_id")], opened.body[str("poll_id")]);
    EXPECT_EQ(p[str("item")].toObject()[str("item")].toString(), str("parts-01"));
    EXPECT_EQ(p[str("class")].toString(), str("room-12"));
    // The teacher who opened it, reconnecting, gets the results so far.
    StreamClient teacher;
    ASSERT_TRUE(teacher.open(wsUrl(), admin));
    const auto results = teacher.next(str("poll_results"));
    ASSERT_TRUE(results.has_value());
    EXPECT_EQ((*results)[str("poll_id")], opened.body[str("poll_id")]);
    EXPECT_EQ((*results)[str("answered")].toInt(), 0);
}
