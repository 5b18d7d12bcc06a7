// Acceptance 2 of the desktop app, on the real QML app offscreen (docs/app.md,
// "Kiosk mode"; docs/deploy.md): a kiosk set up by managed settings signs a
// learner out by itself after the idle time; closing it and opening Settings
// need the teacher PIN; and a value IT set at system scope overrides the
// user's, shows locked and cannot be changed. Pictures of each screen go to
// tests/ui/screens-kiosk/<test> in the build folder.
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include "app_ui_fixture.h"
#include "kite/pin_hash.h"
#include "kite/store.h"

namespace {

using namespace std::chrono_literals;

const QString kTeacherPin = QStringLiteral("8642");

class KioskUi : public kite::testing::AppUiFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        useScreens(QStringLiteral(KITE_UI_SCREENS "/") +
                   QString::fromLatin1(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        // The device's learners, as a kiosk's profile holds them: Ben has a PIN.
        profile_ = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(profile_));
        auto store = kite::store::Store::open(QDir(profile_).filePath(QStringLiteral("kite.db")));
        ASSERT_TRUE(store.ok()) << store.error().message;
        ASSERT_TRUE((*store)->addLearner(QStringLiteral("Ada"), QStringLiteral("#2a7ab0")).ok());
        ASSERT_TRUE((*store)->addLearner(QStringLiteral("Ben"), QStringLiteral("#e53935"), QStringLiteral("2468")).ok());
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
        settings_.reset();
    }

    // The managed (system-scope) and the user's settings, as INI text.
    void configure(const QByteArray& managed, const QByteArray& user = {}) {
        for (const auto& [name, text] : {std::pair{"managed.conf", managed}, std::pair{"user.conf", user}}) {
            QFile f(dir_.filePath(QString::fromLatin1(name)));
            ASSERT_TRUE(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
    }
    // The app on this device's profile, with no school server. One second of
    // kiosk/idle_seconds lasts `second`.
    void startApp(std::chrono::milliseconds second = 1s) {
        settings_ = std::make_unique<kite::ui::AppSettings>(
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("managed.conf")), QSettings::IniFormat),
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));
        ASSERT_TRUE(settings_->problems().isEmpty()) << settings_->problems().join(QLatin1Char('\n')).toStdString();
        kite::ui::AppOptions options;
        options.profile = profile_;
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        options.kiosk_second = second;
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        loadApp(*core_);
    }
    static QByteArray kioskSettings(int idleSeconds) {
        return "[kiosk]\nenabled=true\nidle_seconds=" + QByteArray::number(idleSeconds) +
               "\nteacher_pin_hash=" + kite::hashPin(kTeacherPin).toLatin1() + "\n";
    }
    bool onRoster() { return shown(QStringLiteral("signInPage")) && item(QStringLiteral("learner1")) && settled(); }
    // Types into the focused field and presses Enter.
    void enter(const QString& text) {
        type(text);
        QTest::keyClick(window_, Qt::Key_Return);
    }

    QTemporaryDir dir_;
    QString profile_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
};

TEST_F(KioskUi, AKioskSignsALearnerOutByItselfAfterTheIdleTime) {
    configure(kioskSettings(15));
    // 15 "seconds" of 200 ms: the setting's least, through the real path
    // (managed settings -> AppCore -> SignIn), without waiting 15 s.
    startApp(200ms);
    EXPECT_EQ(window_->visibility(), QWindow::FullScreen) << "a kiosk fills the screen";
    // A kiosk always shows the roster, even to the one learner who is signed in alone elsewhere.
    ASSERT_TRUE(waitFor([&] { return onRoster(); }));
    EXPECT_FALSE(core_->signIn().signedIn());
    EXPECT_FALSE(shown(QStringLiteral("kioskWarning"))) << "a teacher PIN is configured";
    screenshot(QStringLiteral("roster"));

    // Ben signs in on the grid with his PIN; then nobody touches anything.
    QSignalSpy out(&core_->signIn(), &kite::ui::SignIn::signedOut);
    click(QStringLiteral("learner1"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("pinField")); }));
    click(QStringLiteral("pinField"));
    enter(QStringLiteral("2468"));
    ASSERT_TRUE(waitFor([&] { return core_->signIn().signedIn(); })) << core_->signIn().error().toStdString();
    QElapsedTimer idle;
    idle.start();
    EXPECT_EQ(core_->signIn().learnerName(), QStringLiteral("Ben"));

    // Back on the roster by itself, after the idle time and not before.
    ASSERT_TRUE(waitFor([&] { return !core_->signIn().signedIn() && onRoster(); }, 30s));
    EXPECT_GE(idle.elapsed(), 2000) << "not before the idle time (3 s here)";
    ASSERT_EQ(out.count(), 1);
    EXPECT_TRUE(out.front().front().toBool()) << "signed out by the idle timer";
    EXPECT_FALSE(shown(QStringLiteral("signOut")));
    screenshot(QStringLiteral("roster-after-idle"));
}

TEST_F(KioskUi, ClosingAKioskAndOpeningSettingsNeedTheTeacherPin) {
    configure(kioskSettings(120));
    startApp();
    ASSERT_TRUE(waitFor([&] { return onRoster(); }));

    // Settings: the PIN first; Esc leaves things as they were.
    click(QStringLiteral("navSettings"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("kioskPinField")); }));
    EXPECT_FALSE(shown(QStringLiteral("settingsPage")));
    QTest::keyClick(window_, Qt::Key_Escape);
    ASSERT_TRUE(waitFor([&] { return !shown(QStringLiteral("kioskPinField")); }));
    EXPECT_FALSE(shown(QStringLiteral("settingsPage")));
    click(QStringLiteral("navSettings"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("kioskPinField")); }));
    enter(kTeacherPin);
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("settingsPage")) && settled(); }));
    EXPECT_TRUE(shown(QStringLiteral("settingKiosk")));
    EXPECT_FALSE(item(QStringLiteral("settingKiosk"))->isEnabled()) << "IT set kiosk mode: it stays";
    screenshot(QStringLiteral("settings-unlocked"));
    click(QStringLiteral("back"));
    ASSERT_TRUE(waitFor([&] { return onRoster(); }));
    EXPECT_TRUE(core_->kiosk().locked()) << "leaving Settings locks the kiosk again";

    // Closing: refused without the PIN, and with a wrong one.
    window_->close();
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("kioskPinField")); }));
    EXPECT_TRUE(window_->isVisible()) << "closing a kiosk needs the teacher PIN";
    enter(QStringLiteral("1111"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("kioskPinError")) && !core_->kiosk().checking(); }));
    EXPECT_EQ(item(QStringLiteral("kioskPinError"))->property("text").toString(), QStringLiteral("That PIN is not right."));
    EXPECT_TRUE(window_->isVisible());
    screenshot(QStringLiteral("wrong-pin"));

    // The right one closes the app.
    enter(kTeacherPin);
    ASSERT_TRUE(waitFor([&] { return !window_->isVisible(); }));
    // No window left: the app quits (as `kite` runs it, QGuiApplication::exec()
    // returns when its last window closes).
    for (QWindow* w : QGuiApplication::topLevelWindows()) EXPECT_FALSE(w->isVisible()) << w->objectName().toStdString();
    EXPECT_TRUE(QGuiApplication::quitOnLastWindowClosed());
}

TEST_F(KioskUi, AKioskWithoutATeacherPinSaysSoAndLetsTheTeacherOut) {
    configure("[kiosk]\nenabled=true\n");
    startApp();
    ASSERT_TRUE(waitFor([&] { return onRoster() && shown(QStringLiteral("kioskWarning")); }));
    EXPECT_TRUE(item(QStringLiteral("kioskWarningText"))->property("text").toString().contains(QStringLiteral("no teacher PIN")));
    screenshot(QStringLiteral("no-teacher-pin"));
    click(QStringLiteral("navSettings"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("settingsPage")); })) << "no PIN to ask for";
    window_->close();
    ASSERT_TRUE(waitFor([&] { return !window_->isVisible(); }));
}

TEST_F(KioskUi, AManagedValueOverridesTheUsersAndShowsLocked) {
    configure("theme=dark\n[sync]\npaused=true\n", "theme=high_contrast\ntext_scale=1.25\n[sync]\npaused=false\n");
    startApp();
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("signInPage")) || shown(QStringLiteral("libraryPage")); }));
    EXPECT_EQ(settings_->theme(), QStringLiteral("dark"));
    EXPECT_TRUE(settings_->syncPaused());
    EXPECT_DOUBLE_EQ(settings_->textScale(), 1.25) << "what IT did not set stays the user's";
    // The running window is dark: its background, where no control is.
    ASSERT_TRUE(nextFrame());
    const QImage shot = window_->grabWindow();
    EXPECT_EQ(shot.pixelColor(shot.width() - 4, shot.height() - 4), QColor(QStringLiteral("#1e1f22")));

    click(QStringLiteral("navSettings"));
    ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("settingsPage")) && settled(); }));
    QQuickItem* theme = item(QStringLiteral("settingTheme"));
    QQuickItem* paused = item(QStringLiteral("settingPaused"));
    ASSERT_TRUE(theme && paused);
    EXPECT_FALSE(theme->isEnabled());
    EXPECT_FALSE(paused->isEnabled());
    EXPECT_TRUE(paused->property("checked").toBool());
    EXPECT_EQ(theme->property("currentValue").toString(), QStringLiteral("dark"));
    EXPECT_TRUE(item(QStringLiteral("settingTextScale"))->isEnabled());
    EXPECT_TRUE(shown(QStringLiteral("managedNote")));
    screenshot(QStringLiteral("settings-locked"));

    // Trying to change them: clicks on the controls, and the settings' own door.
    for (QQuickItem* control : {paused, theme}) {
        const QPointF centre = control->mapToScene(QPointF(control->width() / 2, control->height() / 2));
        QTest::mouseClick(window_, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    }
    EXPECT_FALSE(settings_->setValue(QStringLiteral("theme"), QStringLiteral("light")));
    ASSERT_TRUE(nextFrame());
    EXPECT_TRUE(paused->property("checked").toBool());
    EXPECT_EQ(theme->property("currentValue").toString(), QStringLiteral("dark"));
    EXPECT_EQ(settings_->theme(), QStringLiteral("dark"));
    EXPECT_TRUE(settings_->syncPaused());
    QSettings user(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat);
    EXPECT_EQ(user.value(QStringLiteral("theme")).toString(), QStringLiteral("high_contrast"))
        << "the user's own value is kept, for when IT lets go";
}

}  // namespace

int main(int argc, char** argv) {
    return kite::testing::runUiTests(argc, argv);
}
