// Sign-in on a real store: learners with and without PINs, a wrong PIN
// refused, and a kiosk's automatic sign-out when idle (while input keeps a
// learner signed in).
#include <QSignalSpy>
#include <QTimer>

#include "kite/pin_hash.h"
#include "kite/sign_in.h"
#include "store_fixture.h"

namespace {

using kite::ui::SignIn;

class SignInTest : public kite::testing::StoreFixture {
protected:
    void seed(kite::store::Store& store) override {
        ada_ = store.addLearner(QStringLiteral("Ada"), QStringLiteral("#2a7ab0")).value();
        bo_ = store.addLearner(QStringLiteral("Bo"), QStringLiteral("#c0392b"), QStringLiteral("4321")).value();
    }
    void SetUp() override {
        kite::testing::StoreFixture::SetUp();
        signIn_ = std::make_unique<SignIn>(*async_);
        signIn_->refresh();
        ASSERT_TRUE(waitFor([&] { return signIn_->learners().size() == 2; }));
    }
    void TearDown() override {
        signIn_.reset();
        kite::testing::StoreFixture::TearDown();
    }

    kite::store::Learner ada_, bo_;
    std::unique_ptr<SignIn> signIn_;
};

TEST_F(SignInTest, TheRosterShowsNamesColoursAndWhoHasAPin) {
    const QVariantMap first = signIn_->learners().front().toMap();
    EXPECT_EQ(first.value(QStringLiteral("name")).toString(), QStringLiteral("Ada"));
    EXPECT_EQ(first.value(QStringLiteral("colour")).toString(), QStringLiteral("#2a7ab0"));
    EXPECT_FALSE(first.value(QStringLiteral("hasPin")).toBool());
    EXPECT_TRUE(signIn_->learners().back().toMap().value(QStringLiteral("hasPin")).toBool());
}

TEST_F(SignInTest, ALearnerWithoutAPinSignsInAtOnce) {
    QSignalSpy in(signIn_.get(), &SignIn::signedInAs);
    signIn_->signIn(ada_.id);
    EXPECT_TRUE(signIn_->signedIn());
    EXPECT_EQ(signIn_->learnerName(), QStringLiteral("Ada"));
    EXPECT_EQ(in.count(), 1);
    signIn_->signOut();
    EXPECT_FALSE(signIn_->signedIn());
}

TEST_F(SignInTest, AWrongPinIsRefusedAndTheRightOneLetsIn) {
    signIn_->signIn(bo_.id, QStringLiteral("1111"));
    ASSERT_TRUE(waitFor([&] { return !signIn_->checking(); }));
    EXPECT_FALSE(signIn_->signedIn());
    EXPECT_EQ(signIn_->error(), QStringLiteral("That PIN is not right."));
    signIn_->signIn(bo_.id, QStringLiteral("4321"));
    ASSERT_TRUE(waitFor([&] { return signIn_->signedIn(); }));
    EXPECT_EQ(signIn_->learnerName(), QStringLiteral("Bo"));
    EXPECT_TRUE(signIn_->error().isEmpty());
}

TEST_F(SignInTest, AKioskSignsOutWhenIdleButNotWhileThereIsInput) {
    signIn_->setKiosk(true, 1);
    signIn_->signIn(ada_.id);
    ASSERT_TRUE(signIn_->signedIn());
    QSignalSpy out(signIn_.get(), &SignIn::signedOut);
    // Input every 300 ms for 1.5 s, longer than the idle time: still signed in.
    QObject target;
    QTimer input;
    QObject::connect(&input, &QTimer::timeout, &target, [&target] {
        QEvent key(QEvent::KeyPress);  // the app-wide filter looks at the type only
        QCoreApplication::sendEvent(&target, &key);
    });
    input.start(300);
    EXPECT_FALSE(out.wait(1500)) << "input keeps the learner signed in";
    EXPECT_TRUE(signIn_->signedIn());
    input.stop();
    ASSERT_TRUE(out.wait(5000)) << "then idle: signed out";
    EXPECT_TRUE(out.front().front().toBool()) << "by the idle timer";
    EXPECT_FALSE(signIn_->signedIn());
}

TEST_F(SignInTest, ALaptopNeverSignsOutByItself) {
    signIn_->setKiosk(false, 1);
    signIn_->signIn(ada_.id);
    QSignalSpy out(signIn_.get(), &SignIn::signedOut);
    EXPECT_FALSE(out.wait(1500));
    EXPECT_TRUE(signIn_->signedIn());
}

TEST_F(SignInTest, TheSchoolsRosterBringsPinsAndTakesRemovedLearnersAway) {
    // A learner of the device's class, with a PIN a teacher set on the server.
    const QString cai = QStringLiteral("0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d03");
    kite::store::ServerChanges roster;
    roster.learners = {{cai, QStringLiteral("Cai"), QStringLiteral("#8e24aa"), kite::hashPin(QStringLiteral("97531"))}};
    serverSends(roster);
    signIn_->refresh();
    ASSERT_TRUE(waitFor([&] { return signIn_->learners().size() == 3; }));
    const QVariantMap third = signIn_->learners().back().toMap();
    EXPECT_EQ(third.value(QStringLiteral("name")).toString(), QStringLiteral("Cai"));
    EXPECT_TRUE(third.value(QStringLiteral("hasPin")).toBool()) << "the PIN is asked for";
    const qint64 id = third.value(QStringLiteral("id")).toLongLong();
    signIn_->signIn(id);
    ASSERT_TRUE(waitFor([&] { return !signIn_->checking(); }));
    EXPECT_FALSE(signIn_->signedIn());
    signIn_->signIn(id, QStringLiteral("97531"));
    ASSERT_TRUE(waitFor([&] { return signIn_->signedIn(); }));

    // Removed by the school while signed in: signed out, and off the grid.
    QSignalSpy out(signIn_.get(), &SignIn::signedOut);
    roster.learners.front().removed = true;
    serverSends(roster);
    signIn_->refresh();
    ASSERT_TRUE(waitFor([&] { return signIn_->learners().size() == 2; }));
    EXPECT_FALSE(signIn_->signedIn());
    EXPECT_EQ(out.count(), 1);
}

}  // namespace
