// The sync engine end to end: kite-sim (the real study loop, store and sync
// engine) against the real kite-server on loopback.

#include <gtest/gtest.h>

#include <QRegularExpression>
#include <QDir>
#include <QEventLoop>
#include <QTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <random>
#include <set>
#include <string>

#include "fault_proxy.h"
#include "kite/store.h"
#include "kite/sync_engine.h"
#include "server_fixture.h"
#include "wait_for.h"
#include "sqlite.h"

namespace {

using namespace std::chrono_literals;
using kite::testing::ChildProcess;
using kite::testing::runProgram;

class SyncE2E : public kite::testing::ServerFixture {
protected:
    std::string profile(const char* name) const { return dir_.filePath(QString::fromLatin1(name)).toStdString(); }
    std::string code() const { return school_[QStringLiteral("enrollment_code")].toString().toStdString(); }
    kite::testing::Finished simSync(const std::string& profileDir, const std::string& tag, bool enroll = false) {
        std::vector<std::string> argv{KITE_SIM_BINARY, "sync", "--profile", profileDir, "--server", base_.toStdString(),
                                      "--timeout", "60", "--json"};
        if (enroll) argv.insert(argv.end(), {"--enroll", code()});
        return runProgram(argv, dir_.path().toStdString(), tag);
    }
    kite::testing::Finished simRun(const std::string& profileDir, int answers, const std::string& tag) {
        return runProgram({KITE_SIM_BINARY, "run", "--profile", profileDir, "--learners", "1", "--answers",
                           std::to_string(answers), "--seed", tag == "b" ? "2" : "1"},
                          dir_.path().toStdString(), tag);
    }
    // What a device holds as durable, its attempts' event ids; and that its
    // outbox has nothing waiting or set aside.
    static std::set<std::string> durableIdsOfASyncedDevice(const std::string& profileDir) {
        std::set<std::string> ids;
        auto store = kite::store::Store::open(QString::fromStdString(profileDir + "/kite.db"));
        EXPECT_TRUE(store.ok()) << store.error().message;
        if (!store) return ids;
        auto q = (*store)->database().prepare("SELECT event FROM attempts");
        EXPECT_TRUE(q.ok());
        while (q && q->step()) ids.insert(q->text(0).toStdString());
        const auto counts = (*store)->outboxCounts();
        EXPECT_TRUE(counts.ok());
        EXPECT_EQ(counts->pending, 0);
        EXPECT_EQ(counts->rejected, 0);
        return ids;
    }
    // The ids of the attempt events the server holds, from its database.
    std::set<std::string> serverAttemptIds() {
        auto db = kite::sqlite::Database::open(QString::fromStdString(data_ + "/kite-server.db"), false, true);
        EXPECT_TRUE(db.ok());
        std::set<std::string> ids;
        if (!db) return ids;
        auto q = (*db)->prepare("SELECT id FROM events WHERE kind = 'attempt'");
        EXPECT_TRUE(q.ok());
        while (q && q->step()) ids.insert(q->text(0).toStdString());
        return ids;
    }
};

// A SyncClient's status as it changes: the last one seen, and a wait (30 s
// at most) until a condition holds.
struct StatusWatch {
    explicit StatusWatch(kite::client::SyncClient& c) : client(c) {
        QObject::connect(&client, &kite::client::SyncClient::statusChanged, &loop,
                         [this](const kite::client::SyncStatus& s) {
                             last = s;
                             if (until && until(s)) loop.quit();
                         });
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    }
    bool waitFor(std::function<bool(const kite::client::SyncStatus&)> condition) {
        until = std::move(condition);
        // Already so (the status is also kept for other threads): the signal may still be on its way.
        if (const kite::client::SyncStatus now = client.status(); until(now)) {
            last = now;
            return true;
        }
        deadline.start(30'000);
        loop.exec();
        deadline.stop();
        return until(last);
    }

    kite::client::SyncClient& client;
    kite::client::SyncStatus last;
    QEventLoop loop;
    QTimer deadline;
    std::function<bool(const kite::client::SyncStatus&)> until;
};

// kite-sim records and syncs; it is killed at random moments (before its
// first answer, or after a random number of them), a hundred times; then
// `kite-sim sync` finishes the job. The server holds each durable answer
// exactly once: every answer kite-sim reported durable, and nothing else.
TEST_F(SyncE2E, KiteSimKilledAHundredTimesLosesAndDuplicatesNothing) {
    const std::string p = profile("kiosk");
    std::mt19937 rng(20261124);
    std::set<std::string> reported;
    int killedMidAnswers = 0;
    for (int round = 0; round < 100; ++round) {
        ChildProcess sim({KITE_SIM_BINARY, "run", "--profile", p, "--learners", "3", "--answers", "100000", "--json",
                          "--server", base_.toStdString(), "--enroll", code()},
                         dir_.filePath(QStringLiteral("sim.err")).toStdString());
        ASSERT_TRUE(sim.started());
        // A kill before the first answer now and then; else after 1-60 of them.
        const int answers = std::uniform_int_distribution<int>(0, 60)(rng);
        for (int n = 0; n < answers; ++n) {
            const auto line = sim.readLine(30s);
            ASSERT_TRUE(line.has_value()) << "kite-sim gave no answer within 30 s: "
                                          << kite::testing::readFile(dir_.filePath(QStringLiteral("sim.err")).toStdString());
            const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(*line)).object();
            const std::string id = o[QStringLiteral("event_id")].toString().toStdString();
            ASSERT_FALSE(id.empty()) << *line;
            EXPECT_TRUE(reported.insert(id).second) << "answer " << id << " reported twice";
        }
        killedMidAnswers += answers > 0 ? 1 : 0;
        sim.kill(SIGKILL);
        sim.wait();
    }
    EXPECT_GT(killedMidAnswers, 80);

    const auto synced = simSync(p, "final");
    ASSERT_EQ(synced.exit, 0) << synced.out << synced.err;
    EXPECT_TRUE(kite::testing::contains(synced.out, "\"waiting\": 0")) << synced.out;

    const std::set<std::string> durable = durableIdsOfASyncedDevice(p);
    for (const std::string& id : reported) EXPECT_TRUE(durable.count(id)) << "reported durable but not in the store: " << id;
    const std::set<std::string> onServer = serverAttemptIds();
    EXPECT_EQ(onServer, durable) << "the server holds " << onServer.size() << " answers, the device " << durable.size();
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), static_cast<qint64>(durable.size()));
}

// The sync engine through a proxy that drops connections after the server
// committed, answers 500 after the commit, stalls past the engine's timeout,
// resets, and trickles replies; pulls too. When the faults stop, the server
// holds every answer exactly once and the outbox is empty.
TEST_F(SyncE2E, EveryAnswerArrivesOnceThroughDropsErrorsStallsResetsAndTrickles) {
    using kite::testing::Fault;
    const std::string p = profile("faulty");
    ASSERT_EQ(simSync(p, "enroll", true).exit, 0);
    ASSERT_EQ(simRun(p, 600, "answers").exit, 0);  // offline: 600 answers wait

    const QUrl server(base_);
    kite::testing::FaultProxy proxy(server.host(), static_cast<std::uint16_t>(server.port()));
    ASSERT_NE(proxy.port(), 0);
    // QNetworkAccessManager resends once by itself on a connection lost
    // before any reply byte: those faults are queued twice to reach the engine.
    const QByteArray push = "/v1/sync/push";
    const QByteArray pull = "/v1/sync/pull";
    proxy.queue(Fault::dropBeforeReply().onPath(push), 2);
    proxy.queue(Fault::reply500AfterCommit().onPath(push));
    proxy.queue(Fault::stallFor(3s, Fault::AfterStall::Close).onPath(push));
    proxy.queue(Fault::resetBeforeReply().onPath(push), 2);
    proxy.queue(Fault::resetOnRequest().onPath(push), 2);
    proxy.queue(Fault::trickle(64, 5ms).onPath(push));
    proxy.queue(Fault::reply500AfterCommit().onPath(pull));
    proxy.queue(Fault::dropBeforeReply().onPath(pull), 2);
    proxy.queue(Fault::trickle(64, 5ms).onPath(pull));
    const int queued = proxy.pending();

    kite::client::SyncOptions options;
    options.server = QUrl(proxy.url());
    options.batch_events = 50;  // a dozen pushes, so that every fault meets one
    options.timeout = 1s;       // the stall outlasts it
    options.backoff_first = 20ms;
    options.backoff_most = 200ms;
    options.stream = false;
    bool done = false;
    kite::client::SyncStatus last;
    {
        kite::client::SyncClient client(QString::fromStdString(p + "/kite.db"), options);
        QEventLoop loop;
        QObject::connect(&client, &kite::client::SyncClient::statusChanged, &loop,
                         [&](const kite::client::SyncStatus& s) {
                             last = s;
                             // Up to date after the faults have all been met.
                             if (s.state == kite::client::SyncState::UpToDate && s.waiting == 0 && proxy.pending() == 0) {
                                 done = true;
                                 loop.quit();
                             } else if (s.state == kite::client::SyncState::UpToDate) {
                                 client.syncNow();  // the pull faults wait for a pull
                             }
                         });
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        client.start();
        loop.exec();
    }
    ASSERT_TRUE(done) << "not up to date in 60 s: " << kite::client::toString(last.state).toStdString() << ", "
                      << last.waiting << " waiting, " << proxy.pending() << " faults left; "
                      << last.last_error.toStdString();
    EXPECT_EQ(proxy.faultsApplied(), queued);

    const std::set<std::string> durable = durableIdsOfASyncedDevice(p);
    {
        // The pull got through its faults: the server's estimates are here.
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        EXPECT_FALSE((*store)->syncState(QStringLiteral("pull_cursor")).value().isEmpty());
    }
    EXPECT_EQ(durable.size(), 600u);
    EXPECT_EQ(serverAttemptIds(), durable);
}

// Paused, nothing goes out; resumed, a bad event is set aside with the
// server's reason and the rest arrive; a revoked token stops syncing and
// says the device must enroll again.
TEST_F(SyncE2E, PauseSetAsideAndRevokedTokenShowInTheStatus) {
    using kite::client::SyncState;
    using kite::client::SyncStatus;
    const std::string p = profile("tablet");
    ASSERT_EQ(simSync(p, "enroll", true).exit, 0);
    ASSERT_EQ(simRun(p, 20, "answers").exit, 0);
    QString device;
    std::int64_t waiting = 0;
    {
        // An event no server will take, between the good ones.
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        device = (*store)->syncState(QStringLiteral("server_device_id")).value();
        auto bad = (*store)->database().prepare(
            "INSERT INTO outbox(id, kind, payload, created_at) VALUES (?, 'attempt', '{\"correct\": \"yes\"}', 0)");
        ASSERT_TRUE(bad.ok());
        bad->bind(1, kite::testing::uuidFor(QStringLiteral("bad answer"), 1));
        ASSERT_TRUE(bad->run().ok());
        ASSERT_EQ(simRun(p, 5, "more").exit, 0);
        waiting = (*store)->outboxCounts()->pending;  // answers and analytics statements
    }

    kite::client::SyncOptions options;
    options.server = QUrl(base_);
    options.batch_events = 10;
    options.stream = false;
    kite::client::SyncClient client(QString::fromStdString(p + "/kite.db"), options);
    StatusWatch watch(client);
    const SyncStatus& last = watch.last;

    client.setPaused(true);
    client.start();
    ASSERT_TRUE(watch.waitFor([](const SyncStatus& s) { return s.state == SyncState::Paused; }));
    EXPECT_EQ(last.waiting, waiting);
    EXPECT_GE(waiting, 26);
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 0) << "nothing is sent while paused";

    client.setPaused(false);
    ASSERT_TRUE(watch.waitFor([](const SyncStatus& s) { return s.state == SyncState::UpToDate; }))
        << kite::client::toString(last.state).toStdString() << ": " << last.last_error.toStdString();
    EXPECT_EQ(last.waiting, 0);
    EXPECT_EQ(last.set_aside, 1);
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 25) << "the bad event blocked none of the others";
    {
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        auto q = (*store)->database().prepare("SELECT reason FROM outbox WHERE state = 2");
        ASSERT_TRUE(q->step());
        EXPECT_TRUE(q->text(0).contains(QStringLiteral("payload"))) << q->text(0).toStdString();
    }

    const auto revoked = call("DELETE", QStringLiteral("/v1/tokens/") + device, {}, adminToken(school_));
    ASSERT_EQ(revoked.status, 200) << revoked.raw.toStdString();
    client.syncNow();
    ASSERT_TRUE(watch.waitFor([](const SyncStatus& s) { return s.needs_enrollment; }));
    EXPECT_EQ(last.state, SyncState::Error);
    EXPECT_TRUE(last.last_error.contains(QStringLiteral("enroll"))) << last.last_error.toStdString();
}

// The school's roster reaches a kiosk whole: a PIN set on the server is
// asked for on the device (checked offline against the hash it pulled), so
// is one set or taken away later, and a learner the school removes leaves
// the device's sign-in list (their unsent answers: test_store).
TEST_F(SyncE2E, PinsAndRemovalsOnTheServerReachTheKiosk) {
    const std::string p = profile("kiosk");
    ASSERT_EQ(simSync(p, "enroll", true).exit, 0);
    const QString admin = adminToken(school_);
    auto add = [&](const QByteArray& body) {
        const auto r = call("POST", QStringLiteral("/v1/learners"), body, admin);
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body[QStringLiteral("id")].toString();
    };
    const QString ada = add(R"({"name": "Ada", "pin": "2468"})");
    const QString ben = add(R"({"name": "Ben"})");
    const auto klass = call("POST", QStringLiteral("/v1/classes"),
                            QJsonDocument(QJsonObject{{QStringLiteral("name"), QStringLiteral("4B")},
                                                      {QStringLiteral("learners"), QJsonArray{ada, ben}}})
                                .toJson(),
                            admin);
    ASSERT_EQ(klass.status, 201) << klass.raw.toStdString();
    QString device;
    {
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        device = (*store)->syncState(QStringLiteral("server_device_id")).value();
    }
    const QByteArray classes =
        QJsonDocument(QJsonObject{{QStringLiteral("classes"), QJsonArray{klass.body[QStringLiteral("id")]}}}).toJson();
    ASSERT_EQ(call("PUT", QStringLiteral("/v1/devices/%1/classes").arg(device), classes, admin).status, 200);
    ASSERT_EQ(simSync(p, "roster").exit, 0);

    // The device's sign-in list, by name: {local id, has a PIN}.
    auto roster = [&](kite::store::Store& store) {
        std::map<QString, std::pair<std::int64_t, bool>> out;
        auto learners = store.learners();
        EXPECT_TRUE(learners.ok());
        if (learners)
            for (const auto& l : *learners) out[l.name] = {l.id, l.has_pin};
        return out;
    };
    {
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        auto here = roster(**store);
        ASSERT_TRUE(here.count(QStringLiteral("Ada")) && here.count(QStringLiteral("Ben")));
        EXPECT_TRUE(here[QStringLiteral("Ada")].second) << "Ada's PIN is asked for";
        EXPECT_FALSE(here[QStringLiteral("Ben")].second);
        const std::int64_t adaHere = here[QStringLiteral("Ada")].first;
        EXPECT_FALSE((*store)->checkPin(adaHere, QString()).value());
        EXPECT_FALSE((*store)->checkPin(adaHere, QStringLiteral("1357")).value());
        EXPECT_TRUE((*store)->checkPin(adaHere, QStringLiteral("2468")).value());
    }

    // The PINs change on the server.
    ASSERT_EQ(call("PATCH", QStringLiteral("/v1/learners/") + ben, R"({"pin": "1357"})", admin).status, 200);
    ASSERT_EQ(call("PATCH", QStringLiteral("/v1/learners/") + ada, R"({"pin": null})", admin).status, 200);
    ASSERT_EQ(simSync(p, "pins").exit, 0);
    {
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        auto here = roster(**store);
        EXPECT_FALSE(here[QStringLiteral("Ada")].second) << "the PIN taken away on the server";
        EXPECT_TRUE(here[QStringLiteral("Ben")].second) << "the PIN set on the server";
        EXPECT_TRUE((*store)->checkPin(here[QStringLiteral("Ben")].first, QStringLiteral("1357")).value());
        EXPECT_FALSE((*store)->checkPin(here[QStringLiteral("Ben")].first, QStringLiteral("2468")).value());
    }

    ASSERT_EQ(call("DELETE", QStringLiteral("/v1/learners/") + ben, {}, admin).status, 200);
    ASSERT_EQ(simSync(p, "removed").exit, 0);
    {
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        ASSERT_TRUE(store.ok());
        auto here = roster(**store);
        EXPECT_EQ(here.count(QStringLiteral("Ben")), 0u) << "a removed learner leaves the sign-in list";
        EXPECT_EQ(here.count(QStringLiteral("Ada")), 1u);
    }
}

// One learner on two devices, both answering offline; then both sync. They
// end with the same server mastery, and each shows it.
TEST_F(SyncE2E, TwoDevicesOfOneLearnerConvergeToTheServersMastery) {
    const std::string a = profile("laptop-a");
    const std::string b = profile("laptop-b");
    // Both enrolled; the school's learner is put on both devices' roster.
    for (const auto& [p, tag] : {std::pair{a, "enroll-a"}, std::pair{b, "enroll-b"}}) {
        const auto enrolled = simSync(p, tag, true);
        ASSERT_EQ(enrolled.exit, 0) << enrolled.out << enrolled.err;
    }
    const QString admin = adminToken(school_);
    const auto learner = call("POST", QStringLiteral("/v1/learners"), R"({"name": "Ada"})", admin);
    ASSERT_EQ(learner.status, 201) << learner.raw.toStdString();
    const QString learnerId = learner.body[QStringLiteral("id")].toString();
    const auto klass = call("POST", QStringLiteral("/v1/classes"), R"({"name": "5B"})", admin);
    ASSERT_EQ(klass.status, 201) << klass.raw.toStdString();
    const QString classId = klass.body[QStringLiteral("id")].toString();
    ASSERT_EQ(call("POST", QStringLiteral("/v1/classes/%1/learners/%2").arg(classId, learnerId), {}, admin).status, 200);
    for (const std::string& p : {a, b}) {
        QString device;
        {
            auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
            ASSERT_TRUE(store.ok());
            device = (*store)->syncState(QStringLiteral("server_device_id")).value();
        }
        ASSERT_FALSE(device.isEmpty());
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("classes"), QJsonArray{classId}}}).toJson();
        const auto assigned = call("PUT", QStringLiteral("/v1/devices/%1/classes").arg(device), body, admin);
        ASSERT_EQ(assigned.status, 200) << assigned.raw.toStdString();
        const auto synced = simSync(p, "roster");
        ASSERT_EQ(synced.exit, 0) << synced.out << synced.err;
    }

    // Offline: each device answers for Ada, different items in a different order.
    ASSERT_EQ(simRun(a, 25, "a").exit, 0);
    ASSERT_EQ(simRun(b, 25, "b").exit, 0);

    // Online: both sync until the server's estimates cover all their answers.
    struct Shown {
        QMap<QString, double> shown;   // skill -> p_known on the device
        QMap<QString, double> server;  // skill -> the server's BKT estimate
        std::int64_t uncovered = 0;    // attempts the server's estimates do not include
    };
    auto look = [&](const std::string& p) {
        Shown out;
        auto store = kite::store::Store::open(QString::fromStdString(p + "/kite.db"));
        EXPECT_TRUE(store.ok());
        if (!store) return out;
        auto learners = (*store)->learners();
        std::int64_t local = 0;
        for (const auto& l : *learners)
            if (l.uid == learnerId) local = l.id;
        EXPECT_NE(local, 0) << "Ada is on the device's roster";
        auto shown = (*store)->mastery(local, QStringLiteral("fractions"));
        auto server = (*store)->serverMastery(learnerId, QStringLiteral("fractions"));
        EXPECT_TRUE(shown.ok() && server.ok());
        if (!shown || !server) return out;
        for (const auto& m : shown.value()) out.shown[m.skill] = m.p_known;
        std::int64_t covered = 0;
        for (const auto& m : server.value()) {
            if (m.model != QLatin1String("bkt")) continue;
            out.server[m.skill] = m.p;
            covered = std::max(covered, m.covers_seq);
        }
        auto q = (*store)->database().prepare(
            "SELECT count(*) FROM attempts a JOIN outbox o ON o.id = a.event WHERE o.seq > ?");
        q->bind(1, covered);
        if (q->step()) out.uncovered = q->int64(0);
        return out;
    };
    Shown sa, sb;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    for (;;) {
        ASSERT_EQ(simSync(a, "sync-a").exit, 0);
        ASSERT_EQ(simSync(b, "sync-b").exit, 0);
        sa = look(a);
        sb = look(b);
        // Converged: both devices hold the same estimates, covering all their answers.
        if (sa.uncovered == 0 && sb.uncovered == 0 && sa.server == sb.server) break;
        ASSERT_LT(std::chrono::steady_clock::now(), deadline)
            << "the devices' server estimates did not converge: uncovered " << sa.uncovered << " and " << sb.uncovered;
    }
    ASSERT_FALSE(sa.server.isEmpty());
    for (auto it = sa.server.constBegin(); it != sa.server.constEnd(); ++it) {
        EXPECT_NEAR(sa.shown.value(it.key(), -1), it.value(), 1e-9) << "device a shows the server's mastery of " << it.key().toStdString();
        EXPECT_NEAR(sb.shown.value(it.key(), -1), it.value(), 1e-9) << "device b shows the server's mastery of " << it.key().toStdString();
    }
}

}  // namespace

// A server busy storing other devices' pushes (over push_queue_bytes) tells
// a device catching up to come back later: the device shows it is still
// syncing, with the server's words, and its answers arrive after Retry-After.
// The other push is held by holding the server database's write lock here.
TEST_F(SyncE2E, ABusyServerLeavesTheDeviceSyncingAndItsAnswersArriveAfterRetryAfter) {
    using kite::client::SyncState;
    using kite::client::SyncStatus;
    server_->kill(SIGTERM);
    server_->wait();
    startServer({"--push-queue-bytes", "65536"});
    const std::string p = profile("laptop");
    ASSERT_EQ(simSync(p, "enroll", true).exit, 0);
    ASSERT_EQ(simRun(p, 60, "answers").exit, 0);  // with its statements: a push well over 16 KB
    const QString other = enroll(school_, "laptop 2");
    auto queued = [&] {
        static const QRegularExpression gauge(QStringLiteral("\nkite_push_queue_bytes ([0-9.e+]+)"));
        const auto m = gauge.match(QString::fromUtf8(call("GET", QStringLiteral("/metrics")).raw));
        return m.hasMatch() ? m.captured(1).toDouble() : -1.0;
    };

    auto lock = kite::sqlite::Database::open(QString::fromStdString(data_ + "/kite-server.db"), false);
    ASSERT_TRUE(lock.ok()) << lock.error().message;
    ASSERT_TRUE((*lock)->exec("BEGIN IMMEDIATE").ok());
    QNetworkRequest r(QUrl(base_ + QStringLiteral("/v1/sync/push")));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    r.setRawHeader("Authorization", "Bearer " + other.toUtf8());
    QNetworkReply* held = net_.post(r, kite::testing::pushBody(QStringLiteral("L2"), 1, 100, QStringLiteral("held")));
    ASSERT_TRUE(kite::testing::waitFor([&] { return queued() > 0; }, std::chrono::seconds(30)))
        << "the other device's push is being stored";

    kite::client::SyncOptions options;
    options.server = QUrl(base_);
    options.stream = false;
    kite::client::SyncClient client(QString::fromStdString(p + "/kite.db"), options);
    StatusWatch watch(client);
    const SyncStatus& last = watch.last;
    client.start();
    ASSERT_TRUE(watch.waitFor([](const SyncStatus& s) { return !s.last_error.isEmpty(); }));
    EXPECT_EQ(last.state, SyncState::Syncing) << "busy is not an error: " << last.last_error.toStdString();
    EXPECT_TRUE(last.last_error.contains(QStringLiteral("again"))) << last.last_error.toStdString();
    EXPECT_GT(last.waiting, 60);

    ASSERT_TRUE((*lock)->exec("ROLLBACK").ok());
    ASSERT_TRUE(watch.waitFor([](const SyncStatus& s) { return s.state == SyncState::UpToDate && s.waiting == 0; }))
        << kite::client::toString(last.state).toStdString() << ": " << last.last_error.toStdString();
    EXPECT_TRUE(last.last_error.isEmpty());
    const std::set<std::string> device = durableIdsOfASyncedDevice(p);
    EXPECT_EQ(device.size(), 60u);
    std::set<std::string> server = serverAttemptIds();
    EXPECT_EQ(server.size(), 160u) << "the held push and the device's, each once";
    for (const std::string& id : device) EXPECT_TRUE(server.contains(id)) << id;
    EXPECT_TRUE(held->isFinished());
    EXPECT_EQ(held->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    held->deleteLater();
}
