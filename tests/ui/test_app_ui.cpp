// The real QML app, offscreen, against the real kite-server on loopback
// (docs/app.md, acceptance 1 of the desktop app): sign in, open a lesson,
// answer 5 items and see mastery move, stop the server, answer 3 more (the
// indicator: offline, 3 waiting), restart the server (up to date). It saves a
// picture of every screen it passes through in KITE_UI_SCREENS (default:
// tests/ui/screens in the build folder).
#include <QDateTime>
#include <QTemporaryDir>

#include "../support/school_server.h"
#include "app_ui_fixture.h"
#include "kite/course.h"

namespace {

using namespace std::chrono_literals;

class AppUi : public kite::testing::AppUiFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        useScreens(qEnvironmentVariable("KITE_UI_SCREENS", QStringLiteral(KITE_UI_SCREENS)));
        const auto report = kite::course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
        ASSERT_TRUE(report.ok());
        course_ = *report.course;

        server_ = std::make_unique<kite::testing::SchoolServer>(KITE_SERVER_BINARY,
                                                                KITE_SOURCE_DIR "/resources/courses/fractions");
        ASSERT_TRUE(server_->running()) << server_->error();
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
        settings_.reset();
        server_.reset();
    }

    void startApp() {
        settings_ = std::make_unique<kite::ui::AppSettings>(
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("managed.conf")), QSettings::IniFormat),
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));
        kite::ui::AppOptions options;
        options.profile = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(options.profile));
        options.server = server_->url();
        options.enroll = server_->enrollmentCode();
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        // Quick retries, so that the restarted server is found within the test's patience.
        options.sync.backoff_first = 200ms;
        options.sync.backoff_most = 2s;
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        QObject::connect(&core_->practice(), &kite::ui::PracticeModel::answerRecorded, [this] {
            ++recorded_;
            recorded_at_ = QDateTime::currentMSecsSinceEpoch();
        });
        loadApp(*core_);
    }

    QString syncText() const { return core_->syncIndicator().text(); }
    const kite::course::Item& shownItem() const {
        for (const auto& i : course_.items)
            if (i.id == core_->practice().itemId()) return i;
        ADD_FAILURE() << "no item shown";
        return course_.items.front();
    }
    double barValue(const QString& skill) const {
        QQuickItem* bar = item(QStringLiteral("mastery_") + skill);
        return bar ? bar->property("value").toDouble() : -1;
    }

    // Answers the item on screen rightly, through the controls a learner uses.
    void answerRight() {
        const kite::course::Item& it = shownItem();
        switch (it.type) {
        case kite::course::ItemType::MultipleChoice:
            click(QStringLiteral("choice%1").arg(it.answer));
            break;
        case kite::course::ItemType::MultipleSelect:
            for (int i : it.answers) click(QStringLiteral("select%1").arg(i));
            for (int i = 0; i < it.choices.size(); ++i) {
                QQuickItem* box = item(QStringLiteral("select%1").arg(i));
                EXPECT_EQ(box && box->property("checked").toBool(), it.answers.contains(i))
                    << it.id.toStdString() << " box " << i;
            }
            click(QStringLiteral("checkSelected"));
            break;
        case kite::course::ItemType::Numeric:
        case kite::course::ItemType::ShortText: {
            click(QStringLiteral("answerField"));
            const QString text = it.type == kite::course::ItemType::Numeric ? QString::number(it.value) : it.accepted.front();
            for (QChar c : text) {
                if (c.unicode() < 128) {
                    QTest::keyClick(window_, c.toLatin1());
                } else {  // typed by an input method: set as it would
                    QQuickItem* field = item(QStringLiteral("answerField"));
                    field->setProperty("text", field->property("text").toString() + c);
                }
            }
            QTest::keyClick(window_, Qt::Key_Return);
            break;
        }
        }
        ASSERT_TRUE(waitFor([&] { return core_->practice().answered(); })) << "answered " << it.id.toStdString();
        EXPECT_TRUE(core_->practice().correct()) << it.id.toStdString();
    }

    QTemporaryDir dir_;
    kite::course::Course course_;
    std::unique_ptr<kite::testing::SchoolServer> server_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
    int recorded_ = 0;             // answers made durable
    std::int64_t recorded_at_ = 0; // Unix ms, the last one
};

TEST_F(AppUi, StudyOnlineThenOfflineThenOnlineAgain) {
    startApp();
    // A laptop with one learner: signed in; the library once enrolled and synced.
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("libraryPage")) && core_->library().rowCount() > 0; }));
    ASSERT_TRUE(waitFor([&] { return syncText().startsWith(QStringLiteral("Up to date")); }, 30s)) << syncText().toStdString();
    screenshot(QStringLiteral("library"));

    // Signing out shows the roster; signing in brings the library back.
    click(QStringLiteral("signOut"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("signInPage")) && item(QStringLiteral("learner0")); }))
        << "signed in " << core_->signIn().signedIn() << ", page " << shown(QStringLiteral("signInPage")) << ", learners "
        << core_->signIn().learners().size();
    screenshot(QStringLiteral("sign-in"));
    click(QStringLiteral("learner0"));
    ASSERT_TRUE(waitFor([&] { return core_->signIn().signedIn() && shown(QStringLiteral("libraryPage")); }));

    // A lesson, then five answers: the item's mastery bar moves with each.
    const QString lesson = course_.lessons.front().id;
    ASSERT_TRUE(waitFor([&] { return item(QStringLiteral("lesson_") + lesson) != nullptr; }));
    click(QStringLiteral("lesson_") + lesson);
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("lessonPage")) && core_->practice().ready(); }));
    EXPECT_EQ(item(QStringLiteral("lessonText"))->property("text").toString(), course_.lessons.front().markdown);
    screenshot(QStringLiteral("lesson"));
    click(QStringLiteral("startPractice"));
    ASSERT_TRUE(waitFor([&] { return core_->practice().ready() && shown(QStringLiteral("prompt")); }))
        << "ready " << core_->practice().ready() << ", error " << core_->practice().error().toStdString();
    screenshot(QStringLiteral("practice"));
    for (int n = 0; n < 5; ++n) {
        const QString skill = shownItem().skills.front();
        const double before = barValue(skill);
        answerRight();
        const double after = core_->practice().skills().front().toMap().value(QStringLiteral("pKnown")).toDouble();
        EXPECT_GT(after, before) << "answer " << n;
        EXPECT_TRUE(waitFor([&] { return std::abs(barValue(skill) - after) < 1e-6; }, 5s))
            << "the bar shows " << barValue(skill) << ", mastery is " << after;
        if (n == 0) screenshot(QStringLiteral("feedback"));
        click(QStringLiteral("next"));
        ASSERT_TRUE(waitFor([&] { return !core_->practice().answered() && core_->practice().ready(); }));
    }
    // Up to date after the fifth answer was durable (a status sent just
    // before it would say 0 waiting too).
    ASSERT_TRUE(waitFor([&] { return recorded_ == 5; }));
    ASSERT_TRUE(waitFor([&] { return syncText().startsWith(QStringLiteral("Up to date")) &&
                                     core_->syncIndicator().waiting() == 0 &&
                                     core_->syncIndicator().status().last_success >= recorded_at_; }, 30s))
        << syncText().toStdString();
    EXPECT_EQ(server_->attempts(), 5);

    // The server goes away: three more answers wait on the device.
    const QString port = QUrl(server_->url()).authority();
    server_->stop();
    for (int n = 0; n < 3; ++n) {
        answerRight();
        click(QStringLiteral("next"));
        ASSERT_TRUE(waitFor([&] { return !core_->practice().answered() && core_->practice().ready(); }));
    }
    ASSERT_TRUE(waitFor([&] { return syncText() == QStringLiteral("Offline · 3 waiting"); }, 30s))
        << syncText().toStdString();
    const QString shownText = item(QStringLiteral("syncText"))->property("text").toString();
    EXPECT_EQ(shownText, QStringLiteral("Offline · 3 waiting")) << "what the window shows";
    screenshot(QStringLiteral("offline"));

    // Back: the device catches up by itself.
    server_->start(port.toStdString());
    ASSERT_TRUE(server_->running()) << server_->error();
    ASSERT_TRUE(waitFor([&] { return syncText().startsWith(QStringLiteral("Up to date")) &&
                                     core_->syncIndicator().waiting() == 0; }, 60s))
        << syncText().toStdString();
    screenshot(QStringLiteral("up-to-date"));
    EXPECT_EQ(server_->attempts(), 8);

    click(QStringLiteral("navProgress"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("progressPage")) && !core_->progress().loading(); }));
    screenshot(QStringLiteral("progress"));

    click(QStringLiteral("syncText"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("syncDetailsPage")); }));
    EXPECT_TRUE(item(QStringLiteral("syncDetails"))->property("text").toString().startsWith(QStringLiteral("Last synced")));
    screenshot(QStringLiteral("sync-details"));

    click(QStringLiteral("navSettings"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("settingsPage")); }));
    screenshot(QStringLiteral("settings"));
    EXPECT_EQ(QDir(screens_).entryList({QStringLiteral("*.png")}).size(), 10);
}

}  // namespace

int main(int argc, char** argv) {
    return kite::testing::runUiTests(argc, argv);
}
