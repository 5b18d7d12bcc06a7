// "Export diagnostics" as a user reaches it: the real QML app, offscreen, the
// Sync details page's button opens a save dialog on Documents with a dated
// name; accepting it writes the zip there and the page says where it went.
#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app_ui_fixture.h"
#include "kite/app_core.h"

namespace {

QTemporaryDir* home = nullptr;  // $HOME for the whole run: Documents is in it

class DiagnosticsPage : public kite::testing::AppUiFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        settings_ = std::make_unique<kite::ui::AppSettings>(
            nullptr, std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));
        kite::ui::AppOptions options;
        options.profile = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(options.profile));
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        loadApp(*core_);
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
    }

    QTemporaryDir dir_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
};

TEST_F(DiagnosticsPage, TheButtonSavesAZipInDocumentsAndSaysWhere) {
    const QString documents = QDir(home->path()).filePath(QStringLiteral("Documents"));
    ASSERT_TRUE(QDir().mkpath(documents));
    ASSERT_TRUE(waitFor([&] { return core_->signIn().signedIn(); }));
    click(QStringLiteral("syncText"));  // the indicator opens the Sync details page
    click(QStringLiteral("exportDiagnostics"));

    QObject* dialog = nullptr;
    ASSERT_TRUE(waitFor([&] {
        dialog = window_->findChild<QObject*>(QStringLiteral("diagnosticsDialog"));
        return dialog && dialog->property("visible").toBool();
    })) << "the save dialog did not open";
    EXPECT_EQ(dialog->property("currentFolder").toUrl(), QUrl::fromLocalFile(documents));
    const QString suggested = dialog->property("selectedFile").toUrl().toLocalFile();
    EXPECT_EQ(QFileInfo(suggested).absolutePath(), documents);
    EXPECT_TRUE(QFileInfo(suggested).fileName().startsWith(QStringLiteral("kite-diagnostics-")))
        << suggested.toStdString();

    ASSERT_TRUE(QMetaObject::invokeMethod(dialog, "accept"));  // the dialog's Save
    QQuickItem* result = nullptr;
    ASSERT_TRUE(waitFor([&] {
        result = item(QStringLiteral("diagnosticsResult"));
        return result && result->property("text").toString().startsWith(QStringLiteral("Diagnostics saved to "));
    })) << (result ? result->property("text").toString().toStdString() : "no result label");
    const QString saved = result->property("text").toString().mid(QStringLiteral("Diagnostics saved to ").size());
    EXPECT_EQ(QFileInfo(saved).absolutePath(), documents);
    EXPECT_GT(QFileInfo(saved).size(), 0);
}

}  // namespace

int main(int argc, char** argv) {
    QTemporaryDir temporaryHome;
    home = &temporaryHome;
    qputenv("HOME", temporaryHome.path().toLocal8Bit());
    qunsetenv("XDG_CONFIG_HOME");  // user-dirs.dirs: none, so Documents is $HOME/Documents
    return kite::testing::runUiTests(argc, argv);
}
