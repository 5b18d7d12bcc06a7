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

#include "../support/wait_for.h"
#include "kite/app_core.h"

namespace {

QTemporaryDir* home = nullptr;  // $HOME for the whole run: Documents is in it

class DiagnosticsPage : public ::testing::Test {
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
        core_->registerQmlSingletons();
        engine_ = std::make_unique<QQmlApplicationEngine>();
        engine_->load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
        ASSERT_FALSE(engine_->rootObjects().isEmpty()) << "Main.qml did not load";
        window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().front());
        ASSERT_NE(window_, nullptr);
    }
    void TearDown() override {
        engine_.reset();
        core_.reset();
    }

    QQuickItem* item(const QString& name) const { return find(window_->contentItem(), name); }
    static QQuickItem* find(QQuickItem* from, const QString& name) {
        if (!from) return nullptr;
        if (from->objectName() == name) return from;
        for (QQuickItem* child : from->childItems())
            if (QQuickItem* found = find(child, name)) return found;
        return nullptr;
    }
    void click(const QString& name) {
        QQuickItem* i = nullptr;
        ASSERT_TRUE(kite::testing::waitFor([&] {
            i = item(name);
            QObject* stack = window_->findChild<QObject*>(QStringLiteral("stack"));
            return i && i->isVisible() && i->isEnabled() && stack && !stack->property("busy").toBool();
        })) << name.toStdString()
            << " never became clickable";
        QSignalSpy frame(window_, &QQuickWindow::frameSwapped);
        window_->update();
        ASSERT_TRUE(frame.wait(5000));
        const QPointF centre = i->mapToScene(QPointF(i->width() / 2, i->height() / 2));
        QTest::mouseClick(window_, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    }

    QTemporaryDir dir_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
    std::unique_ptr<QQmlApplicationEngine> engine_;
    QQuickWindow* window_ = nullptr;
};

TEST_F(DiagnosticsPage, TheButtonSavesAZipInDocumentsAndSaysWhere) {
    const QString documents = QDir(home->path()).filePath(QStringLiteral("Documents"));
    ASSERT_TRUE(QDir().mkpath(documents));
    ASSERT_TRUE(kite::testing::waitFor([&] { return core_->signIn().signedIn(); }));
    click(QStringLiteral("syncText"));  // the indicator opens the Sync details page
    click(QStringLiteral("exportDiagnostics"));

    QObject* dialog = nullptr;
    ASSERT_TRUE(kite::testing::waitFor([&] {
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
    ASSERT_TRUE(kite::testing::waitFor([&] {
        result = item(QStringLiteral("diagnosticsResult"));
        return result && result->property("text").toString().startsWith(QStringLiteral("Diagnostics saved to "));
    })) << (result ? result->property("text").toString().toStdString() : "no result label");
    const QString saved = result->property("text").toString().mid(QStringLiteral("Diagnostics saved to ").size());
    EXPECT_EQ(QFileInfo(saved).absolutePath(), documents);
    EXPECT_GT(QFileInfo(saved).size(), 0);
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_QUICK_BACKEND", "software");
    QTemporaryDir temporaryHome;
    home = &temporaryHome;
    qputenv("HOME", temporaryHome.path().toLocal8Bit());
    qunsetenv("XDG_CONFIG_HOME");  // user-dirs.dirs: none, so Documents is $HOME/Documents
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
