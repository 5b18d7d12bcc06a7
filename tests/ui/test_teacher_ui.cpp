// Teacher mode in the real QML app, offscreen, against the real kite-server
// on loopback: the teacher pastes the token, sees the class heatmap fill in
// as the learner's answers arrive, opens a poll; the app (also a device with
// a signed-in learner) shows the poll over the page, the learner answers,
// the bar moves on the teacher's page; closing takes the prompt away.
// Pictures of each step go to KITE_UI_SCREENS (default: tests/ui/screens-teacher).
#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>


#include "../support/school_server.h"
#include "../support/server_fixture.h"
#include "app_ui_fixture.h"
#include "../support/wait_for.h"
#include "kite/app_core.h"

namespace {

using namespace std::chrono_literals;

QString str(const char* s) {
    return QString::fromUtf8(s);
}

class TeacherUi : public kite::testing::AppUiFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        useScreens(qEnvironmentVariable("KITE_UI_SCREENS", str(KITE_UI_SCREENS)));
        server_ = std::make_unique<kite::testing::SchoolServer>(KITE_SERVER_BINARY,
                                                                KITE_SOURCE_DIR "/resources/courses/fractions");
        ASSERT_TRUE(server_->running()) << server_->error();
        base_ = server_->url();
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
        settings_.reset();
        server_.reset();
    }
    kite::testing::Response call(const QByteArray& method, const QString& path, const QJsonObject& body = {}) {
        return kite::testing::request(net_, method, base_ + path, QJsonDocument(body).toJson(),
                                      server_->adminToken());
    }

    void startApp() {
        settings_ = std::make_unique<kite::ui::AppSettings>(
            std::make_unique<QSettings>(dir_.filePath(str("managed.conf")), QSettings::IniFormat),
            std::make_unique<QSettings>(dir_.filePath(str("user.conf")), QSettings::IniFormat));
        kite::ui::AppOptions options;
        options.profile = dir_.filePath(str("device"));
        ASSERT_TRUE(QDir().mkpath(options.profile));
        options.server = base_;
        options.enroll = server_->enrollmentCode();
        options.sample_course = str(KITE_SOURCE_DIR "/resources/courses/fractions");
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        loadApp(*core_);
    }

    static bool waitFor(const std::function<bool()>& done) { return AppUiFixture::waitFor(done, 30s); }
    void fill(const QString& field, const QString& text) {
        click(field);
        QQuickItem* i = item(field);
        ASSERT_NE(i, nullptr);
        i->setProperty("text", text);  // as an input method would
    }
    int pollCount(const QString& answer) const {
        for (const QVariant& v : core_->polls().results())
            if (v.toMap()[str("answer")].toString() == answer) return v.toMap()[str("count")].toInt();
        return -1;
    }

    QTemporaryDir dir_;
    std::unique_ptr<kite::testing::SchoolServer> server_;
    QString base_;
    QNetworkAccessManager net_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
};

TEST_F(TeacherUi, TheTeacherSeesTheHeatmapAndRunsAPollThatTheLearnerAnswers) {
    startApp();
    // The app's own learner signs in (a laptop with one learner).
    ASSERT_TRUE(waitFor([&] { return core_->signIn().signedIn(); }));
    ASSERT_TRUE(waitFor([&] { return core_->syncIndicator().state() == str("upToDate"); }))
        << core_->syncIndicator().text().toStdString();
    const auto made = call("POST", str("/v1/teachers"), {{str("name"), str("Ms Hill")}});
    ASSERT_EQ(made.status, 201);

    click(str("navTeacher"));
    ASSERT_TRUE(waitFor([&] { return shown(str("teacherPage")); }));
    fill(str("teacherToken"), str("wrong"));
    click(str("teacherEnter"));
    ASSERT_TRUE(waitFor([&] { return shown(str("teacherError")); }));
    EXPECT_TRUE(item(str("teacherError"))->property("text").toString().contains(str("not valid any more")));
    screenshot(str("teacher-token-refused"));

    // A class with a learner who has answered, and one who has not.
    const QString ada = kite::testing::uuidFor(str("Ada"), 0);
    ASSERT_EQ(call("POST", str("/v1/learners"), {{str("name"), str("Ada")}, {str("id"), ada}}).status, 201);
    ASSERT_EQ(call("POST", str("/v1/learners"), {{str("name"), str("Ben")}}).status, 201);
    const auto ben = call("GET", str("/v1/learners"));
    QStringList members{ada};
    for (const QJsonValue& l : ben.body[str("learners")].toArray())
        if (l[str("name")].toString() == str("Ben")) members << l[str("id")].toString();
    ASSERT_EQ(call("POST", str("/v1/classes"),
                   {{str("name"), str("4B")}, {str("learners"), QJsonArray::fromStringList(members)}})
                  .status,
              201);

    fill(str("teacherToken"), made.body[str("token")].toString());
    click(str("teacherEnter"));
    ASSERT_TRUE(waitFor([&] { return core_->teacher().active() && core_->teacher().live(); }));
    ASSERT_TRUE(waitFor([&] { return core_->teacher().heatmap()->rowCount() == 2; }));

    // Ada's answers arrive at the server: the heatmap fills in by itself.
    const QString device = kite::testing::request(
        net_, "POST", base_ + str("/v1/enroll"),
        QJsonDocument(QJsonObject{{str("enrollment_code"), server_->enrollmentCode()},
                                  {str("device_name"), str("kiosk 2")}}).toJson()).body[str("token")].toString();
    kite::wire::PushRequest push;
    for (int i = 1; i <= 4; ++i) {
        kite::testing::TestAnswer t;
        t.seq = i;
        t.id = kite::testing::uuidFor(str("answer"), i);
        t.learner = ada;
        t.skill = str("parts");
        t.item = str("parts-01");
        t.answered_at = 1'795'000'000'000 + i;
        push.events.push_back(kite::testing::attemptEvent(t));
    }
    ASSERT_EQ(kite::testing::request(net_, "POST", base_ + str("/v1/sync/push"),
                                     QJsonDocument(kite::wire::toJson(push)).toJson(), device)
                  .status,
              202);
    ASSERT_TRUE(waitFor([&] { return shown(str("cell_0_0")); }));
    const QString name = item(str("cell_0_0"))->property("name").toString();
    EXPECT_TRUE(name.startsWith(str("Ada, parts: "))) << name.toStdString();
    EXPECT_EQ(item(str("cell_1_0"))->property("name").toString(), str("Ben, parts: no answers yet"));
    screenshot(str("teacher-heatmap"));

    // A poll; the app's own learner (signed in on this device) is asked it.
    fill(str("pollQuestion"), str("Which is bigger?"));
    fill(str("pollOptions"), str("½\n⅓"));
    click(str("pollOpen"));
    ASSERT_TRUE(waitFor([&] { return core_->polls().state() == str("open"); })) << core_->polls().error().toStdString();
    ASSERT_TRUE(waitFor([&] { return core_->pollPrompt().active() && shown(str("pollOption0")); }));
    screenshot(str("poll-prompt"));
    click(str("pollOption0"));
    ASSERT_TRUE(waitFor([&] { return pollCount(str("½")) == 1; }));
    click(str("pollDismiss"));
    ASSERT_TRUE(waitFor([&] { return !shown(str("pollPrompt")); }));
    ASSERT_TRUE(waitFor([&] { return shown(str("pollBar_0")); }));
    EXPECT_GT(item(str("pollBar_0"))->width(), item(str("pollBar_1"))->width());
    screenshot(str("poll-live"));
    click(str("pollClose"));
    ASSERT_TRUE(waitFor([&] { return core_->polls().state() == str("closed"); }));
    EXPECT_TRUE(item(str("pollAnswered"))->property("text").toString().startsWith(str("Closed")));
    screenshot(str("poll-results"));

    click(str("teacherLeave"));
    ASSERT_TRUE(waitFor([&] { return shown(str("teacherToken")); }));
    EXPECT_TRUE(qmlWarnings_.filter(str("Teacher")).isEmpty() && qmlWarnings_.filter(str("Poll")).isEmpty())
        << qmlWarnings_.join(str("\n")).toStdString();
}

}  // namespace

int main(int argc, char** argv) {
    return kite::testing::runUiTests(argc, argv);
}
