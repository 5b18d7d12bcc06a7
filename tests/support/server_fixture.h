// The real kite-server on loopback, for end-to-end tests: a fixture that
// makes a data folder with two schools, starts `kite-server serve` on a port
// of the system's choosing, and talks HTTP to it with deadlines (never
// sleeps). Each area's e2e test derives from ServerFixture.
#pragma once

#include <gtest/gtest.h>

#include <QCryptographicHash>
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

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "run_program.h"
#include "kite/uuid.h"
#include "kite/wire.h"

namespace kite::testing {

using namespace std::chrono_literals;

struct Response {
    int status = 0;
    QJsonObject body;
    QByteArray raw;                          // the body as received
    std::map<QByteArray, QByteArray> headers;  // names in lower case
};

// One HTTP exchange, waited for on an event loop with a deadline.
inline Response request(QNetworkAccessManager& net, const QByteArray& method, const QString& url,
                        const QByteArray& body = {}, const QString& token = {},
                        const std::vector<std::pair<QByteArray, QByteArray>>& headers = {}) {
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!token.isEmpty()) req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    for (const auto& [name, value] : headers) req.setRawHeader(name, value);
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
    r.raw = reply->readAll();
    r.body = QJsonDocument::fromJson(r.raw).object();
    for (const auto& [name, value] : reply->rawHeaderPairs()) r.headers[name.toLower()] = value;
    reply->deleteLater();
    return r;
}

inline QJsonObject runJson(const std::vector<std::string>& args, const std::filesystem::path& dir,
                           const std::string& tag) {
    std::vector<std::string> words{KITE_SERVER_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    const auto done = runProgram(words, dir, tag);
    EXPECT_EQ(done.exit, 0) << done.err;
    return QJsonDocument::fromJson(QByteArray::fromStdString(done.out)).object();
}

// A stable UUIDv7 named by (name, n): the same arguments, the same id.
inline QString uuidFor(const QString& name, std::int64_t n) {
    // The same in every run (qHash mixes in a per-process seed): test data
    // built from these ids, such as a validation split, does not vary.
    const QByteArray digest = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256);
    std::uint64_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | static_cast<std::uint8_t>(digest[i]);
    return kite::uuidV7(1'795'000'000'000 + n, static_cast<std::uint16_t>(n & 0xfff), h ^ static_cast<std::uint64_t>(n));
}

// One answer as a device's outbox holds it, for building pushes.
struct TestAnswer {
    std::int64_t seq = 0;         // the device's sequence
    QString id;                   // the event's UUID
    QString learner;              // UUID
    QString skill;
    QString item;
    bool correct = true;
    std::int64_t answered_at = 0;  // Unix ms
    int duration_ms = 8000;
    double shown_mastery = 0.6;   // what the device showed after it
    QString course = QStringLiteral("fractions");
};

// The attempt event of `t`, as docs/protocol.md gives it.
inline kite::wire::PushEvent attemptEvent(const TestAnswer& t) {
    kite::wire::AttemptPayload a;
    a.id = t.id;
    a.device = uuidFor(QStringLiteral("device"), 0);
    a.learner = t.learner;
    a.course = t.course;
    a.course_version = 1;
    a.item = t.item;
    a.skills = {t.skill};
    a.response = QJsonObject{{QStringLiteral("choice"), t.correct ? 1 : 2}};
    a.correct = t.correct;
    a.score = t.correct ? 1.0 : 0.0;
    a.duration_ms = t.duration_ms;
    a.answered_at = t.answered_at;
    a.mastery = {{t.skill, t.shown_mastery}};
    return kite::wire::PushEvent{t.seq, a.id, QStringLiteral("attempt"), kite::wire::toJson(a)};
}

// A push of `n` right answers of `learner` on one skill, with device
// sequences from `firstSeq`; `idSalt` names the event ids.
inline QByteArray pushBody(const QString& learner, std::int64_t firstSeq, int n, const QString& idSalt) {
    kite::wire::PushRequest push;
    for (int i = 0; i < n; ++i) {
        const std::int64_t seq = firstSeq + i;
        push.events.push_back(attemptEvent({.seq = seq,
                                            .id = uuidFor(idSalt, seq),
                                            .learner = uuidFor(learner, 0),
                                            .skill = QStringLiteral("parts"),
                                            .item = QStringLiteral("parts-01"),
                                            .answered_at = 1'795'000'000'000 + seq}));
    }
    return QJsonDocument(kite::wire::toJson(push)).toJson(QJsonDocument::Compact);
}

// One row of a table of requests a client gets wrong: what it sends, the
// status it must get and the field the error must name ("" for none).
struct RequestCase {
    QByteArray method;
    QString path;
    QByteArray body;
    QString token;
    int status;
    QString field;
};

// school_ and other_ are two schools of one server (the output of `init
// --json` and `school add --json`: school_id, admin_token, enrollment_code).
class ServerFixture : public ::testing::Test {
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
    void startServer(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{KITE_SERVER_BINARY, "serve", "--data", data_, "--listen", "127.0.0.1:0"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        server_ = std::make_unique<ChildProcess>(argv, dir_.filePath(QStringLiteral("server.err")).toStdString());
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
    // An HTTP call to the running server: `path` is appended to base_.
    Response call(const QByteArray& method, const QString& path, const QByteArray& body = {}, const QString& token = {},
                  const std::vector<std::pair<QByteArray, QByteArray>>& headers = {}) {
        return request(net_, method, base_ + path, body, token, headers);
    }
    QString enroll(const QJsonObject& school, const char* name) {
        const auto r = call("POST", QStringLiteral("/v1/enroll"),
                            QJsonDocument(QJsonObject{{QStringLiteral("enrollment_code"), school[QStringLiteral("enrollment_code")]},
                                                      {QStringLiteral("device_name"), QString::fromLatin1(name)}})
                                .toJson());
        EXPECT_EQ(r.status, 201);
        EXPECT_EQ(r.body[QStringLiteral("school_id")], school[QStringLiteral("school_id")]);
        return r.body[QStringLiteral("token")].toString();
    }
    static QString adminToken(const QJsonObject& school) { return school[QStringLiteral("admin_token")].toString(); }
    QJsonObject stats() { return runJson({"stats", "--data", data_, "--json"}, dir_.path().toStdString(), "stats"); }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
    std::string data_;
    QJsonObject school_;
    QJsonObject other_;
    std::unique_ptr<ChildProcess> server_;
    QString base_;
    QNetworkAccessManager net_;
};

}  // namespace kite::testing
