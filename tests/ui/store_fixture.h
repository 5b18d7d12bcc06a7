// What the view models' tests share: a QCoreApplication, a real store file
// with the sample course and a learner (or what seed() puts there), opened
// on its own thread as the app opens it, and a wait on the event loop.
#pragma once

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <functional>
#include <memory>

#include "kite/async_store.h"
#include "kite/course.h"
#include "../support/wait_for.h"

namespace kite::testing {

// App: QCoreApplication, or QGuiApplication (offscreen) where pictures are
// drawn.
template <class App = QCoreApplication>
class StoreFixtureOf : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("kite.db"));
        {
            auto store = store::Store::open(path_);
            ASSERT_TRUE(store.ok()) << store.error().message;
            seed(**store);
        }
        bool opened = false;
        async_ = std::make_unique<store::AsyncStore>(path_, &app_, [&](Status s, QString) {
            EXPECT_TRUE(s.ok());
            opened = true;
        });
        ASSERT_TRUE(waitFor([&] { return opened; }));
    }
    void TearDown() override { async_.reset(); }

    // Before the store opens on its thread: the sample course and "Ada".
    virtual void seed(store::Store& store) {
        const auto report = course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
        ASSERT_TRUE(report.ok());
        course_ = *report.course;
        ASSERT_TRUE(store.importCourse(course_).ok());
        auto learner = store.addLearner(QStringLiteral("Ada"));
        ASSERT_TRUE(learner.ok());
        learner_ = *learner;
    }

    static bool waitFor(const std::function<bool()>& done) { return kite::testing::waitFor(done); }

    // As a pull does: the server's changes stored and mastery rebuilt.
    void serverSends(const store::ServerChanges& changes) {
        auto store = store::Store::open(path_);
        ASSERT_TRUE(store.ok());
        ASSERT_TRUE((*store)->applyServerChanges(changes, QStringLiteral("7")).ok());
        ASSERT_TRUE((*store)->refreshMastery().ok());
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    bool offscreen_ = qputenv("QT_QPA_PLATFORM", "offscreen");  // before app_
    App app_{argc_, argv_};
    QTemporaryDir dir_;
    QString path_;
    course::Course course_;
    store::Learner learner_;
    std::unique_ptr<store::AsyncStore> async_;
};

using StoreFixture = StoreFixtureOf<>;

}  // namespace kite::testing
