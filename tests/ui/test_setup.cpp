// The first run against the real kite-server: the setup page's address check,
// connecting with the school's enrollment code (a wrong code is said in words
// and changes nothing), the device remembering its server or the choice to
// study on it alone, and a server IT configured without a code.
#include <gtest/gtest.h>

#include <QDir>

#include "../support/server_fixture.h"
#include "../support/wait_for.h"
#include "kite/app_core.h"

namespace {

using kite::testing::waitFor;
using kite::ui::AppCore;
using kite::ui::AppOptions;
using kite::ui::AppSettings;


TEST(SetupAddress, WhatATeacherTypesBecomesAServerUrlOrAPlainReason) {
    QString why;
    EXPECT_EQ(kite::ui::Setup::serverUrl(QStringLiteral(" kite.school.org:8080 "), &why), QUrl(QStringLiteral("http://kite.school.org:8080")));
    EXPECT_EQ(kite::ui::Setup::serverUrl(QStringLiteral("https://kite.school.org/"), &why), QUrl(QStringLiteral("https://kite.school.org")));
    EXPECT_TRUE(kite::ui::Setup::serverUrl(QString(), &why).isEmpty());
    EXPECT_TRUE(why.contains(QStringLiteral("Type the address"))) << why.toStdString();
    EXPECT_TRUE(kite::ui::Setup::serverUrl(QStringLiteral("ftp://files.school.org"), &why).isEmpty());
    EXPECT_TRUE(why.contains(QStringLiteral("ftp://files.school.org"))) << why.toStdString();
}

class FirstRun : public kite::testing::ServerFixture {
protected:
    void SetUp() override {
        ServerFixture::SetUp();
        profile_ = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(profile_));
    }
    void TearDown() override {
        core_.reset();
        ServerFixture::TearDown();
    }
    // The app as `kite` builds it, on the same profile each time; `server`
    // and `code` as IT (or the command line) would give them.
    void open(const QString& server = {}, const QString& code = {}) {
        core_.reset();
        settings_ = std::make_unique<AppSettings>(nullptr, nullptr);
        AppOptions options;
        options.profile = profile_;
        options.server = server;
        options.enroll = code;
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        core_ = std::make_unique<AppCore>(options, *settings_);
        QObject::connect(core_.get(), &AppCore::notice, [](const QString& m) { ADD_FAILURE() << m.toStdString(); });
        // Opened: the first-run job is done once the learners are read.
        ASSERT_TRUE(waitFor([&] { return !core_->signIn().learners().isEmpty(); }));
    }
    QString code() const { return school_[QStringLiteral("enrollment_code")].toString(); }
    bool upToDate() const { return core_->syncIndicator().state() == QLatin1String("upToDate"); }

    QString profile_;
    std::unique_ptr<AppSettings> settings_;
    std::unique_ptr<AppCore> core_;
};

TEST_F(FirstRun, AWrongCodeIsSaidInWordsThenTheRightOneConnectsAndTheServerIsRemembered) {
    open();
    kite::ui::Setup& setup = core_->setup();
    ASSERT_TRUE(setup.needed()) << "a new device with no server asks";
    EXPECT_EQ(core_->sync(), nullptr);
    EXPECT_EQ(core_->syncIndicator().state(), QStringLiteral("local"));

    const QString hostAndPort = QUrl(base_).authority();  // typed without http://
    setup.connectToSchool(hostAndPort, QStringLiteral("not-the-code"));
    EXPECT_TRUE(setup.busy());
    ASSERT_TRUE(waitFor([&] { return !setup.busy(); }));
    EXPECT_TRUE(setup.needed());
    EXPECT_TRUE(setup.error().startsWith(QStringLiteral("Could not connect: "))) << setup.error().toStdString();
    ASSERT_TRUE(waitFor([&] { return core_->sync() == nullptr; })) << "nothing left half connected";
    EXPECT_EQ(core_->syncIndicator().state(), QStringLiteral("local"));

    setup.connectToSchool(hostAndPort, code());
    ASSERT_TRUE(waitFor([&] { return !setup.busy(); }));
    EXPECT_FALSE(setup.needed()) << setup.error().toStdString();
    EXPECT_TRUE(setup.error().isEmpty());
    ASSERT_NE(core_->sync(), nullptr);
    EXPECT_EQ(core_->syncIndicator().server(), base_);
    ASSERT_TRUE(waitFor([&] { return upToDate(); })) << core_->syncIndicator().text().toStdString();

    // The next start, with nothing configured: the same server, no question.
    open();
    EXPECT_FALSE(core_->setup().needed());
    ASSERT_NE(core_->sync(), nullptr);
    EXPECT_EQ(core_->syncIndicator().server(), base_);
    ASSERT_TRUE(waitFor([&] { return upToDate(); })) << core_->syncIndicator().text().toStdString();
}

TEST_F(FirstRun, StudyingOnThisDeviceIsRememberedAndNeedsNoServer) {
    open();
    ASSERT_TRUE(core_->setup().needed());
    core_->setup().studyOffline();
    EXPECT_FALSE(core_->setup().needed());

    open();
    // The choice was saved on the store's thread before the first one closed.
    EXPECT_FALSE(core_->setup().needed());
    EXPECT_EQ(core_->sync(), nullptr);
    EXPECT_EQ(core_->syncIndicator().state(), QStringLiteral("local"));
}

TEST_F(FirstRun, AServerFromItWithoutACodeAsksOnlyForTheCode) {
    open(base_);
    kite::ui::Setup& setup = core_->setup();
    ASSERT_TRUE(setup.needed());
    EXPECT_EQ(setup.server(), base_) << "filled in";
    setup.connectToSchool(setup.server(), code());
    ASSERT_TRUE(waitFor([&] { return !setup.busy(); }));
    EXPECT_FALSE(setup.needed()) << setup.error().toStdString();
    ASSERT_TRUE(waitFor([&] { return upToDate(); })) << core_->syncIndicator().text().toStdString();
}

TEST_F(FirstRun, AServerAndCodeFromItNeedNoQuestions) {
    open(base_, code());
    EXPECT_FALSE(core_->setup().needed());
    ASSERT_TRUE(waitFor([&] { return upToDate(); })) << core_->syncIndicator().text().toStdString();
}

}  // namespace
