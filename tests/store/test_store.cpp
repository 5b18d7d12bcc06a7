// The device's store on a real SQLite file: recording, replay, migrations,
// damage, a full disk, and reads that never wait for writes.

#include <gtest/gtest.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <random>
#include <thread>

#include "kite/course.h"
#include "kite/pin_hash.h"
#include "kite/session.h"
#include "kite/store.h"
#include "schema.h"
#include "sqlite.h"

namespace {

using kite::store::AttemptRecord;
using kite::store::Mastery;
using kite::store::Store;

const QString kSample = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");

const kite::course::Course& sampleCourse() {
    static const kite::course::CheckReport report = kite::course::readCourseDir(kSample);
    if (!report.ok()) {
        for (const auto& p : report.problems) ADD_FAILURE() << p.toString().toStdString();
    }
    return *report.course;
}

bool integrityOk(kite::sqlite::Database& db) {
    auto q = db.prepare("PRAGMA integrity_check");
    return q.ok() && q->step() && q->text(0) == QStringLiteral("ok");
}

std::unique_ptr<Store> openStore(const QString& path) {
    auto store = Store::open(path);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(store.value()) : nullptr;
}

// One answer through the real session, recorded; returns the attempt.
AttemptRecord answerOne(Store& store, kite::study::StudySession& session, bool correct) {
    const kite::course::Item* item = session.next();
    kite::study::Response r;
    r.choice = correct ? item->answer : (item->answer + 1) % std::max<int>(2, item->choices.size());
    r.choices = item->answers;
    r.text = correct ? (item->accepted.isEmpty() ? QString::number(item->value, 'g', 12) : item->accepted[0])
                     : QStringLiteral("no idea");
    auto answered = session.answer(r);
    auto recorded = store.recordAttempt(answered.attempt);
    EXPECT_TRUE(recorded.ok()) << (recorded.ok() ? "" : recorded.error().message);
    return answered.attempt;
}

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("kite.db"));
    }
    QTemporaryDir dir_;
    QString path_;
};

TEST_F(StoreTest, NewStoreHasCurrentSchemaAndAStableDeviceId) {
    QString device;
    {
        auto store = openStore(path_);
        ASSERT_TRUE(store);
        EXPECT_EQ(store->schemaVersion(), kite::store::kSchemaVersion);
        EXPECT_TRUE(store->notice().isEmpty());
        device = store->deviceId();
        EXPECT_TRUE(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                        .match(device)
                        .hasMatch())
            << device.toStdString();
    }
    auto again = openStore(path_);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->deviceId(), device);
}

// The app's store and its sync engine open a new profile's file at the same
// moment on first run: both must get a working store (neither may find the
// other's half-made schema, or make it twice).
TEST_F(StoreTest, TwoConnectionsOpeningANewFileTogetherBothSucceed) {
    for (int round = 0; round < 20; ++round) {
        const QString path = dir_.filePath(QStringLiteral("together-%1.db").arg(round));
        std::string errors[2];
        std::thread a([&] {
            auto s = kite::store::Store::open(path);
            if (!s) errors[0] = s.error().message;
        });
        std::thread b([&] {
            auto s = kite::store::Store::open(path);
            if (!s) errors[1] = s.error().message;
        });
        a.join();
        b.join();
        EXPECT_EQ(errors[0], "") << "round " << round;
        EXPECT_EQ(errors[1], "") << "round " << round;
    }
}

TEST_F(StoreTest, AnswerIsOneTransactionOfAttemptMasteryAndOutboxEvent) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    auto learner = store->addLearner(QStringLiteral("Ada"));
    ASSERT_TRUE(learner.ok());
    auto session = kite::study::StudySession::start(*store, learner->id, QStringLiteral("fractions"));
    ASSERT_TRUE(session.ok()) << session.error().message;

    std::int64_t lastSeq = 0;
    for (int i = 0; i < 20; ++i) {
        const kite::course::Item* item = (*session)->next();
        ASSERT_NE(item, nullptr);
        kite::study::Response r;
        r.choice = item->answer;
        r.choices = item->answers;
        r.text = item->accepted.isEmpty() ? QString::number(item->value, 'g', 12) : item->accepted[0];
        auto answered = (*session)->answer(r);
        EXPECT_TRUE(answered.grade.correct) << item->id.toStdString();
        auto recorded = store->recordAttempt(answered.attempt);
        ASSERT_TRUE(recorded.ok()) << recorded.error().message;
        EXPECT_GT(recorded->seq, lastSeq) << "the device's sequence only goes up";
        lastSeq = recorded->seq;
    }
    EXPECT_EQ(store->attemptCount().value(), 20);
    auto waiting = store->pendingEvents(100);
    ASSERT_TRUE(waiting.ok());
    ASSERT_EQ(waiting->size(), 20);
    EXPECT_EQ(waiting->front().kind, QStringLiteral("attempt"));
    EXPECT_TRUE(waiting->front().payload.contains("\"learner\""));

    // Mastery in the store is what the session showed.
    auto stored = store->mastery(learner->id, QStringLiteral("fractions"));
    ASSERT_TRUE(stored.ok());
    ASSERT_FALSE(stored->isEmpty());
    for (const Mastery& m : stored.value()) {
        EXPECT_DOUBLE_EQ(m.p_known, (*session)->pKnown(m.skill)) << m.skill.toStdString();
        EXPECT_GT(m.p_known, 0.4) << "20 right answers raise mastery";
    }

    // Everything survives closing and opening again.
    store.reset();
    auto reopened = openStore(path_);
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened->attemptCount().value(), 20);
    EXPECT_EQ(reopened->outboxCounts()->pending, 20);
}

TEST_F(StoreTest, ReplayRebuildsTheSameMasteryAndFollowsNewParameters) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    std::mt19937 rng(3);
    QList<std::int64_t> learners;
    for (int l = 0; l < 3; ++l) {
        auto learner = store->addLearner(QStringLiteral("L%1").arg(l));
        ASSERT_TRUE(learner.ok());
        learners.push_back(learner->id);
        auto session = kite::study::StudySession::start(*store, learner->id, QStringLiteral("fractions"));
        ASSERT_TRUE(session.ok());
        for (int i = 0; i < 30; ++i) answerOne(*store, **session, rng() % 3 != 0);
    }
    auto before = store->mastery(learners[1], QStringLiteral("fractions")).value();
    ASSERT_TRUE(store->rebuildMastery(QStringLiteral("fractions")).ok());
    auto after = store->mastery(learners[1], QStringLiteral("fractions")).value();
    ASSERT_EQ(before.size(), after.size());
    for (int i = 0; i < before.size(); ++i) {
        EXPECT_EQ(before[i].skill, after[i].skill);
        EXPECT_NEAR(before[i].p_known, after[i].p_known, 1e-12);
        EXPECT_EQ(before[i].attempts, after[i].attempts);
        EXPECT_EQ(before[i].correct, after[i].correct);
    }

    // New parameters from the server: mastery is recomputed with them.
    QHash<QString, kite::bkt::Params> fitted;
    for (const auto& skill : sampleCourse().skills) fitted.insert(skill.id, kite::bkt::Params{0.05, 0.01, 0.0, 0.3, 0.3});
    ASSERT_TRUE(store->setBktParams(QStringLiteral("fractions"), fitted, QStringLiteral("server")).ok());
    auto slow = store->mastery(learners[1], QStringLiteral("fractions")).value();
    ASSERT_EQ(slow.size(), before.size());
    for (int i = 0; i < slow.size(); ++i) {
        EXPECT_EQ(slow[i].attempts, before[i].attempts);
        EXPECT_LT(slow[i].p_known, before[i].p_known) << "a lower prior and learn rate give lower mastery";
    }
    auto params = store->bktParams(QStringLiteral("fractions"));
    ASSERT_TRUE(params.ok());
    EXPECT_DOUBLE_EQ(params->value(sampleCourse().skills[0].id).prior, 0.05);

    // Not probabilities: refused, nothing changed.
    fitted[sampleCourse().skills[0].id].guess = 1.5;
    auto bad = store->setBktParams(QStringLiteral("fractions"), fitted, QStringLiteral("server"));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("not probabilities"), std::string::npos);
    EXPECT_DOUBLE_EQ(store->bktParams(QStringLiteral("fractions"))->value(sampleCourse().skills[0].id).guess, 0.3);
}

TEST_F(StoreTest, StatementsAreXapiShapedAndTrackLessonProgress) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    auto learner = store->addLearner(QStringLiteral("Grace"));
    auto session = kite::study::StudySession::start(*store, learner->id, QStringLiteral("fractions"));
    ASSERT_TRUE(session.ok());
    const QString lesson = sampleCourse().lessons.front().id;
    ASSERT_TRUE(store->recordStatement((*session)->openLesson(lesson)).ok());
    ASSERT_TRUE(store->recordStatement((*session)->closeLesson(lesson)).ok());
    auto events = store->pendingEvents(10).value();
    ASSERT_EQ(events.size(), 2);
    for (const auto& e : events) {
        EXPECT_EQ(e.kind, QStringLiteral("statement"));
        for (const char* key : {"\"actor\"", "\"verb\"", "\"object\"", "\"timestamp\"", "\"id\""})
            EXPECT_TRUE(e.payload.contains(key)) << key << " in " << e.payload.toStdString();
    }
    EXPECT_TRUE(events[1].payload.contains("\"duration\":\"PT")) << events[1].payload.toStdString();

    auto unknown = store->recordStatement(kite::store::StatementRecord{
        learner->id, kite::store::Verb::LessonOpened, QStringLiteral("fractions"), QStringLiteral("no-such-lesson"),
        {}, -1, -1, 0});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("no lesson 'no-such-lesson'"), std::string::npos);
    EXPECT_EQ(store->outboxCounts()->pending, 2) << "a refused statement leaves nothing behind";
}

TEST_F(StoreTest, MigratesEveryEarlierVersionKeepingItsData) {
    for (int from = 0; from < kite::store::kSchemaVersion; ++from) {
        SCOPED_TRACE("from version " + std::to_string(from));
        const QString path = dir_.filePath(QStringLiteral("v%1.db").arg(from));
        {
            auto db = kite::sqlite::Database::open(path, true);
            ASSERT_TRUE(db.ok());
            ASSERT_TRUE(kite::store::migrate(*db.value(), from).ok());
            if (from >= 1) {
                // What a version-1 device held: a learner, a course, an answer, its event.
                ASSERT_TRUE((*db)->exec(R"sql(
                    INSERT INTO settings VALUES ('device_id', '0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d12');
                    INSERT INTO learners(id, uid, name, created_at) VALUES (1, 'u1', 'Old learner', 1);
                    INSERT INTO courses VALUES ('c', 'C', 1, 'en', '', 'h', 1);
                    INSERT INTO skills(id, course, uid, name, position) VALUES (1, 'c', 's', 'S', 0);
                    INSERT INTO items(id, course, uid, position, body) VALUES (1, 'c', 'i', 0, '{}');
                    INSERT INTO item_skills VALUES (1, 1);
                    INSERT INTO outbox(id, kind, payload, created_at) VALUES ('e1', 'attempt', '{}', 1);
                    INSERT INTO attempts(event, learner, item, correct, score, hints_used, duration_ms, answered_at, response)
                      VALUES ('e1', 1, 1, 1, 1.0, 0, 1000, 1, '{}');
                    INSERT INTO mastery VALUES (1, 1, 0.7, 1, 1, 1);
                )sql")
                                .ok());
            }
            if (from >= 2) {
                // A kiosk learner with a PIN in the older local form, "SALTHEX$SHA256HEX".
                const QByteArray salt = QByteArray::fromHex("00112233445566778899aabbccddeeff");
                const QString legacy = QString::fromLatin1(salt.toHex()) + QLatin1Char('$') +
                                       QString::fromLatin1(QCryptographicHash::hash(salt + "2468", QCryptographicHash::Sha256).toHex());
                ASSERT_TRUE((*db)->exec(("INSERT INTO learners(id, uid, name, created_at, pin_hash) VALUES (2, 'u2', "
                                         "'PIN learner', 1, '" + legacy.toStdString() + "')").c_str())
                                .ok());
            }
        }
        auto store = openStore(path);
        ASSERT_TRUE(store);
        EXPECT_EQ(store->database().scalar("PRAGMA user_version").value(), kite::store::kSchemaVersion);
        EXPECT_TRUE(integrityOk(store->database()));
        if (from >= 1) {
            EXPECT_EQ(store->deviceId(), QStringLiteral("0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d12"));
            auto learners = store->learners();
            ASSERT_TRUE(learners.ok());
            ASSERT_EQ(learners->size(), from >= 2 ? 2 : 1);
            EXPECT_EQ(learners->front().name, QStringLiteral("Old learner"));
            EXPECT_EQ(learners->front().colour, QString());
            EXPECT_EQ(store->attemptCount().value(), 1);
            EXPECT_EQ(store->outboxCounts()->pending, 1);
            EXPECT_DOUBLE_EQ(store->mastery(1, QStringLiteral("c"))->front().p_known, 0.7);
        }
        // The new version's features work on the migrated file.
        auto kiosk = store->addLearner(QStringLiteral("Kiosk learner"), QStringLiteral("#2a7ab0"), QStringLiteral("1234"));
        ASSERT_TRUE(kiosk.ok()) << kiosk.error().message;
        EXPECT_TRUE(store->checkPin(kiosk->id, QStringLiteral("1234")).value());
        EXPECT_FALSE(store->checkPin(kiosk->id, QStringLiteral("4321")).value());
        if (from >= 2) {
            EXPECT_TRUE(store->checkPin(2, QStringLiteral("2468")).value()) << "an older PIN still opens";
            EXPECT_FALSE(store->checkPin(2, QStringLiteral("2469")).value());
        }
    }
}

TEST_F(StoreTest, NewPinsAreHashedAsTheServerHashesThem) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    auto kiosk = store->addLearner(QStringLiteral("Ada"), QStringLiteral("#2a7ab0"), QStringLiteral("2468"));
    ASSERT_TRUE(kiosk.ok());
    auto q = store->database().prepare("SELECT pin_hash FROM learners WHERE id = ?");
    ASSERT_TRUE(q.ok());
    q->bind(1, kiosk->id);
    ASSERT_TRUE(q->step());
    const QString stored = q->text(0);
    EXPECT_TRUE(stored.startsWith(QStringLiteral("pbkdf2-sha256$"))) << stored.toStdString();
    EXPECT_TRUE(kite::pinMatches(QStringLiteral("2468"), stored));
    EXPECT_FALSE(kite::pinMatches(QStringLiteral("2467"), stored));
}

TEST_F(StoreTest, TheRosterBringsPinsAndRemovalsAndKeepsARemovedLearnersAnswers) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    const QString ada = QStringLiteral("0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d01");
    const QString ben = QStringLiteral("0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d02");
    kite::store::ServerChanges roster;
    roster.learners = {{ada, QStringLiteral("Ada"), QStringLiteral("#2a7ab0"), kite::hashPin(QStringLiteral("2468"))},
                       {ben, QStringLiteral("Ben"), QStringLiteral("#e53935")}};
    ASSERT_TRUE(store->applyServerChanges(roster, QStringLiteral("1")).ok());
    auto learners = store->learners();
    ASSERT_TRUE(learners.ok());
    ASSERT_EQ(learners->size(), 2);
    const kite::store::Learner adaHere = learners->at(0);
    const kite::store::Learner benHere = learners->at(1);
    EXPECT_TRUE(adaHere.has_pin);
    EXPECT_FALSE(benHere.has_pin);
    EXPECT_TRUE(store->checkPin(adaHere.id, QStringLiteral("2468")).value());
    EXPECT_FALSE(store->checkPin(adaHere.id, QStringLiteral("1357")).value());

    // Ben answers on this device; before the answer is sent, the school
    // removes him and takes Ada's PIN away.
    auto session = kite::study::StudySession::start(*store, benHere.id, QStringLiteral("fractions"));
    ASSERT_TRUE(session.ok()) << session.error().message;
    answerOne(*store, **session, true);
    ASSERT_EQ(store->outboxCounts()->pending, 1);
    roster.learners = {{ada, QStringLiteral("Ada"), QStringLiteral("#2a7ab0")},
                       {ben, QStringLiteral("Ben"), QStringLiteral("#e53935"), QString(), true}};
    ASSERT_TRUE(store->applyServerChanges(roster, QStringLiteral("2")).ok());
    learners = store->learners();
    ASSERT_TRUE(learners.ok());
    ASSERT_EQ(learners->size(), 1) << "a removed learner is no longer offered";
    EXPECT_EQ(learners->front().name, QStringLiteral("Ada"));
    EXPECT_FALSE(learners->front().has_pin);
    EXPECT_TRUE(store->checkPin(adaHere.id, QString()).value());
    auto waiting = store->pendingEvents(10);
    ASSERT_TRUE(waiting.ok());
    ASSERT_EQ(waiting->size(), 1) << "the removed learner's answer still goes";
    EXPECT_TRUE(waiting->front().payload.contains(ben.toUtf8())) << waiting->front().payload.toStdString();

    // Gone for good: a later record of theirs does not bring them back.
    roster.learners = {{ben, QStringLiteral("Ben"), QStringLiteral("#e53935")}};
    ASSERT_TRUE(store->applyServerChanges(roster, QStringLiteral("3")).ok());
    EXPECT_EQ(store->learners()->size(), 1);
}

// Breaks the b-tree headers of the given pages (numbered from 1), the kind of
// damage SQLite can detect (it keeps no checksums of content). Returns the
// damaged file's bytes.
QByteArray damagePages(const QString& path, const QList<std::int64_t>& pages) {
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadWrite));
    const QByteArray header = file.read(100);
    int pageSize = (static_cast<unsigned char>(header[16]) << 8) | static_cast<unsigned char>(header[17]);
    if (pageSize == 1) pageSize = 65536;
    for (std::int64_t page : pages) {
        file.seek((page - 1) * pageSize);
        file.write(QByteArray(8, '\x5a'));
    }
    file.seek(0);
    return file.readAll();
}

// The pages in the middle fifth of the file.
QList<std::int64_t> middlePages(kite::sqlite::Database& db) {
    const auto count = db.scalar("PRAGMA page_count").value();
    QList<std::int64_t> pages;
    for (std::int64_t p = count * 2 / 5; p < count * 3 / 5; ++p) pages.push_back(p + 1);
    return pages;
}

// A leaf page of `table` that is neither its first nor its last: damage
// there is missed by the quick checks at open and met by a full read.
QList<std::int64_t> innerLeafOf(kite::sqlite::Database& db, const char* table) {
    auto q = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path");
    EXPECT_TRUE(q.ok());
    q->bind(1, QString::fromLatin1(table));
    QList<std::int64_t> leaves;
    while (q->step()) leaves.push_back(q->int64(0));
    EXPECT_GE(leaves.size(), 3) << table << " spans several leaves";
    return {leaves.value(leaves.size() / 2)};
}

// Reads every column of every row of every table; the first error, or empty.
std::string readEverything(kite::sqlite::Database& db) {
    QStringList tables;
    auto q = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'");
    if (!q.ok()) return q.error().message;
    while (q->step()) tables.push_back(q->text(0));
    for (const QString& t : tables) {
        auto all = db.prepare(("SELECT * FROM \"" + t.toStdString() + "\"").c_str());
        if (!all.ok()) return all.error().message;
        while (all->step())
            for (int c = 0; c < 12; ++c) static_cast<void>(all->blob(c));
        if (auto st = all->status(); !st.ok()) return st.error().message;
    }
    return {};
}

// The file kept aside, or empty.
QByteArray keptAside(const QString& dir) {
    const QStringList aside = QDir(dir).entryList({QStringLiteral("kite.db.damaged-*")}, QDir::Files);
    const QString main = aside.filter(QRegularExpression(QStringLiteral("damaged-[0-9-]+$"))).value(0);
    QFile kept(QDir(dir).filePath(main));
    return !main.isEmpty() && kept.open(QIODevice::ReadOnly) ? kept.readAll() : QByteArray();
}

TEST_F(StoreTest, DamageAfterACrashIsFoundAtOpenAndTheFileMovedAside) {
    QList<std::int64_t> pages;
    {
        auto store = openStore(path_);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
        ASSERT_TRUE(store->database().exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
        // Leave a WAL behind, as a crash does: copy it while the store is open.
        ASSERT_TRUE(store->database().exec("INSERT INTO settings VALUES ('x', 'y')").ok());
        ASSERT_TRUE(QFile::copy(path_ + QStringLiteral("-wal"), path_ + QStringLiteral(".wal-copy")));
        pages = middlePages(store->database());
    }
    const QByteArray damagedBytes = damagePages(path_, pages);
    ASSERT_TRUE(QFile::copy(path_ + QStringLiteral(".wal-copy"), path_ + QStringLiteral("-wal")));

    auto store = openStore(path_);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->notice().contains(QStringLiteral("damaged"))) << store->notice().toStdString();
    auto courses = store->courses();
    ASSERT_TRUE(courses.ok());
    EXPECT_TRUE(courses->isEmpty()) << "a fresh store";
    EXPECT_EQ(keptAside(dir_.path()), damagedBytes) << "the damaged file is kept as it was";
    EXPECT_TRUE(store->importCourse(sampleCourse()).ok()) << "the fresh store works";
}

TEST_F(StoreTest, DamageMetInUseIsNotedAndTheNextOpenMovesTheFileAside) {
    QList<std::int64_t> pages;
    {
        auto store = openStore(path_);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
        pages = innerLeafOf(store->database(), "items");
    }  // a clean shutdown: the next open does only the quick checks
    const QByteArray damagedBytes = damagePages(path_, pages);
    {
        auto store = Store::open(path_);
        ASSERT_TRUE(store.ok()) << store.error().message;
        ASSERT_TRUE((*store)->notice().isEmpty()) << "the quick checks at open miss an inner page";
        // Reading everything meets the damage, with a clear error.
        const std::string error = readEverything((*store)->database());
        ASSERT_FALSE(error.empty()) << "the broken pages were read";
        EXPECT_NE(error.find("damaged"), std::string::npos) << error;
        EXPECT_TRUE(QFile::exists(path_ + QStringLiteral("-check")));
    }
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->notice().contains(QStringLiteral("moved aside"))) << store->notice().toStdString();
    EXPECT_EQ(keptAside(dir_.path()), damagedBytes);
    EXPECT_FALSE(QFile::exists(path_ + QStringLiteral("-check")));
}

TEST_F(StoreTest, FileCutShortIsFoundAtOpen) {
    {
        auto store = openStore(path_);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    }
    QFile file(path_);
    ASSERT_TRUE(file.open(QIODevice::ReadWrite));
    ASSERT_TRUE(file.resize(file.size() / 2));
    file.close();
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->notice().contains(QStringLiteral("moved aside"))) << store->notice().toStdString();
    EXPECT_TRUE(store->courses()->isEmpty());
}

TEST_F(StoreTest, NotADatabaseAtAllIsMovedAsideToo) {
    QFile file(path_);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("this is a shopping list, not a database\n").repeated(200));
    file.close();
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->notice().contains(QStringLiteral("moved aside"))) << store->notice().toStdString();
}

TEST_F(StoreTest, FileFromANewerKiteIsRefusedAndLeftAlone) {
    {
        auto store = openStore(path_);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->database().exec("PRAGMA user_version = 99").ok());
    }
    auto store = Store::open(path_);
    ASSERT_FALSE(store.ok());
    EXPECT_NE(store.error().message.find("newer Kite"), std::string::npos) << store.error().message;
    EXPECT_TRUE(QFile::exists(path_));
    EXPECT_TRUE(QDir(dir_.path()).entryList({QStringLiteral("*.damaged-*")}).isEmpty());
}

TEST_F(StoreTest, FullDiskGivesAClearErrorAndLosesNothingCommitted) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->importCourse(sampleCourse()).ok());
    auto learner = store->addLearner(QStringLiteral("Ada"));
    auto session = kite::study::StudySession::start(*store, learner->id, QStringLiteral("fractions"));
    ASSERT_TRUE(session.ok());
    for (int i = 0; i < 5; ++i) answerOne(*store, **session, true);

    // The disk is full: the database may not grow by a single page.
    const auto pages = store->database().scalar("PRAGMA page_count").value();
    ASSERT_TRUE(store->database().exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str()).ok());
    std::string message;
    int failures = 0;
    for (int i = 0; i < 400 && failures == 0; ++i) {
        ASSERT_NE((*session)->next(), nullptr);
        auto answered = (*session)->answer(kite::study::Response{});
        answered.attempt.response = "{\"text\": \"" + QByteArray(3000, 'x') + "\"}";  // fills pages fast
        auto recorded = store->recordAttempt(answered.attempt);
        if (!recorded.ok()) {
            ++failures;
            message = recorded.error().message;
        }
    }
    ASSERT_EQ(failures, 1) << "the disk filled up";
    EXPECT_NE(message.find("disk is full"), std::string::npos) << message;
    const auto held = store->attemptCount().value();
    EXPECT_GE(held, 5);
    EXPECT_EQ(store->outboxCounts()->pending, held) << "no attempt without its event";

    // Space again: recording goes on, and nothing was lost.
    ASSERT_TRUE(store->database().exec("PRAGMA max_page_count = 1073741823").ok());
    answerOne(*store, **session, true);
    store.reset();
    auto reopened = openStore(path_);
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened->attemptCount().value(), held + 1);
    EXPECT_EQ(reopened->database().scalar("SELECT count(*) FROM attempts a LEFT JOIN outbox o ON o.id = a.event "
                                          "WHERE o.id IS NULL")
                  .value(),
              0);
}

TEST_F(StoreTest, ImportOnAFullDiskLeavesNothingHalfImported) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    const auto pages = store->database().scalar("PRAGMA page_count").value();
    ASSERT_TRUE(store->database().exec(("PRAGMA max_page_count = " + std::to_string(pages + 3)).c_str()).ok());
    auto imported = store->importCourse(sampleCourse());
    ASSERT_FALSE(imported.ok());
    EXPECT_NE(imported.error().message.find("disk is full"), std::string::npos) << imported.error().message;
    for (const char* table : {"courses", "skills", "lessons", "items", "course_files"}) {
        EXPECT_EQ(store->database().scalar((std::string("SELECT count(*) FROM ") + table).c_str()).value(), 0) << table;
    }
    ASSERT_TRUE(store->database().exec("PRAGMA max_page_count = 1073741823").ok());
    EXPECT_TRUE(store->importCourse(sampleCourse()).ok());
    EXPECT_EQ(store->courses()->size(), 1);
}

TEST_F(StoreTest, ReadsDoNotWaitForAWriteInProgress) {
    auto writer = openStore(path_);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->importCourse(sampleCourse()).ok());
    auto learner = writer->addLearner(QStringLiteral("Ada"));
    auto session = kite::study::StudySession::start(*writer, learner->id, QStringLiteral("fractions"));
    answerOne(*writer, **session, true);

    kite::store::OpenOptions readOnly;
    readOnly.readOnly = true;
    auto reader = Store::open(path_, readOnly);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    // Make a read wait a whole busy timeout would show up as an error here:
    // let it fail at once instead of waiting.
    ASSERT_TRUE((*reader)->database().exec("PRAGMA busy_timeout = 0").ok());

    // The writer is in the middle of a transaction with a new answer in it...
    ASSERT_TRUE(writer->database().exec("BEGIN IMMEDIATE").ok());
    ASSERT_TRUE(writer->database().exec("INSERT INTO outbox(id, kind, payload, created_at) VALUES ('x', 'attempt', '{}', 1)").ok());
    // ...and the reader still reads, the last committed state.
    auto mastery = (*reader)->mastery(learner->id, QStringLiteral("fractions"));
    ASSERT_TRUE(mastery.ok()) << mastery.error().message;
    EXPECT_FALSE(mastery->isEmpty());
    auto counts = (*reader)->outboxCounts();
    ASSERT_TRUE(counts.ok()) << counts.error().message;
    EXPECT_EQ(counts->pending, 1);
    ASSERT_TRUE(writer->database().exec("COMMIT").ok());
    EXPECT_EQ((*reader)->outboxCounts()->pending, 2);
}

TEST_F(StoreTest, CourseVersionsOnlyMoveForward) {
    auto store = openStore(path_);
    ASSERT_TRUE(store);
    kite::course::Course course = sampleCourse();
    ASSERT_TRUE(store->importCourse(course).ok());
    EXPECT_TRUE(store->importCourse(course).ok()) << "the same version again is a no-op";

    kite::course::Course changed = course;
    changed.content_sha256 = QStringLiteral("different");
    auto same = store->importCourse(changed);
    ASSERT_FALSE(same.ok());
    EXPECT_NE(same.error().message.find("needs a higher version"), std::string::npos);

    // A newer version drops an item: old attempts on it stay and still replay.
    auto learner = store->addLearner(QStringLiteral("Ada"));
    auto session = kite::study::StudySession::start(*store, learner->id, QStringLiteral("fractions"));
    for (int i = 0; i < 10; ++i) answerOne(*store, **session, true);
    const auto before = store->mastery(learner->id, QStringLiteral("fractions")).value();
    changed.version = course.version + 1;
    changed.items.removeFirst();
    ASSERT_TRUE(store->importCourse(changed).ok());
    EXPECT_EQ(store->loadCourse(QStringLiteral("fractions"))->items.size(), course.items.size() - 1);
    EXPECT_EQ(store->attemptCount().value(), 10);
    const auto after = store->mastery(learner->id, QStringLiteral("fractions")).value();
    ASSERT_EQ(after.size(), before.size());
    for (int i = 0; i < after.size(); ++i) EXPECT_NEAR(after[i].p_known, before[i].p_known, 1e-12);

    changed.version = course.version;
    auto older = store->importCourse(changed);
    ASSERT_FALSE(older.ok());
    EXPECT_NE(older.error().message.find("older than the installed version"), std::string::npos);
}

}  // namespace
