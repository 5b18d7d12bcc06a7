// The real kite-server on loopback, driven over HTTP as devices drive it.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTemporaryDir>
#include <QTimer>

#include <random>

#include "../support/child_process.h"
#include "../support/run_program.h"
#include "kite/uuid.h"
#include "kite/wire.h"

namespace {

using namespace std::chrono_literals;

struct Response {
    int status = 0;
    QJsonObject body;
};

// One HTTP exchange, waited for on an event loop with a deadline.
Response request(QNetworkAccessManager& net, const QByteArray& method, const QString& url, const QByteArray& body = {},
                 const QString& token = {}) {
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!token.isEmpty()) req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply* reply = net.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    Response r;
    if (!reply->isFinished()) {
        ADD_FAILURE() << "no reply from " << url.toStdString() << " within 30 s";
        reply->abort();
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return r;
}

QJsonObject runJson(const std::vector<std::string>& args, const std::filesystem::path& dir, const std::string& tag) {
    std::vector<std::string> words{KITE_SERVER_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    const auto done = kite::testing::runProgram(words, dir, tag);
    EXPECT_EQ(done.exit, 0) << done.err;
    return QJsonDocument::fromJson(QByteArray::fromStdString(done.out)).object();
}

// A stable UUIDv7 named by (name, n): the same arguments, the same id.
QString uuidFor(const QString& name, std::int64_t n) {
    const auto h = static_cast<std::uint64_t>(qHash(name, 7)) * 0x9E3779B97F4A7C15ULL;
    return kite::uuidV7(1'795'000'000'000 + n, static_cast<std::uint16_t>(n & 0xfff), h ^ static_cast<std::uint64_t>(n));
}

// A push of `n` right answers of `learner` on one skill, with device
// sequences from `firstSeq`; `idSalt` names the event ids.
QByteArray pushBody(const QString& learner, std::int64_t firstSeq, int n, const QString& idSalt) {
    kite::wire::PushRequest push;
    for (int i = 0; i < n; ++i) {
        kite::wire::AttemptPayload a;
        a.id = uuidFor(idSalt, firstSeq + i);
        a.device = uuidFor(QStringLiteral("device"), 0);
        a.learner = uuidFor(learner, 0);
        a.course = QStringLiteral("fractions");
        a.course_version = 1;
        a.item = QStringLiteral("parts-01");
        a.skills = {QStringLiteral("parts")};
        a.response = QJsonObject{{QStringLiteral("choice"), 1}};
        a.correct = true;
        a.score = 1.0;
        a.duration_ms = 8000;
        a.answered_at = 1'795'000'000'000 + firstSeq + i;
        a.mastery = {{QStringLiteral("parts"), 0.6}};
        push.events.push_back(kite::wire::PushEvent{firstSeq + i, a.id, QStringLiteral("attempt"), kite::wire::toJson(a)});
    }
    return QJsonDocument(kite::wire::toJson(push)).toJson(QJsonDocument::Compact);
}

class ServerE2E : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        data_ = dir_.filePath(QStringLiteral("data")).toStdString();
        school_ = runJson({"init", "--data", data_, "--school", "Hill School", "--json"}, dir_.path().toStdString(), "init");
        other_ = runJson({"school", "add", "--data", data_, "--name", "Valley School", "--json"},
                         dir_.path().toStdString(), "add");
        startServer();
    }
    // Starts kite-server on a port of the system's choosing; base_ is its URL.
    void startServer() {
        server_ = std::make_unique<kite::testing::ChildProcess>(
            std::vector<std::string>{KITE_SERVER_BINARY, "serve", "--data", data_, "--listen", "127.0.0.1:0"},
            dir_.filePath(QStringLiteral("server.err")).toStdString());
        const auto line = server_->readLine(30s);
        ASSERT_TRUE(line.has_value()) << "kite-server did not start";
        base_ = QString::fromStdString(line->substr(line->find("http://")));
    }
    void TearDown() override {
        if (server_) {
            server_->kill(SIGTERM);
            server_->wait();
        }
    }
    QString enroll(const QJsonObject& school, const char* name) {
        const auto r = request(net_, "POST", base_ + QStringLiteral("/v1/enroll"),
                               QJsonDocument(QJsonObject{{QStringLiteral("enrollment_code"), school[QStringLiteral("enrollment_code")]},
                                                         {QStringLiteral("device_name"), QString::fromLatin1(name)}})
                                   .toJson());
        EXPECT_EQ(r.status, 201);
        EXPECT_EQ(r.body[QStringLiteral("school_id")], school[QStringLiteral("school_id")]);
        return r.body[QStringLiteral("token")].toString();
    }
    QJsonObject stats() {
        return runJson({"stats", "--data", data_, "--json"}, dir_.path().toStdString(), "stats");
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
    std::string data_;
    QJsonObject school_;
    QJsonObject other_;
    std::unique_ptr<kite::testing::ChildProcess> server_;
    QString base_;
    QNetworkAccessManager net_;
};

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
    const QJsonObject covers = latest[QStringLiteral("covers")].toObject();
    ASSERT_EQ(covers.size(), 1);
    EXPECT_EQ(covers.begin().value().toInteger(), 6) << "covers the device's events up to seq 6";
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
    struct Case {
        QByteArray method;
        QString path;
        QByteArray body;
        QString token;
        int status;
        QString field;
    };
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

}  // namespace
