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

#include "../support/wait_for.h"
#include "kite/app_core.h"
#include "kite/translations.h"

namespace {

class TranslationsUi : public ::testing::Test {
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
        core_->registerQmlSingletons();
        engine_ = std::make_unique<QQmlApplicationEngine>();
        core_->installImageProviders(*engine_);
        translations_->attach(*engine_);
        QObject::connect(translations_.get(), &kite::ui::Translations::languageChanged, &core_->syncIndicator(),
                         &kite::ui::SyncIndicator::changed);
        engine_->load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
        ASSERT_FALSE(engine_->rootObjects().isEmpty()) << "Main.qml did not load";
        window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().front());
        ASSERT_NE(window_, nullptr);
        // A new device with no server: the first-run page; studying here,
        // the one learner is signed in: the library, with its tab.
        ASSERT_TRUE(kite::testing::waitFor([&] { return shown(QStringLiteral("setupOffline")); }));
        core_->setup().studyOffline();
        ASSERT_TRUE(kite::testing::waitFor([&] { return shown(QStringLiteral("navLibrary")); }));
    }

    QQuickItem* item(const QString& name) const { return find(window_->contentItem(), name); }
    static QQuickItem* find(QQuickItem* from, const QString& name) {
        if (!from) return nullptr;
        if (from->objectName() == name) return from;
        for (QQuickItem* child : from->childItems())
            if (QQuickItem* found = find(child, name)) return found;
        return nullptr;
    }
    bool shown(const QString& name) const {
        QQuickItem* i = item(name);
        return i && i->isVisible() && i->width() > 0;
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
        return kite::testing::waitFor([&] { return tabs() == words; });
    }

    QTemporaryDir dir_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::Translations> translations_;
    std::unique_ptr<kite::ui::AppCore> core_;
    std::unique_ptr<QQmlApplicationEngine> engine_;
    QQuickWindow* window_ = nullptr;
};

TEST_F(TranslationsUi, OpensInFrenchAndSwitchesLanguageWhileRunning) {
    ASSERT_TRUE(settings_->setValue(QStringLiteral("language"), QStringLiteral("fr")));
    startApp();
    EXPECT_EQ(translations_->language(), QStringLiteral("fr"));
    EXPECT_TRUE(tabsRead({QStringLiteral("Bibliothèque"), QStringLiteral("Progrès"), QStringLiteral("Paramètres"),
                          QStringLiteral("Sur cet appareil seulement")}))
        << tabs().join(QStringLiteral(", ")).toStdString();
    EXPECT_TRUE(kite::testing::waitFor([&] { return text(QStringLiteral("practise_fractions")) == u"S’entraîner"; }))
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
}

}  // namespace

int main(int argc, char** argv) {
    // Offscreen, drawn by the software renderer: no display or GPU needed.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_QUICK_BACKEND", "software");
    qputenv("LANGUAGE", "C");  // "system" means English here, whatever the machine's own
    qputenv("LC_ALL", "C");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
