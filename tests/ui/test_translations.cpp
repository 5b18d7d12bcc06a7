// The app's languages (ui/kite/translations.h, ui/i18n): the real QML app,
// offscreen, opens in French when the `language` setting says so, and
// switching the setting to Spanish, then English, while it runs changes the
// words on screen without a restart.
#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>

#include "app_ui_fixture.h"
#include "kite/app_core.h"
#include "kite/translations.h"

namespace {

class TranslationsUi : public kite::testing::AppUiFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        settings_ = std::make_unique<kite::ui::AppSettings>(
            nullptr, std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
        translations_.reset();
    }

    // As kite_main does: the language first, then the app and its window.
    void startApp() {
        translations_ = std::make_unique<kite::ui::Translations>(*settings_);
        kite::ui::AppOptions options;
        options.profile = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(options.profile));
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        QObject::connect(translations_.get(), &kite::ui::Translations::languageChanged, &core_->syncIndicator(),
                         &kite::ui::SyncIndicator::changed);
        loadApp(*core_, [this](QQmlEngine& engine) { translations_->attach(engine); });
        // A new device with no server: the first-run page; studying here,
        // the one learner is signed in: the library, with its tab.
        click(QStringLiteral("setupOffline"));
        ASSERT_TRUE(waitFor([&] { return shown(QStringLiteral("navLibrary")); }));
    }

    QString text(const QString& name) const {
        QQuickItem* i = item(name);
        return i ? i->property("text").toString() : QStringLiteral("(no %1)").arg(name);
    }
    // The words of the header's tabs and the sync indicator, as a learner reads them.
    QStringList tabs() const {
        return {text(QStringLiteral("navLibrary")), text(QStringLiteral("navProgress")),
                text(QStringLiteral("navSettings")), text(QStringLiteral("syncText"))};
    }
    bool tabsRead(const QStringList& words) const {
        return waitFor([&] { return tabs() == words; });
    }

    QTemporaryDir dir_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::Translations> translations_;
    std::unique_ptr<kite::ui::AppCore> core_;
};

TEST_F(TranslationsUi, OpensInFrenchAndSwitchesLanguageWhileRunning) {
    ASSERT_TRUE(settings_->setValue(QStringLiteral("language"), QStringLiteral("fr")));
    startApp();
    EXPECT_EQ(translations_->language(), QStringLiteral("fr"));
    EXPECT_TRUE(tabsRead({QStringLiteral("Bibliothèque"), QStringLiteral("Progrès"), QStringLiteral("Paramètres"),
                          QStringLiteral("Sur cet appareil seulement")}))
        << tabs().join(QStringLiteral(", ")).toStdString();
    EXPECT_TRUE(waitFor([&] { return text(QStringLiteral("practise_fractions")) == u"S’entraîner"; }))
        << text(QStringLiteral("practise_fractions")).toStdString();
    // The first run's learner was named in the app's language.
    EXPECT_EQ(core_->signIn().learnerName().toStdString(), "Élève");

    ASSERT_TRUE(settings_->setValue(QStringLiteral("language"), QStringLiteral("es")));
    EXPECT_TRUE(tabsRead({QStringLiteral("Biblioteca"), QStringLiteral("Progreso"), QStringLiteral("Ajustes"),
                          QStringLiteral("Solo en este dispositivo")}))
        << tabs().join(QStringLiteral(", ")).toStdString();

    ASSERT_TRUE(settings_->setValue(QStringLiteral("language"), QStringLiteral("en")));
    EXPECT_TRUE(tabsRead({QStringLiteral("Library"), QStringLiteral("Progress"), QStringLiteral("Settings"),
                          QStringLiteral("On this device only")}))
        << tabs().join(QStringLiteral(", ")).toStdString();
    EXPECT_EQ(translations_->language(), QStringLiteral("en"));
}

TEST_F(TranslationsUi, EnglishByDefaultOnAnEnglishOrUnknownSystem) {
    startApp();  // "system", and the tests run in the C locale
    EXPECT_TRUE(tabsRead({QStringLiteral("Library"), QStringLiteral("Progress"), QStringLiteral("Settings"),
                          QStringLiteral("On this device only")}))
        << tabs().join(QStringLiteral(", ")).toStdString();
    // English's plural forms: "1 answer", not "1 answer(s)".
    EXPECT_EQ(QCoreApplication::translate("ProgressPage", "%n answer(s)", nullptr, 1), QStringLiteral("1 answer"));
    EXPECT_EQ(QCoreApplication::translate("ProgressPage", "%n answer(s)", nullptr, 8), QStringLiteral("8 answers"));
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("LANGUAGE", "C");  // "system" means English here, whatever the machine's own
    qputenv("LC_ALL", "C");
    return kite::testing::runUiTests(argc, argv);
}
