// Kiosk mode's guard: locked behind the teacher PIN IT configured (checked
// on a worker thread), open with a plain warning when there is none, locked
// again by lock() and after idle time; and `kite --hash-pin` makes the hash
// IT puts in the managed settings.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "../support/wait_for.h"
#include "kite/kiosk.h"
#include "kite/pin_hash.h"

namespace {

using namespace std::chrono_literals;
using kite::ui::AppSettings;
using kite::ui::KioskGuard;

class KioskTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.isValid()); }
    // Managed settings of these INI lines, and the guard over them.
    void manage(const QByteArray& ini) {
        QFile f(dir_.filePath(QStringLiteral("managed.conf")));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(ini);
        f.close();
        guard_.reset();
        settings_ = std::make_unique<AppSettings>(
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("managed.conf")), QSettings::IniFormat),
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));
        guard_ = std::make_unique<KioskGuard>(*settings_);
    }
    static QByteArray kioskWith(const QString& hash) {
        return "[kiosk]\nenabled=true\nteacher_pin_hash=" + hash.toLatin1() + "\n";
    }
    // unlock(pin), then waits for the check to finish.
    bool tryPin(const QString& pin) {
        guard_->unlock(pin);
        return kite::testing::waitFor([&] { return !guard_->checking(); }) && !guard_->locked();
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
    std::unique_ptr<AppSettings> settings_;
    std::unique_ptr<KioskGuard> guard_;
};

TEST_F(KioskTest, ALaptopIsNeitherAKioskNorLocked) {
    manage("");
    EXPECT_FALSE(guard_->enabled());
    EXPECT_FALSE(guard_->locked());
    EXPECT_TRUE(guard_->requestExit());
    EXPECT_EQ(guard_->warning(), QString());
}

TEST_F(KioskTest, TheTeacherPinUnlocksAndAWrongOneIsRefused) {
    manage(kioskWith(kite::hashPin(QStringLiteral("2468"))));
    ASSERT_TRUE(guard_->enabled());
    EXPECT_TRUE(guard_->guarded());
    EXPECT_TRUE(guard_->locked());
    EXPECT_FALSE(guard_->requestExit()) << "closing needs the PIN";
    EXPECT_EQ(guard_->warning(), QString());

    QSignalSpy unlocked(guard_.get(), &KioskGuard::unlocked);
    guard_->unlock(QStringLiteral("1357"));
    EXPECT_TRUE(guard_->checking()) << "the check runs on a worker thread, not in unlock()";
    ASSERT_TRUE(kite::testing::waitFor([&] { return !guard_->checking(); }));
    EXPECT_TRUE(guard_->locked());
    EXPECT_EQ(guard_->error(), QStringLiteral("That PIN is not right."));
    EXPECT_EQ(unlocked.count(), 0);

    EXPECT_TRUE(tryPin(QStringLiteral("2468")));
    EXPECT_EQ(unlocked.count(), 1);
    EXPECT_EQ(guard_->error(), QString());
    EXPECT_TRUE(guard_->requestExit());

    QSignalSpy relocked(guard_.get(), &KioskGuard::relocked);
    guard_->lock();
    EXPECT_TRUE(guard_->locked());
    EXPECT_EQ(relocked.count(), 1);
}

TEST_F(KioskTest, AnUnlockEndsAfterIdleTime) {
    manage(kioskWith(kite::hashPin(QStringLiteral("2468"))));
    guard_->setIdle(100ms);
    ASSERT_TRUE(tryPin(QStringLiteral("2468")));
    QSignalSpy relocked(guard_.get(), &KioskGuard::relocked);
    EXPECT_TRUE(kite::testing::waitFor([&] { return guard_->locked(); }, 5s));
    EXPECT_EQ(relocked.count(), 1);
}

TEST_F(KioskTest, WithoutAUsableTeacherPinAKioskSaysSoAndLocksNobodyOut) {
    manage("[kiosk]\nenabled=true\n");
    EXPECT_TRUE(guard_->enabled());
    EXPECT_FALSE(guard_->guarded());
    EXPECT_FALSE(guard_->locked());
    EXPECT_TRUE(guard_->requestExit());
    EXPECT_TRUE(guard_->warning().contains(QStringLiteral("no teacher PIN"))) << guard_->warning().toStdString();

    manage(kioskWith(QStringLiteral("2468")));  // the PIN itself, not its hash
    EXPECT_FALSE(guard_->locked());
    EXPECT_TRUE(guard_->warning().contains(QStringLiteral("not a PIN hash made by 'kite --hash-pin'")))
        << guard_->warning().toStdString();
}

// The real `kite` program, as IT runs it.
QProcess* hashPin(QObject* parent, const QByteArray& typed) {
    auto* kite = new QProcess(parent);
    kite->start(QStringLiteral(KITE_APP_BINARY), {QStringLiteral("--hash-pin")});
    EXPECT_TRUE(kite->waitForStarted(10'000));
    kite->write(typed);
    kite->closeWriteChannel();
    EXPECT_TRUE(kite->waitForFinished(30'000));
    return kite;
}

TEST_F(KioskTest, KiteHashPinPrintsTheLineForTheManagedSettings) {
    QProcess* made = hashPin(&app_, "2468\n");
    EXPECT_EQ(made->exitCode(), 0) << made->readAllStandardError().toStdString();
    const QByteArray line = made->readAllStandardOutput().trimmed();
    ASSERT_TRUE(line.startsWith("teacher_pin_hash=pbkdf2-sha256$")) << line.toStdString();
    EXPECT_FALSE(line.contains("2468"));

    manage("[kiosk]\nenabled=true\n" + line + "\n");
    EXPECT_TRUE(guard_->locked());
    EXPECT_FALSE(tryPin(QStringLiteral("2467")));
    EXPECT_TRUE(tryPin(QStringLiteral("2468")));

    QProcess* refused = hashPin(&app_, "12ab\n");
    EXPECT_EQ(refused->exitCode(), 2);
    EXPECT_TRUE(refused->readAllStandardOutput().isEmpty());
    EXPECT_TRUE(refused->readAllStandardError().contains("4 to 8 digits"));
}

}  // namespace
