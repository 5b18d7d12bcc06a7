// Driving the real QML app offscreen, as a user would: Main.qml over an
// AppCore, items found by objectName, clicks and keys through QTest, waits
// with a deadline, pictures of each screen. Shared by the UI tests
// (test_app_ui, test_kiosk_ui, test_teacher_ui, test_translations,
// test_diagnostics_page); each makes its own AppCore and settings.
#pragma once

#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <functional>
#include <memory>

#include "../support/wait_for.h"
#include "kite/app_core.h"

namespace kite::testing {

class AppUiFixture : public ::testing::Test {
protected:
    // Pictures go to `folder`, emptied first.
    void useScreens(const QString& folder) {
        screens_ = folder;
        QDir(screens_).removeRecursively();
        ASSERT_TRUE(QDir().mkpath(screens_));
    }
    // Main.qml over `core`, as the `kite` program loads it; `prepare` is
    // given the engine before Main.qml loads (e.g. its UI language).
    void loadApp(ui::AppCore& core, const std::function<void(QQmlEngine&)>& prepare = {}) {
        core.registerQmlSingletons();
        engine_ = std::make_unique<QQmlApplicationEngine>();
        core.installImageProviders(*engine_);
        if (prepare) prepare(*engine_);
        QObject::connect(engine_.get(), &QQmlApplicationEngine::warnings, [this](const QList<QQmlError>& warnings) {
            for (const QQmlError& w : warnings) qmlWarnings_ << w.toString();
        });
        engine_->load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
        ASSERT_FALSE(engine_->rootObjects().isEmpty()) << "Main.qml did not load";
        window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().front());
        ASSERT_NE(window_, nullptr);
    }

    static bool waitFor(const std::function<bool()>& done,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        return kite::testing::waitFor(done, timeout);
    }
    // By objectName, through the visual tree (view delegates have no QObject
    // parent to be found by findChild()); the items of open dialogs too
    // (they are in the window's overlay, under its root item).
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
    bool settled() const {
        QObject* stack = window_->findChild<QObject*>(QStringLiteral("stack"));
        return stack && !stack->property("busy").toBool();
    }
    // Clicks the middle of the item named `name` once it can be clicked
    // (found afresh each time: a view may recreate its delegates).
    void click(const QString& name) {
        auto ready = [&] {
            QQuickItem* i = item(name);
            return i && i->isVisible() && i->isEnabled() && settled();
        };
        ASSERT_TRUE(waitFor(ready)) << name.toStdString() << " never became clickable";
        ASSERT_TRUE(nextFrame());
        ASSERT_TRUE(ready()) << name.toStdString();
        QQuickItem* i = item(name);
        const QPointF centre = i->mapToScene(QPointF(i->width() / 2, i->height() / 2));
        QTest::mouseClick(window_, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    }
    // Types `text` into the window's focused item, key by key.
    void type(const QString& text) {
        for (QChar c : text) QTest::keyClick(window_, c.toLatin1());
    }
    // One frame more, so that layouts and animations changed by the last
    // step are done.
    bool nextFrame() {
        QSignalSpy frame(window_, &QQuickWindow::frameSwapped);
        window_->update();
        return frame.wait(5000);
    }
    void screenshot(const QString& name) {
        ASSERT_TRUE(waitFor([&] { return settled(); }));
        ASSERT_TRUE(nextFrame());
        const QString file =
            QDir(screens_).filePath(QStringLiteral("%1-%2.png").arg(++shots_, 2, 10, QLatin1Char('0')).arg(name));
        ASSERT_TRUE(window_->grabWindow().save(file)) << file.toStdString();
    }

    QString screens_;
    int shots_ = 0;
    std::unique_ptr<QQmlApplicationEngine> engine_;
    QQuickWindow* window_ = nullptr;
    QStringList qmlWarnings_;  // what the QML engine warned of
};

// main() of a UI test: offscreen, drawn by the software renderer (no display
// or GPU needed), a QGuiApplication before the tests.
inline int runUiTests(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_QUICK_BACKEND", "software");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

}  // namespace kite::testing
