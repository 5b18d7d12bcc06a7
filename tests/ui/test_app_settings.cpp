// Managed configuration: what IT sets at system scope overrides and locks
// the user's setting; bad managed values are reported and ignored.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "kite/app_settings.h"

namespace {

using kite::ui::AppSettings;

class AppSettingsTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.isValid()); }
    QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }
    void write(const char* name, const QByteArray& text) {
        QFile f(path(name));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    std::unique_ptr<AppSettings> open() {
        return std::make_unique<AppSettings>(std::make_unique<QSettings>(path("managed.conf"), QSettings::IniFormat),
                                             std::make_unique<QSettings>(path("user.conf"), QSettings::IniFormat));
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
};

TEST_F(AppSettingsTest, DefaultsWithoutAnyConfiguration) {
    auto s = open();
    EXPECT_EQ(s->server(), QString());
    EXPECT_FALSE(s->syncPaused());
    EXPECT_TRUE(s->allowMetered());
    EXPECT_EQ(s->theme(), QStringLiteral("light"));
    EXPECT_DOUBLE_EQ(s->textScale(), 1.0);
    EXPECT_FALSE(s->kiosk());
    EXPECT_TRUE(s->problems().isEmpty());
}

TEST_F(AppSettingsTest, TheUsersChoiceIsKeptAcrossRestarts) {
    {
        auto s = open();
        QSignalSpy changed(s.get(), &AppSettings::changed);
        EXPECT_TRUE(s->setValue(QStringLiteral("theme"), QStringLiteral("dark")));
        EXPECT_TRUE(s->setValue(QStringLiteral("text_scale"), 1.5));
        EXPECT_EQ(changed.count(), 2);
        EXPECT_FALSE(s->setValue(QStringLiteral("theme"), QStringLiteral("purple"))) << "not a theme";
        EXPECT_FALSE(s->setValue(QStringLiteral("no_such_key"), 1));
    }
    auto again = open();
    EXPECT_EQ(again->theme(), QStringLiteral("dark"));
    EXPECT_DOUBLE_EQ(again->textScale(), 1.5);
}

TEST_F(AppSettingsTest, AManagedValueOverridesAndLocksTheUsers) {
    {
        auto s = open();
        ASSERT_TRUE(s->setValue(QStringLiteral("server"), QStringLiteral("http://home.example:8470")));
        ASSERT_TRUE(s->setValue(QStringLiteral("sync/allow_metered"), true));
    }
    write("managed.conf", "[General]\nserver=https://kite.school.example\n[sync]\nallow_metered=false\n");
    auto s = open();
    EXPECT_EQ(s->server(), QStringLiteral("https://kite.school.example"));
    EXPECT_FALSE(s->allowMetered());
    EXPECT_TRUE(s->locked(QStringLiteral("server")));
    EXPECT_TRUE(s->locked(QStringLiteral("sync/allow_metered")));
    EXPECT_FALSE(s->locked(QStringLiteral("theme")));
    EXPECT_FALSE(s->setValue(QStringLiteral("server"), QStringLiteral("http://elsewhere:1"))) << "locked";
    EXPECT_EQ(s->server(), QStringLiteral("https://kite.school.example"));
    EXPECT_TRUE(s->setValue(QStringLiteral("theme"), QStringLiteral("high_contrast"))) << "not managed";
}

TEST_F(AppSettingsTest, BadManagedValuesAreReportedWithWhereAndIgnored) {
    write("managed.conf", "[General]\ntheme=neon\ntext_scale=9\ncolour=blue\n[kiosk]\nenabled=perhaps\nidle_seconds=60\n");
    auto s = open();
    EXPECT_EQ(s->theme(), QStringLiteral("light"));
    EXPECT_FALSE(s->locked(QStringLiteral("theme")));
    EXPECT_DOUBLE_EQ(s->textScale(), 1.0);
    EXPECT_FALSE(s->kiosk());
    EXPECT_EQ(s->kioskIdleSeconds(), 60) << "the good values still apply";
    EXPECT_TRUE(s->locked(QStringLiteral("kiosk/idle_seconds")));
    const QString all = s->problems().join(QLatin1Char('\n'));
    EXPECT_EQ(s->problems().size(), 4) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("managed.conf: theme: expected one of light, dark, high_contrast, got 'neon'")))
        << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("unknown setting 'colour'"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("kiosk/enabled: expected true or false"))) << all.toStdString();
}

#if defined(Q_OS_LINUX)
// The platform's own files: /etc/xdg/Kite/kite.conf (here in a folder of the
// test's) overrides ~/.config/Kite/kite.conf, as docs/deploy.md says.
TEST_F(AppSettingsTest, OnLinuxItReadsKiteConfInTheSystemAndUserConfigFolders) {
    QSettings::setPath(QSettings::NativeFormat, QSettings::SystemScope, path("etc-xdg"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path("home-config"));
    ASSERT_TRUE(QDir().mkpath(path("etc-xdg/Kite")));
    write("etc-xdg/Kite/kite.conf", "[General]\ntheme=dark\n");
    {
        AppSettings s;
        EXPECT_EQ(s.theme(), QStringLiteral("dark"));
        EXPECT_TRUE(s.locked(QStringLiteral("theme")));
        EXPECT_TRUE(s.setValue(QStringLiteral("text_scale"), 1.5));
    }
    EXPECT_TRUE(QFile::exists(path("home-config/Kite/kite.conf"))) << "the user's choice, in their own kite.conf";
    EXPECT_DOUBLE_EQ(AppSettings().textScale(), 1.5);
}
#endif

}  // namespace
