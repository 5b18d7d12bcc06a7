// The sync indicator's words for each status a student can meet.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QSignalSpy>

#include "kite/sync_indicator.h"

namespace {

using kite::client::SyncState;
using kite::client::SyncStatus;
using kite::ui::SyncIndicator;

const QDateTime kNow = QDateTime::fromMSecsSinceEpoch(1'795'000'000'000, Qt::UTC);

SyncStatus status(SyncState state, std::int64_t waiting = 0) {
    SyncStatus s;
    s.state = state;
    s.waiting = waiting;
    s.answers_waiting = waiting;
    return s;
}

class SyncIndicatorTest : public ::testing::Test {
protected:
    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    SyncIndicator indicator_{nullptr, [] { return kNow; }};
};

TEST_F(SyncIndicatorTest, OfflineWithAnswersWaitingSaysHowMany) {
    indicator_.setStatus(status(SyncState::Offline, 3));
    EXPECT_EQ(indicator_.state(), QStringLiteral("offline"));
    EXPECT_EQ(indicator_.text(), QStringLiteral("Offline · 3 waiting"));
    EXPECT_EQ(indicator_.waiting(), 3);
    EXPECT_TRUE(indicator_.canRetry());
    indicator_.setStatus(status(SyncState::Offline, 0));
    EXPECT_EQ(indicator_.text(), QStringLiteral("Offline"));
}

TEST_F(SyncIndicatorTest, WaitingCountsAnswersNotOtherEvents) {
    SyncStatus s = status(SyncState::Offline);
    s.waiting = 4;  // three answers and a "lesson completed" statement
    s.answers_waiting = 3;
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Offline · 3 waiting"));
}

TEST_F(SyncIndicatorTest, UpToDateSaysHowLongAgo) {
    SyncStatus s = status(SyncState::UpToDate);
    s.last_success = kNow.toMSecsSinceEpoch() - 2 * 60'000 - 5'000;
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.state(), QStringLiteral("upToDate"));
    EXPECT_EQ(indicator_.text(), QStringLiteral("Up to date · 2 min ago"));
    EXPECT_FALSE(indicator_.canRetry());
    s.last_success = kNow.toMSecsSinceEpoch() - 10'000;
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Up to date · just now"));
    s.last_success = kNow.toMSecsSinceEpoch() - 3 * 3600'000;
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Up to date · 3 h ago"));
}

TEST_F(SyncIndicatorTest, AnErrorIsShownInPlainWordsWithRetry) {
    SyncStatus s = status(SyncState::Error, 5);
    s.last_error = QStringLiteral("the server answered 500: reading changes failed");
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Sync problem · 5 waiting"));
    EXPECT_EQ(indicator_.error(), s.last_error);
    EXPECT_TRUE(indicator_.details().contains(s.last_error));
    EXPECT_TRUE(indicator_.canRetry());
    QSignalSpy retried(&indicator_, &SyncIndicator::retryRequested);
    indicator_.retry();
    EXPECT_EQ(retried.count(), 1);
}

TEST_F(SyncIndicatorTest, ARevokedDeviceAsksForEnrollmentNotRetry) {
    SyncStatus s = status(SyncState::Error, 2);
    s.needs_enrollment = true;
    s.last_error = QStringLiteral("the server no longer accepts this device: enroll it again");
    indicator_.setStatus(s);
    EXPECT_TRUE(indicator_.needsEnrollment());
    EXPECT_FALSE(indicator_.canRetry());
    EXPECT_TRUE(indicator_.text().contains(QStringLiteral("enroll")));
}

TEST_F(SyncIndicatorTest, ABusyServerIsSyncingAndADownloadShowsItsProgress) {
    SyncStatus s = status(SyncState::Syncing, 40);
    s.last_error = QStringLiteral("the server answered 503: send these again in 2 s");
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Syncing · 40 waiting"));
    EXPECT_TRUE(indicator_.canRetry()) << "the student may try again now";
    s.last_error.clear();
    s.downloading = QStringLiteral("fractions");
    s.download_progress = 0.42;
    indicator_.setStatus(s);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Downloading fractions · 42%"));
    EXPECT_DOUBLE_EQ(indicator_.downloadProgress(), 0.42);
}

TEST_F(SyncIndicatorTest, WithoutASchoolServerNothingIsOfferedToRetry) {
    indicator_.setLocalOnly(true);
    EXPECT_EQ(indicator_.state(), QStringLiteral("local"));
    EXPECT_EQ(indicator_.text(), QStringLiteral("On this device only"));
    EXPECT_FALSE(indicator_.canRetry());
}

TEST_F(SyncIndicatorTest, PausingIsAskedOfTheEngine) {
    QSignalSpy paused(&indicator_, &SyncIndicator::pauseRequested);
    indicator_.setPaused(true);
    ASSERT_EQ(paused.count(), 1);
    EXPECT_TRUE(paused.front().front().toBool());
}

TEST_F(SyncIndicatorTest, EveryChangeIsSignalledForTheBindings) {
    QSignalSpy changed(&indicator_, &SyncIndicator::changed);
    indicator_.setStatus(status(SyncState::Paused, 1));
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(indicator_.text(), QStringLiteral("Sync paused · 1 waiting"));
}

}  // namespace
