// The store on its own thread: writes run there, in order, and their results
// come back to the calling thread through its event loop.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include "kite/async_store.h"
#include "kite/course.h"

namespace {

using kite::store::AsyncStore;
using kite::store::Store;

// Runs the event loop until `done()` or the deadline; returns done().
bool spinUntil(const std::function<bool()>& done, int deadlineMs = 30000) {
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(deadlineMs);
    while (!done() && deadline.isActive()) loop.processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

TEST(AsyncStore, WritesRunOnTheStoreThreadAndResultsComeBackInOrder) {
    int argc = 1;
    char name[] = "test";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("kite.db"));

    const auto course = kite::course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
    ASSERT_TRUE(course.ok());
    QObject context;
    bool opened = false;
    std::int64_t learner = 0;
    {
        AsyncStore store(path, &context, [&](kite::Status status, const QString&) {
            EXPECT_TRUE(status.ok());
            opened = true;
        });
        QThread* gui = QThread::currentThread();
        bool imported = false;
        store.run<std::int64_t>(
            [&](Store& s) -> kite::Result<std::int64_t> {
                EXPECT_NE(QThread::currentThread(), gui) << "the write runs off the calling thread";
                if (auto st = s.importCourse(*course.course); !st) return st.error();
                auto l = s.addLearner(QStringLiteral("Ada"));
                if (!l) return l.error();
                return l->id;
            },
            &context,
            [&](kite::Result<std::int64_t> r) {
                EXPECT_EQ(QThread::currentThread(), gui) << "results come back to the caller's thread";
                ASSERT_TRUE(r.ok()) << r.error().message;
                learner = *r;
                imported = true;
            });
        ASSERT_TRUE(spinUntil([&] { return imported; }));
        EXPECT_TRUE(opened);

        // Ten answers queued at once: recorded in the order given.
        const auto& item = course.course->items.front();
        std::vector<std::int64_t> seqs;
        for (int i = 0; i < 10; ++i) {
            kite::store::AttemptRecord a;
            a.learner = learner;
            a.course = course.course->id;
            a.item = item.id;
            a.response = "{\"choice\": 0}";
            a.answered_at = 1000 + i;
            store.recordAttempt(a, &context, [&](kite::Result<kite::store::Recorded> r) {
                ASSERT_TRUE(r.ok()) << r.error().message;
                seqs.push_back(r->seq);
            });
        }
        ASSERT_TRUE(spinUntil([&] { return seqs.size() == 10; }));
        EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));

        // A refused write comes back as an error, and the store goes on.
        kite::store::AttemptRecord bad;
        bad.learner = learner;
        bad.course = QStringLiteral("no-such-course");
        std::string message;
        store.recordAttempt(bad, &context, [&](kite::Result<kite::store::Recorded> r) {
            message = r.ok() ? "recorded" : r.error().message;
        });
        ASSERT_TRUE(spinUntil([&] { return !message.empty(); }));
        EXPECT_NE(message.find("not installed"), std::string::npos) << message;
    }  // closing waits for queued work and closes the file
    auto reopened = Store::open(path);
    ASSERT_TRUE(reopened.ok());
    EXPECT_EQ((*reopened)->attemptCount().value(), 10);
}

TEST(AsyncStore, AStoreThatCannotOpenSaysWhyToEveryCaller) {
    int argc = 1;
    char name[] = "test";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QObject context;
    std::string openError;
    AsyncStore store(QStringLiteral("/proc/no/such/folder/kite.db"), &context, [&](kite::Status s, const QString&) {
        openError = s.ok() ? "opened" : s.error().message;
    });
    std::string writeError;
    store.recordAttempt({}, &context, [&](kite::Result<kite::store::Recorded> r) {
        writeError = r.ok() ? "recorded" : r.error().message;
    });
    ASSERT_TRUE(spinUntil([&] { return !openError.empty() && !writeError.empty(); }));
    EXPECT_NE(openError.find("cannot open"), std::string::npos) << openError;
    EXPECT_EQ(writeError, openError);
}

}  // namespace
