// Coalescer: the rate limit behind stream pokes and live poll results.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <chrono>

#include "kite/coalescer.h"

namespace {

using namespace std::chrono_literals;
using kite::server::Coalescer;

struct Sent {
    QString key;
    qint64 at_ms;
};

class CoalescerTest : public ::testing::Test {
protected:
    // Runs the event loop until `n` sends happened or 10 s passed.
    void waitForSends(std::size_t n) {
        const QDeadlineTimer deadline(10s);
        while (sent_.size() < n && !deadline.hasExpired()) {
            QEventLoop loop;
            loop_ = &loop;
            QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
            loop.exec();
            loop_ = nullptr;
        }
    }
    Coalescer::Send recorder() {
        return [this](const QString& key) {
            sent_.push_back({key, clock_.elapsed()});
            if (loop_) loop_->quit();
        };
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QElapsedTimer clock_ = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    std::vector<Sent> sent_;
    QEventLoop* loop_ = nullptr;
};

TEST_F(CoalescerTest, MarksWithinTheIntervalBecomeOneSendWhenItEnds) {
    Coalescer c(250ms, recorder());
    for (int i = 0; i < 10; ++i) c.mark(QStringLiteral("device-1"));
    ASSERT_EQ(sent_.size(), 1u) << "the first is sent at once";
    waitForSends(2);
    ASSERT_EQ(sent_.size(), 2u) << "the nine others fold into one";
    // 250 ms apart, less up to 1 ms of rounding (both clocks count whole ms).
    EXPECT_GE(sent_[1].at_ms - sent_[0].at_ms, 249);
}

TEST_F(CoalescerTest, KeysAreLimitedEachOnTheirOwn) {
    Coalescer c(250ms, recorder());
    c.mark(QStringLiteral("a"));
    c.mark(QStringLiteral("b"));
    ASSERT_EQ(sent_.size(), 2u);
    EXPECT_EQ(sent_[1].key, QStringLiteral("b"));
}

TEST_F(CoalescerTest, FlushSendsAWaitingKeyNowAndForgetDropsIt) {
    Coalescer c(10s, recorder());
    c.mark(QStringLiteral("a"));
    c.mark(QStringLiteral("a"));
    EXPECT_FALSE(c.flush(QStringLiteral("b")));
    EXPECT_TRUE(c.flush(QStringLiteral("a")));
    ASSERT_EQ(sent_.size(), 2u);
    c.mark(QStringLiteral("a"));  // waits: just sent
    c.forget(QStringLiteral("a"));
    EXPECT_FALSE(c.flush(QStringLiteral("a")));
    c.mark(QStringLiteral("a"));  // forgotten: as if never sent
    EXPECT_EQ(sent_.size(), 3u);
}

}  // namespace
