// The real kite-server on loopback, driven over HTTP as devices drive it.

#include <random>

#include "../support/server_fixture.h"

namespace {

using namespace kite::testing;

using ServerE2E = ServerFixture;

}  // namespace

TEST_F(ServerE2E, EnrollPushAndDuplicatesCountOnce) {
    const QString token = enroll(school_, "kiosk 1");
    auto r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("a")), token);
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 20);
    EXPECT_EQ(r.body[QStringLiteral("max_seq")].toInteger(), 20);
    // The same batch again (the reply was lost): nothing counts twice.
    r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("a")), token);
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 0);
    EXPECT_EQ(r.body[QStringLiteral("duplicate")].toInt(), 20);
    // Overlapping: half old, half new.
    r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 11, 20, QStringLiteral("a")), token);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 10);
    EXPECT_EQ(r.body[QStringLiteral("duplicate")].toInt(), 10);
    EXPECT_EQ(r.body[QStringLiteral("max_seq")].toInteger(), 30);
    const QJsonObject s = stats();
    EXPECT_EQ(s[QStringLiteral("attempts")].toInteger(), 30);
    EXPECT_EQ(s[QStringLiteral("devices")].toInteger(), 1);
    EXPECT_EQ(s[QStringLiteral("learners")].toInteger(), 1);
}

TEST_F(ServerE2E, AnswersMoveServerMasteryThatTheDevicePulls) {
    const QString token = enroll(school_, "kiosk 1");
    ASSERT_EQ(request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 1, 6, QStringLiteral("a")), token).status, 202);
    // The worker applies the answers in the background: pull until the
    // mastery covering all six arrives, with a deadline.
    QJsonObject latest;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    QString cursor;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto r = request(net_, "GET", base_ + QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, token);
        ASSERT_EQ(r.status, 200);
        for (const QJsonValue& c : r.body[QStringLiteral("changes")].toArray()) latest = c.toObject();
        cursor = r.body[QStringLiteral("cursor")].toString();
        if (latest[QStringLiteral("attempts")].toInt() == 6) break;
    }
    ASSERT_EQ(latest[QStringLiteral("attempts")].toInt(), 6) << "the server applied every answer";
    EXPECT_EQ(latest[QStringLiteral("kind")].toString(), QStringLiteral("mastery"));
    EXPECT_EQ(latest[QStringLiteral("model")].toString(), QStringLiteral("bkt"));
    EXPECT_EQ(latest[QStringLiteral("skill")].toString(), QStringLiteral("parts"));
    EXPECT_GT(latest[QStringLiteral("p_known")].toDouble(), 0.9) << "six right answers";
    EXPECT_EQ(latest[QStringLiteral("covers_seq")].toInteger(), 6) << "covers the device's events up to seq 6";
    const auto parsed = kite::wire::parsePullChange(latest);
    ASSERT_TRUE(parsed) << parsed.error().message.toStdString();
    EXPECT_EQ(std::get<kite::wire::MasteryChange>(*parsed).covers_seq, 6) << "a change as the protocol defines it";
    EXPECT_EQ(stats()[QStringLiteral("queue_depth")].toInteger(), 0);

    // Another school's device pulls nothing of it.
    const QString valley = enroll(other_, "valley kiosk");
    const auto other = request(net_, "GET", base_ + QStringLiteral("/v1/sync/pull"), {}, valley);
    ASSERT_EQ(other.status, 200);
    EXPECT_TRUE(other.body[QStringLiteral("changes")].toArray().isEmpty());
    // A cursor the server never gave out is a 400.
    EXPECT_EQ(request(net_, "GET", base_ + QStringLiteral("/v1/sync/pull?cursor=abc"), {}, token).status, 400);
}

TEST_F(ServerE2E, KilledDuringPushesKeepsEveryAcknowledgedEventOnceAndResumesWork) {
    const QString token = enroll(school_, "kiosk 1");
    std::mt19937 rng(9);
    std::int64_t seq = 1;
    QList<QByteArray> sent;  // every batch that was (eventually) acknowledged
    for (int round = 0; round < 10; ++round) {
        SCOPED_TRACE("kill " + std::to_string(round + 1));
        const int batches = static_cast<int>(rng() % 5);
        for (int b = 0; b < batches; ++b, seq += 20) {
            const QByteArray body = pushBody(QStringLiteral("L1"), seq, 20, QStringLiteral("k"));
            ASSERT_EQ(request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), body, token).status, 202);
            sent.push_back(body);
        }
        // One more push on its way when the server dies: it may or may not
        // have been committed, and its reply never arrives.
        const QByteArray inFlight = pushBody(QStringLiteral("L1"), seq, 20, QStringLiteral("k"));
        seq += 20;
        QNetworkRequest req{QUrl(base_ + QStringLiteral("/v1/sync/push"))};
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QNetworkReply* reply = net_.post(req, inFlight);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, &QEventLoop::quit);
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();  // the request is on the wire
        server_->kill(SIGKILL);
        ASSERT_EQ(server_->wait(), 128 + SIGKILL);
        reply->abort();
        reply->deleteLater();
        startServer();
        // The device sends the unacknowledged batch again, as its outbox would.
        const auto again = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), inFlight, token);
        ASSERT_EQ(again.status, 202);
        EXPECT_EQ(again.body[QStringLiteral("accepted")].toInt() + again.body[QStringLiteral("duplicate")].toInt(), 20);
        sent.push_back(inFlight);
    }
    // Every acknowledged event is there exactly once: sending them all again
    // adds nothing.
    for (const QByteArray& body : sent) {
        const auto r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), body, token);
        ASSERT_EQ(r.status, 202);
        EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 0);
        EXPECT_EQ(r.body[QStringLiteral("duplicate")].toInt(), 20);
    }
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), sent.size() * 20);
    // The work queued before the kills resumes and drains.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (stats()[QStringLiteral("queue_depth")].toInteger() > 0 && std::chrono::steady_clock::now() < deadline) {
        request(net_, "GET", base_ + QStringLiteral("/healthz"));  // one round trip between looks
    }
    EXPECT_EQ(stats()[QStringLiteral("queue_depth")].toInteger(), 0);
    EXPECT_EQ(stats()[QStringLiteral("dead_letter")].toInteger(), 0);
}

TEST_F(ServerE2E, MistakesGetA4xxNamingWhatAndTheServerKeepsServing) {
    const QString token = enroll(school_, "kiosk 1");
    using Case = kite::testing::RequestCase;
    const QString push = QStringLiteral("/v1/sync/push");
    const std::vector<Case> cases = {
        {"POST", push, "not json", token, 400, {}},
        {"POST", push, "[1, 2]", token, 400, {}},
        {"POST", push, "{}", token, 400, QStringLiteral("events")},
        {"POST", push, R"({"events": [{"seq": 0, "id": "01a20c1d-1f15-7041-ba54-d7b1a0d03341", "kind": "attempt", "payload": {}}]})",
         token, 400, QStringLiteral("events[0].seq")},
        {"POST", push, R"({"events": [{"seq": 1, "id": 7, "kind": "attempt", "payload": {}}]})", token, 400,
         QStringLiteral("events[0].id")},
        {"POST", push, R"({"events": [{"seq": 1, "id": "not-a-uuid", "kind": "attempt", "payload": {}}]})", token, 400,
         QStringLiteral("events[0].id")},
        {"POST", push, R"({"events": [{"seq": 1, "id": "01a20c1d-1f15-7041-ba54-d7b1a0d03341", "kind": "attempt", "payload": []}]})",
         token, 400, QStringLiteral("events[0].payload")},
        {"POST", push, R"({"events": []})", {}, 401, {}},
        {"POST", push, R"({"events": []})", QStringLiteral("not-a-token"), 401, {}},
        {"POST", push, R"({"events": []})", school_[QStringLiteral("admin_token")].toString(), 403, {}},
        {"GET", push, {}, token, 405, {}},
        {"POST", QStringLiteral("/v1/enroll"), R"({"enrollment_code": "AAAA-AAAA-AAAA", "device_name": "x"})", {}, 403,
         QStringLiteral("enrollment_code")},
        {"POST", QStringLiteral("/v1/enroll"), R"({"device_name": "x"})", {}, 400, QStringLiteral("enrollment_code")},
        {"GET", QStringLiteral("/v1/nothing-here"), {}, token, 404, {}},
        {"POST", push, QByteArray(100000, '['), token, 400, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.method.toStdString() + " " + c.path.toStdString() + " " + c.body.left(60).toStdString());
        const auto r = request(net_, c.method, base_ + c.path, c.body, c.token);
        EXPECT_EQ(r.status, c.status);
        EXPECT_FALSE(r.body[QStringLiteral("error")].toString().isEmpty());
        EXPECT_FALSE(r.body[QStringLiteral("message")].toString().isEmpty());
        if (!c.field.isEmpty()) {
            EXPECT_EQ(r.body[QStringLiteral("field")].toString(), c.field);
        }
    }
    EXPECT_EQ(request(net_, "GET", base_ + QStringLiteral("/healthz")).status, 200) << "still serving";

    // An event whose payload is invalid is set aside with its reason; the
    // others in the same push are taken.
    QJsonObject body = QJsonDocument::fromJson(pushBody(QStringLiteral("L1"), 1, 2, QStringLiteral("mixed"))).object();
    QJsonArray events = body[QStringLiteral("events")].toArray();
    QJsonObject bad = events[1].toObject();
    QJsonObject payload = bad[QStringLiteral("payload")].toObject();
    payload[QStringLiteral("correct")] = QStringLiteral("yes");
    bad[QStringLiteral("payload")] = payload;
    events[1] = bad;
    body[QStringLiteral("events")] = events;
    const auto r = request(net_, "POST", base_ + push, QJsonDocument(body).toJson(), token);
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 1);
    const QJsonArray rejected = r.body[QStringLiteral("rejected")].toArray();
    ASSERT_EQ(rejected.size(), 1);
    EXPECT_EQ(rejected[0].toObject()[QStringLiteral("id")], bad[QStringLiteral("id")]);
    EXPECT_TRUE(rejected[0].toObject()[QStringLiteral("reason")].toString().startsWith(QStringLiteral("payload.correct")))
        << rejected[0].toObject()[QStringLiteral("reason")].toString().toStdString();
}

TEST_F(ServerE2E, ASchoolsTokensSeeNothingOfAnother) {
    const QString hill = enroll(school_, "hill kiosk");
    const QString valley = enroll(other_, "valley kiosk");
    ASSERT_EQ(request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("H1"), 1, 5, QStringLiteral("h")), hill).status, 202);
    // Valley's device sends the same event and learner ids: they are Valley's
    // own, and Hill's stay as they were.
    const auto r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("H1"), 1, 5, QStringLiteral("h")), valley);
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 5);
    const QJsonObject all = stats();
    EXPECT_EQ(all[QStringLiteral("attempts")].toInteger(), 10);
    EXPECT_EQ(all[QStringLiteral("learners")].toInteger(), 2);
}


// Twenty devices push concurrently (many pushes share each group commit)
// while the server is killed five times. Afterwards every acknowledged event
// is held exactly once, and every answer moved its learner's mastery exactly
// once: the queued work survived the kills without loss or repetition.
TEST_F(ServerE2E, KilledUnderConcurrentLoadLosesAndRepeatsNothing) {
    struct Device {
        QString token;
        QString learner;
        std::int64_t seq = 1;
        int acked = 0;                // events acknowledged
        QList<QByteArray> ackedBodies;
        QByteArray pending;           // sent, no reply yet
        QNetworkReply* reply = nullptr;
    };
    std::vector<Device> devices(20);
    for (std::size_t i = 0; i < devices.size(); ++i) {
        devices[i].token = enroll(school_, "load");
        devices[i].learner = QStringLiteral("C%1").arg(i);
    }
    int acksThisRound = 0;
    std::function<void(Device&)> pushNext = [&](Device& d) {
        if (d.pending.isEmpty()) {
            d.pending = pushBody(d.learner, d.seq, 20, d.learner);
            d.seq += 20;
        }
        QNetworkRequest req{QUrl(base_ + QStringLiteral("/v1/sync/push"))};
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        req.setRawHeader("Authorization", "Bearer " + d.token.toUtf8());
        d.reply = net_.post(req, d.pending);
        QObject::connect(d.reply, &QNetworkReply::finished, [&d, &acksThisRound, &pushNext] {
            QNetworkReply* r = d.reply;
            d.reply = nullptr;
            r->deleteLater();
            if (r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 202) return;  // killed
            d.ackedBodies.push_back(d.pending);
            d.acked += 20;
            d.pending.clear();
            ++acksThisRound;
            pushNext(d);
        });
    };
    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE("kill " + std::to_string(round + 1));
        acksThisRound = 0;
        for (Device& d : devices) pushNext(d);
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, [&] {
            if (acksThisRound >= 60) loop.quit();
        });
        poll.start(1);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        ASSERT_GE(acksThisRound, 60) << "the server kept acknowledging under load";
        server_->kill(SIGKILL);
        ASSERT_EQ(server_->wait(), 128 + SIGKILL);
        for (Device& d : devices) {
            if (!d.reply) continue;
            QNetworkReply* r = d.reply;
            d.reply = nullptr;
            r->disconnect();
            r->abort();
            r->deleteLater();
        }
        startServer();
        // Each device sends its unacknowledged batch again, as its outbox would.
        for (Device& d : devices) {
            if (d.pending.isEmpty()) continue;
            const auto again = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), d.pending, d.token);
            ASSERT_EQ(again.status, 202);
            EXPECT_EQ(again.body[QStringLiteral("accepted")].toInt() + again.body[QStringLiteral("duplicate")].toInt(), 20);
            d.ackedBodies.push_back(d.pending);
            d.acked += 20;
            d.pending.clear();
        }
    }
    long long total = 0;
    for (Device& d : devices) {
        total += d.acked;
        for (const QByteArray& body : d.ackedBodies) {
            const auto r = request(net_, "POST", base_ + QStringLiteral("/v1/sync/push"), body, d.token);
            ASSERT_EQ(r.status, 202);
            EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 0) << "held once already";
        }
    }
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), total);

    // Each learner's server mastery counts each of its answers once.
    for (Device& d : devices) {
        int attempts = 0;
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        QString cursor = QStringLiteral("0");
        while (attempts != d.acked && std::chrono::steady_clock::now() < deadline) {
            const auto r = request(net_, "GET", base_ + QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, d.token);
            ASSERT_EQ(r.status, 200);
            for (const QJsonValue& c : r.body[QStringLiteral("changes")].toArray())
                if (c[QStringLiteral("kind")] == QStringLiteral("mastery")) attempts = c[QStringLiteral("attempts")].toInt();
            cursor = r.body[QStringLiteral("cursor")].toString();
        }
        EXPECT_EQ(attempts, d.acked) << d.learner.toStdString();
    }
    EXPECT_EQ(stats()[QStringLiteral("dead_letter")].toInteger(), 0);
}
