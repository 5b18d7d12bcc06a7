// Teacher mode and live polls (docs/app.md), against the real kite-server on
// loopback and real store files: TeacherModel (the token checked, kept and
// forgotten; the class heatmap following the answers live), PollModel (a
// poll opened, counted live, closed) and, end to end, a device's real
// SyncClient with PollPrompt: the learner sees the teacher's poll, answers,
// the teacher sees the count arrive; the device's answers move the heatmap.
#include <QDateTime>
#include <QSignalSpy>

#include "../support/server_fixture.h"
#include "../support/wait_for.h"
#include "kite/async_store.h"
#include "kite/course.h"
#include "kite/poll_model.h"
#include "kite/poll_prompt.h"
#include "kite/store.h"
#include "kite/sync_engine.h"
#include "kite/teacher_model.h"

namespace {

using namespace kite::testing;
using kite::ui::PollModel;
using kite::ui::PollPrompt;
using kite::ui::TeacherModel;

QString str(const char* s) {
    return QString::fromUtf8(s);
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

class TeacherMode : public ServerFixture {
protected:
    void SetUp() override {
        ServerFixture::SetUp();
        const auto report = kite::course::readCourseDir(str(KITE_SOURCE_DIR "/resources/courses/fractions"));
        ASSERT_TRUE(report.ok());
        course_ = *report.course;
        storePath_ = dir_.filePath(str("teacher.db"));
        {
            auto store = kite::store::Store::open(storePath_);
            ASSERT_TRUE(store.ok()) << store.error().message;
            ASSERT_TRUE((*store)->importCourse(course_).ok());
        }
        bool opened = false;
        store_ = std::make_unique<kite::store::AsyncStore>(storePath_, &app_, [&](kite::Status s, QString) {
            EXPECT_TRUE(s.ok());
            opened = true;
        });
        ASSERT_TRUE(waitFor([&] { return opened; }));
    }
    void TearDown() override {
        store_.reset();
        ServerFixture::TearDown();
    }

    QString teacherToken(const char* name = "Ms Hill") {
        const auto r = call("POST", str("/v1/teachers"), json({{str("name"), str(name)}}), adminToken(school_));
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body[str("token")].toString();
    }
    // A learner of the school with the given id (the one pushBody uses for `key`, unless given).
    void addLearner(const QString& name, const QString& id) {
        const auto r = call("POST", str("/v1/learners"), json({{str("name"), name}, {str("id"), id}}), adminToken(school_));
        ASSERT_EQ(r.status, 201) << r.raw.toStdString();
    }
    QString addClass(const QString& name, const QStringList& learnerIds) {
        const auto r = call("POST", str("/v1/classes"),
                            json({{str("name"), name}, {str("learners"), QJsonArray::fromStringList(learnerIds)}}),
                            adminToken(school_));
        EXPECT_EQ(r.status, 201) << r.raw.toStdString();
        return r.body[str("id")].toString();
    }
    QString storedToken() {
        auto store = kite::store::Store::open(storePath_);
        EXPECT_TRUE(store.ok());
        auto token = (*store)->syncState(str("teacher_token"));
        EXPECT_TRUE(token.ok());
        return token.ok() ? *token : QString();
    }
    static kite::client::TeacherOptions quick() {
        kite::client::TeacherOptions o;
        o.backoff_first = std::chrono::milliseconds(100);
        o.backoff_most = std::chrono::milliseconds(1000);
        return o;
    }
    static bool waitFor(const std::function<bool()>& done) { return kite::testing::waitFor(done, 30s); }
    static int countOf(const PollModel& polls, const QString& answer) {
        for (const QVariant& v : polls.results())
            if (v.toMap().value(str("answer")).toString() == answer) return v.toMap().value(str("count")).toInt();
        return -1;
    }

    kite::course::Course course_;
    QString storePath_;
    std::unique_ptr<kite::store::AsyncStore> store_;
};

}  // namespace

TEST_F(TeacherMode, ATokenTheServerDoesNotKnowIsRefusedInPlainWordsAndNotKept) {
    TeacherModel teacher(*store_, base_, nullptr, quick());
    ASSERT_TRUE(teacher.available());
    teacher.enter(str("   "));
    EXPECT_TRUE(teacher.error().contains(str("paste the teacher token")));
    teacher.enter(str("not-a-token"));
    EXPECT_TRUE(teacher.checking());
    ASSERT_TRUE(waitFor([&] { return !teacher.checking(); }));
    EXPECT_FALSE(teacher.active());
    EXPECT_TRUE(teacher.error().contains(str("not valid any more"))) << teacher.error().toStdString();
    EXPECT_TRUE(storedToken().isEmpty());

    // A device's token is no teacher's either.
    teacher.enter(enroll(school_, "kiosk"));
    ASSERT_TRUE(waitFor([&] { return !teacher.checking(); }));
    EXPECT_FALSE(teacher.active());
    EXPECT_TRUE(teacher.error().contains(str("may not"))) << teacher.error().toStdString();

    // Without a school server there is no teacher mode.
    TeacherModel none(*store_, QString());
    EXPECT_FALSE(none.available());
}

TEST_F(TeacherMode, ATeachersTokenIsKeptAndTheClassHeatmapFollowsTheAnswersLive) {
    const QString device = enroll(school_, "kiosk 1");
    addLearner(str("Ada"), uuidFor(str("L1"), 0));
    addLearner(str("Ben"), uuidFor(str("L2"), 0));
    addClass(str("4B"), {uuidFor(str("L1"), 0), uuidFor(str("L2"), 0)});
    addClass(str("3A"), {});

    TeacherModel teacher(*store_, base_, nullptr, quick());
    QSignalSpy entered(&teacher, &TeacherModel::entered);
    teacher.enter(teacherToken());
    ASSERT_TRUE(waitFor([&] { return teacher.active() && teacher.live() && !teacher.loading(); }))
        << teacher.error().toStdString();
    EXPECT_EQ(entered.count(), 1);
    EXPECT_EQ(teacher.error(), QString());
    ASSERT_EQ(teacher.classes().size(), 2);
    EXPECT_EQ(teacher.classes()[0].toMap()[str("name")].toString(), str("3A"));  // by name
    teacher.selectClass(teacher.classes()[1].toMap()[str("id")].toString());
    ASSERT_TRUE(waitFor([&] { return teacher.heatmap()->learners().size() == 2; }));
    EXPECT_EQ(teacher.heatmap()->learners(), QStringList({str("Ada"), str("Ben")}));
    EXPECT_TRUE(teacher.heatmap()->skills().isEmpty());  // no answers yet

    // Ada's answers reach the server: the grid moves without asking.
    ASSERT_EQ(call("POST", str("/v1/sync/push"), pushBody(str("L1"), 1, 5, str("a")), device).status, 202);
    ASSERT_TRUE(waitFor([&] { return teacher.heatmap()->skills() == QStringList({str("parts")}); }));
    kite::ui::MasteryTable& grid = *teacher.heatmap();
    EXPECT_EQ(grid.rowCount(), 2);
    EXPECT_EQ(grid.columnCount(), 1);
    const double ada = grid.valueAt(0, 0);
    EXPECT_GT(ada, 0.5);  // five right answers
    EXPECT_EQ(grid.cellName(0, 0), str("Ada, parts: %1 %").arg(qRound(ada * 100)));
    EXPECT_EQ(grid.cellName(1, 0), str("Ben, parts: no answers yet"));
    EXPECT_EQ(grid.data(grid.index(0, 0), kite::ui::MasteryTable::ModelRole).toString(), str("bkt"));
    EXPECT_EQ(grid.data(grid.index(0, 0), kite::ui::MasteryTable::AttemptsRole).toInt(), 5);
    EXPECT_LT(grid.valueAt(1, 0), 0);

    // The token was kept: the app started again is in teacher mode at once.
    ASSERT_TRUE(waitFor([&] { return !storedToken().isEmpty(); }));
    {
        TeacherModel again(*store_, base_, nullptr, quick());
        ASSERT_TRUE(waitFor([&] { return again.active() && again.classes().size() == 2; }));
    }

    // Leaving forgets it.
    teacher.leave();
    EXPECT_FALSE(teacher.active());
    EXPECT_EQ(teacher.heatmap()->rowCount(), 0);
    ASSERT_TRUE(waitFor([&] { return storedToken().isEmpty(); }));
}

TEST_F(TeacherMode, ARevokedTokenEndsTeacherModeWithAPlainMessage) {
    const auto made = call("POST", str("/v1/teachers"), json({{str("name"), str("Mr Dale")}}), adminToken(school_));
    ASSERT_EQ(made.status, 201);
    TeacherModel teacher(*store_, base_, nullptr, quick());
    teacher.enter(made.body[str("token")].toString());
    ASSERT_TRUE(waitFor([&] { return teacher.active() && teacher.live(); }));

    ASSERT_EQ(call("DELETE", str("/v1/tokens/") + made.body[str("teacher_id")].toString(), {}, adminToken(school_)).status,
              200);
    // The server drops the stream at the next message at the latest; a
    // restart drops it now. Reconnecting finds the token refused.
    server_->kill(SIGTERM);
    server_->wait();
    const std::string listen = QStringLiteral("127.0.0.1:%1").arg(QUrl(base_).port()).toStdString();
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{KITE_SERVER_BINARY, "serve", "--data", data_, "--listen", listen},
        dir_.filePath(str("server2.err")).toStdString());
    ASSERT_TRUE(server_->readLine(30s).has_value()) << "kite-server did not start again on " << listen;
    ASSERT_TRUE(waitFor([&] { return !teacher.active(); }));
    EXPECT_TRUE(teacher.error().contains(str("not valid any more"))) << teacher.error().toStdString();
    ASSERT_TRUE(waitFor([&] { return storedToken().isEmpty(); }));
}

TEST_F(TeacherMode, APollCountsAnswersLiveAndClosesWithItsResults) {
    const QString device = enroll(school_, "kiosk 1");
    TeacherModel teacher(*store_, base_, nullptr, quick());
    PollModel polls(teacher, *store_);
    polls.openQuestion(str("What is 2 + 2?"), str("3\n4\n5"));
    EXPECT_EQ(polls.error(), str("enter teacher mode first"));

    teacher.enter(teacherToken());
    ASSERT_TRUE(waitFor([&] { return teacher.active() && teacher.live(); }));
    polls.openQuestion(str(""), str("3\n4"));
    EXPECT_EQ(polls.error(), str("write the question first"));
    polls.openQuestion(str("What is 2 + 2?"), str("4\n\n 4 "));
    EXPECT_TRUE(polls.error().contains(str("at least two")));

    polls.openQuestion(str("What is 2 + 2?"), str("3\n4\n\n5\n"));
    ASSERT_TRUE(waitFor([&] { return polls.state() == str("open"); })) << polls.error().toStdString();
    EXPECT_EQ(polls.question(), str("What is 2 + 2?"));
    EXPECT_EQ(polls.results().size(), 3);
    EXPECT_EQ(countOf(polls, str("4")), 0);

    // Two learners answer on a device: the counts arrive over the stream.
    for (const char* learner : {"L1", "L2"}) {
        const auto r = call("POST", str("/v1/polls/%1/answers").arg(polls.pollId()),
                            json({{str("learner"), uuidFor(str(learner), 0)}, {str("answer"), str("4")}}), device);
        ASSERT_EQ(r.status, 200) << r.raw.toStdString();
    }
    ASSERT_TRUE(waitFor([&] { return countOf(polls, str("4")) == 2; }));
    EXPECT_EQ(polls.answered(), 2);
    EXPECT_EQ(countOf(polls, str("3")), 0);
    EXPECT_DOUBLE_EQ(polls.results()[1].toMap()[str("fraction")].toDouble(), 1.0);

    polls.close();
    ASSERT_TRUE(waitFor([&] { return polls.state() == str("closed"); })) << polls.error().toStdString();
    EXPECT_EQ(countOf(polls, str("4")), 2);
    const auto late = call("POST", str("/v1/polls/%1/answers").arg(polls.pollId()),
                           json({{str("learner"), uuidFor(str("L3"), 0)}, {str("answer"), str("3")}}), device);
    EXPECT_EQ(late.status, 409);
    EXPECT_EQ(countOf(polls, str("3")), 0);

    // An item of the course as the next question.
    polls.loadItems();
    ASSERT_TRUE(waitFor([&] { return !polls.items().isEmpty(); }));
    const QVariantMap item = polls.items().front().toMap();
    EXPECT_EQ(item[str("course")].toString(), str("fractions"));
    polls.openItem(item[str("course")].toString(), item[str("item")].toString());
    ASSERT_TRUE(waitFor([&] { return polls.state() == str("open"); })) << polls.error().toStdString();
    EXPECT_EQ(polls.question(), item[str("label")].toString());
    EXPECT_EQ(polls.answered(), 0);
}

// The whole loop: a device (a real SyncClient on its own store) and the
// learner's prompt; the teacher's models on theirs.
TEST_F(TeacherMode, ALearnerOnADeviceAnswersTheTeachersPollAndTheirAnswersMoveTheHeatmap) {
    // The device, enrolled, with its learner Ada (on the server's roster and in class 4B).
    const QString devicePath = dir_.filePath(str("device.db"));
    kite::store::Learner ada;
    {
        auto store = kite::store::Store::open(devicePath);
        ASSERT_TRUE(store.ok());
        ASSERT_TRUE((*store)->importCourse(course_).ok());
        auto learner = (*store)->addLearner(str("Ada"));
        ASSERT_TRUE(learner.ok());
        ada = *learner;
    }
    addLearner(str("Ada"), ada.uid);
    addClass(str("4B"), {ada.uid});
    kite::client::SyncOptions options;
    options.server = QUrl(base_);
    options.backoff_first = 200ms;
    options.backoff_most = 2s;
    kite::client::SyncClient device(devicePath, options);
    QSignalSpy enrolled(&device, &kite::client::SyncClient::enrolled);
    device.start();
    device.enroll(school_[str("enrollment_code")].toString(), str("kiosk 1"));
    ASSERT_TRUE(waitFor([&] { return enrolled.count() == 1; }));
    ASSERT_TRUE(enrolled.front().front().toBool()) << enrolled.front().at(1).toString().toStdString();

    bool deviceOpened = false;
    kite::store::AsyncStore deviceStore(devicePath, &app_, [&](kite::Status s, QString) {
        EXPECT_TRUE(s.ok());
        deviceOpened = true;
    });
    ASSERT_TRUE(waitFor([&] { return deviceOpened; }));
    PollPrompt prompt(deviceStore);
    QObject::connect(&device, &kite::client::SyncClient::pollOpened, &prompt, &PollPrompt::pollOpened);
    QObject::connect(&device, &kite::client::SyncClient::pollClosed, &prompt, &PollPrompt::pollClosed);
    QObject::connect(&device, &kite::client::SyncClient::pollAnswered, &prompt, &PollPrompt::answered);
    QObject::connect(&prompt, &PollPrompt::answerRequested, &device, &kite::client::SyncClient::answerPoll);
    prompt.setLearner(ada.id);

    // The teacher.
    TeacherModel teacher(*store_, base_, nullptr, quick());
    PollModel polls(teacher, *store_);
    teacher.enter(teacherToken());
    ASSERT_TRUE(waitFor([&] { return teacher.active() && teacher.live() && teacher.heatmap()->rowCount() == 1; }));
    EXPECT_TRUE(teacher.heatmap()->skills().isEmpty());
    // The device's stream is up before the poll opens (else it is told on connecting).
    ASSERT_TRUE(waitFor([&] { return device.status().state == kite::client::SyncState::UpToDate; }));

    polls.openQuestion(str("Which is bigger?"), str("½\n⅓"));
    ASSERT_TRUE(waitFor([&] { return prompt.active(); }));
    EXPECT_EQ(prompt.question(), str("Which is bigger?"));
    EXPECT_EQ(prompt.options(), QStringList({str("½"), str("⅓")}));
    EXPECT_EQ(prompt.pollId(), polls.pollId());

    prompt.answer(str("½"));
    EXPECT_TRUE(prompt.sending());
    ASSERT_TRUE(waitFor([&] { return !prompt.sending(); }));
    EXPECT_EQ(prompt.error(), QString());
    EXPECT_EQ(prompt.answeredWith(), str("½"));
    ASSERT_TRUE(waitFor([&] { return countOf(polls, str("½")) == 1; }));
    EXPECT_EQ(polls.answered(), 1);

    // Closing takes it away from the learner; the teacher keeps the results.
    polls.close();
    ASSERT_TRUE(waitFor([&] { return !prompt.active(); }));
    EXPECT_EQ(polls.state(), str("closed"));
    EXPECT_EQ(countOf(polls, str("½")), 1);
    EXPECT_EQ(countOf(polls, str("⅓")), 0);

    // An item's poll shows the item's own prompt and choices.
    const kite::course::Item* choice = nullptr;
    for (const auto& i : course_.items)
        if (i.type == kite::course::ItemType::MultipleChoice && !choice) choice = &i;
    ASSERT_NE(choice, nullptr);
    polls.openItem(str("fractions"), choice->id);
    ASSERT_TRUE(waitFor([&] { return prompt.active(); }));
    EXPECT_EQ(prompt.question(), choice->prompt);
    EXPECT_EQ(prompt.options(), choice->choices);
    prompt.dismiss();
    EXPECT_FALSE(prompt.active());
    polls.close();
    ASSERT_TRUE(waitFor([&] { return polls.state() == str("closed"); }));

    // Ada practises on the device: the teacher's heatmap gets her skill.
    {
        auto store = kite::store::Store::open(devicePath);
        ASSERT_TRUE(store.ok());
        kite::store::AttemptRecord a;
        a.learner = ada.id;
        a.course = str("fractions");
        a.item = choice->id;
        a.response = QByteArrayLiteral("{\"choice\":0}");
        a.correct = true;
        a.score = 1;
        a.duration_ms = 5000;
        a.answered_at = QDateTime::currentMSecsSinceEpoch();
        for (const QString& skill : choice->skills) a.mastery.push_back({skill, 0.6, 1, 1, a.answered_at});
        ASSERT_TRUE((*store)->recordAttempt(a).ok());
    }
    device.syncNow();
    ASSERT_TRUE(waitFor([&] { return teacher.heatmap()->skills() == choice->skills; }))
        << teacher.heatmap()->skills().join(str(",")).toStdString();
    EXPECT_GE(teacher.heatmap()->valueAt(0, 0), 0);
    EXPECT_TRUE(teacher.heatmap()->cellName(0, 0).startsWith(str("Ada, %1: ").arg(choice->skills.front())));
}
