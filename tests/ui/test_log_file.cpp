// The app's log (ui/kite/log_file.h): Qt messages reach kite.log with their
// time, level and category; the files rotate by size, the oldest is dropped,
// and no line is lost or split on the way.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <thread>
#include <vector>

#include "kite/log_categories.h"
#include "kite/log_file.h"

namespace {

using kite::ui::LogFile;

class LogFileTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.isValid()); }

    QString folder() const { return dir_.filePath(QStringLiteral("logs")); }
    static QByteArray read(const QString& path) {
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
        return f.readAll();
    }
    static QList<QByteArray> lines(const QString& path) {
        QByteArray bytes = read(path);
        EXPECT_TRUE(bytes.isEmpty() || bytes.endsWith('\n')) << path.toStdString() << " ends in the middle of a line";
        bytes.chop(1);
        return bytes.isEmpty() ? QList<QByteArray>{} : bytes.split('\n');
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
};

QString numbered(int i) {
    return QStringLiteral("line %1 of the test, padded to a steady length").arg(i, 5, 10, QLatin1Char('0'));
}

TEST_F(LogFileTest, RotatesPastTheLimitDropsTheOldestAndKeepsWholeLinesInOrder) {
    const int total = 400;  // about 20 kB through 2 kB files, 3 kept
    {
        LogFile log(folder(), {2000, 3});
        for (int i = 0; i < total; ++i) log.write(numbered(i));
        log.flush();
        EXPECT_TRUE(log.error().isEmpty()) << log.error().toStdString();
    }
    const QStringList files = LogFile::files(folder());
    ASSERT_EQ(files.size(), 3) << files.join(QLatin1Char(' ')).toStdString();
    EXPECT_TRUE(files[0].endsWith(QStringLiteral("/kite.log")));
    EXPECT_TRUE(files[1].endsWith(QStringLiteral("/kite.log.1")));
    EXPECT_TRUE(files[2].endsWith(QStringLiteral("/kite.log.2")));
    EXPECT_FALSE(QFile::exists(folder() + QStringLiteral("/kite.log.3")));

    // Oldest first: kite.log.2, kite.log.1, kite.log hold the last lines
    // written, one after another, none missing; the first ones are gone.
    QList<QByteArray> kept;
    for (int f = 2; f >= 0; --f) {
        EXPECT_LE(QFile(files[f]).size(), 2000) << files[f].toStdString();
        const QList<QByteArray> in = lines(files[f]);
        EXPECT_FALSE(in.isEmpty()) << files[f].toStdString();
        kept += in;
    }
    ASSERT_FALSE(kept.isEmpty());
    const int first = total - static_cast<int>(kept.size());
    EXPECT_GT(first, 0) << "the oldest lines should have been dropped";
    for (int i = 0; i < kept.size(); ++i) ASSERT_EQ(kept[i], numbered(first + i).toUtf8()) << "line " << i;
    // Rotating before a line would overflow: the two older files are nearly full.
    EXPECT_GT(QFile(files[1]).size(), 2000 - numbered(0).size() - 2);
    EXPECT_GT(QFile(files[2]).size(), 2000 - numbered(0).size() - 2);
}

TEST_F(LogFileTest, QtMessagesArriveWithTimeLevelAndCategory) {
    {
        LogFile log(folder());
        log.install();
        qCWarning(kite::ui::lcSync) << "the server cannot be reached";
        qCInfo(kite::ui::lcSettings) << "managed settings read";
        qWarning("plain %d", 7);
        log.flush();
        const QList<QByteArray> got = lines(log.path());
        ASSERT_EQ(got.size(), 3);
        const QRegularExpression time(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "));
        for (const QByteArray& line : got)
            EXPECT_TRUE(time.match(QString::fromUtf8(line)).hasMatch()) << line.constData();
        EXPECT_TRUE(got[0].endsWith(" warning kite.sync: the server cannot be reached")) << got[0].constData();
        EXPECT_TRUE(got[1].endsWith(" info kite.settings: managed settings read")) << got[1].constData();
        EXPECT_TRUE(got[2].endsWith(" warning default: plain 7")) << got[2].constData();
    }
    // Gone with its log: later messages do not reach the file.
    qWarning("after the log");
    EXPECT_FALSE(read(folder() + QStringLiteral("/kite.log")).contains("after the log"));
}

TEST_F(LogFileTest, WhatIsQueuedIsWrittenWhenTheLogGoes) {
    {
        LogFile log(folder());
        for (int i = 0; i < 2000; ++i) log.write(numbered(i));
    }  // no flush(): the destructor writes the queue out
    const QList<QByteArray> got = lines(folder() + QStringLiteral("/kite.log"));
    ASSERT_EQ(got.size(), 2000);
    EXPECT_EQ(got.back(), numbered(1999).toUtf8());
}

TEST_F(LogFileTest, MessagesFromManyThreadsAreAllThereWhole) {
    LogFile log(folder());
    log.install();
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < 500; ++i) qCInfo(kite::ui::lcStore, "thread %d message %d", t, i);
        });
    for (auto& t : threads) t.join();
    log.flush();
    const QList<QByteArray> got = lines(log.path());
    ASSERT_EQ(got.size(), 2000);
    int last[4] = {-1, -1, -1, -1};
    const QRegularExpression message(QStringLiteral(" info kite\\.store: thread (\\d) message (\\d+)$"));
    for (const QByteArray& line : got) {
        const auto m = message.match(QString::fromUtf8(line));
        ASSERT_TRUE(m.hasMatch()) << line.constData();
        const int t = m.captured(1).toInt(), i = m.captured(2).toInt();
        EXPECT_EQ(i, last[t] + 1) << "thread " << t << "'s messages in order";
        last[t] = i;
    }
}

TEST_F(LogFileTest, TheNextRunCarriesOnTheSameFile) {
    { LogFile(folder()).write(QStringLiteral("first run")); }
    { LogFile(folder()).write(QStringLiteral("second run")); }
    EXPECT_EQ(lines(folder() + QStringLiteral("/kite.log")), (QList<QByteArray>{"first run", "second run"}));
}

TEST_F(LogFileTest, AFolderThatCannotBeMadeIsReportedNotACrash) {
    QFile blocker(dir_.filePath(QStringLiteral("file")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LogFile log(dir_.filePath(QStringLiteral("file/logs")));
    log.write(QStringLiteral("nowhere to go"));
    log.flush();
    EXPECT_TRUE(log.error().contains(QStringLiteral("file/logs"))) << log.error().toStdString();
}

}  // namespace
