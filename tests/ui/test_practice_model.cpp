// Practice on a real store (a SQLite file with the sample course): an item
// shows, an answer gives feedback and moves the skills' mastery at once, the
// answer becomes durable off the GUI thread, and a pull's new mastery is
// taken in before the next item.
#include <QSignalSpy>

#include "kite/practice_model.h"
#include "store_fixture.h"

namespace {

using kite::ui::PracticeModel;

class PracticeModelTest : public kite::testing::StoreFixture {
protected:
    void SetUp() override {
        kite::testing::StoreFixture::SetUp();
        model_ = std::make_unique<PracticeModel>(*async_);
        kite::study::SessionOptions options;
        options.seed = 7;
        model_->setSessionOptions(options);
    }
    void TearDown() override {
        model_.reset();
        kite::testing::StoreFixture::TearDown();
    }

    const kite::course::Item& shownItem() const {
        for (const auto& item : course_.items)
            if (item.id == model_->itemId()) return item;
        ADD_FAILURE() << "no item " << model_->itemId().toStdString();
        return course_.items.front();
    }
    void answerRight() {
        const kite::course::Item& item = shownItem();
        switch (item.type) {
        case kite::course::ItemType::MultipleChoice: return model_->answerChoice(item.answer);
        case kite::course::ItemType::MultipleSelect: return model_->answerChoices(item.answers);
        case kite::course::ItemType::Numeric: return model_->answerText(QString::number(item.value));
        case kite::course::ItemType::ShortText: return model_->answerText(item.accepted.front());
        }
    }
    void answerWrong() {
        const kite::course::Item& item = shownItem();
        switch (item.type) {
        case kite::course::ItemType::MultipleChoice: return model_->answerChoice((item.answer + 1) % item.choices.size());
        case kite::course::ItemType::MultipleSelect: return model_->answerChoices({});
        case kite::course::ItemType::Numeric: return model_->answerText(QString::number(item.value + 1000));
        case kite::course::ItemType::ShortText: return model_->answerText(QStringLiteral("no idea at all"));
        }
    }
    double pKnownShown(const QString& skill) const {
        for (const QVariant& v : model_->skills()) {
            const QVariantMap m = v.toMap();
            if (m.value(QStringLiteral("skill")).toString() == skill) return m.value(QStringLiteral("pKnown")).toDouble();
        }
        return -1;
    }
    std::int64_t storedAttempts() {
        auto store = kite::store::Store::open(path_);
        return store ? (*store)->attemptCount().value() : -1;
    }

    std::unique_ptr<PracticeModel> model_;
};

TEST_F(PracticeModelTest, AnItemShowsWithItsSkills) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    EXPECT_TRUE(model_->loading());
    ASSERT_TRUE(waitFor([&] { return model_->ready(); })) << model_->error().toStdString();
    EXPECT_FALSE(model_->loading());
    EXPECT_FALSE(model_->prompt().isEmpty());
    EXPECT_FALSE(model_->itemType().isEmpty());
    ASSERT_FALSE(model_->skills().isEmpty());
    const QVariantMap skill = model_->skills().front().toMap();
    EXPECT_FALSE(skill.value(QStringLiteral("name")).toString().isEmpty());
    EXPECT_FALSE(model_->answered());
}

TEST_F(PracticeModelTest, ARightAnswerMovesMasteryAtOnceAndIsSavedOffTheGuiThread) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    ASSERT_TRUE(waitFor([&] { return model_->ready(); }));
    const QString skill = shownItem().skills.front();
    const double before = pKnownShown(skill);
    QSignalSpy recorded(model_.get(), &PracticeModel::answerRecorded);
    answerRight();
    // In the same turn of the event loop: graded, mastery moved.
    EXPECT_TRUE(model_->answered());
    EXPECT_TRUE(model_->correct());
    EXPECT_GT(pKnownShown(skill), before);
    EXPECT_EQ(model_->answeredCount(), 1);
    EXPECT_EQ(model_->explanation(), shownItem().explanation);
    ASSERT_TRUE(waitFor([&] { return recorded.count() == 1 && model_->savingCount() == 0; }));
    EXPECT_TRUE(model_->error().isEmpty()) << model_->error().toStdString();
    EXPECT_EQ(storedAttempts(), 1);

    model_->next();
    EXPECT_TRUE(model_->ready());
    EXPECT_FALSE(model_->answered());
    EXPECT_NE(model_->itemId(), QString());
    EXPECT_TRUE(model_->hints().isEmpty());
}

// What views of the item hang on (its choices, say) is signalled only when
// another item is shown: saving an answer must not rebuild them (a learner's
// ticks on a multiple-select item would vanish).
TEST_F(PracticeModelTest, TheItemIsSignalledOnlyWhenAnotherIsShown) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    ASSERT_TRUE(waitFor([&] { return model_->ready(); }));
    QSignalSpy item(model_.get(), &PracticeModel::itemChanged);
    QSignalSpy changed(model_.get(), &PracticeModel::changed);
    answerRight();
    ASSERT_TRUE(waitFor([&] { return model_->savingCount() == 0; }));
    EXPECT_GE(changed.count(), 2) << "answered, then saved";
    EXPECT_EQ(item.count(), 0);
    model_->next();
    EXPECT_EQ(item.count(), 1);
}

TEST_F(PracticeModelTest, FiveAnswersAreEachSavedOnce) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    ASSERT_TRUE(waitFor([&] { return model_->ready(); }));
    for (int i = 0; i < 5; ++i) {
        if (i % 2 == 0)
            answerRight();
        else
            answerWrong();
        EXPECT_EQ(model_->correct(), i % 2 == 0) << "answer " << i << " on " << model_->itemId().toStdString();
        model_->next();
    }
    ASSERT_TRUE(waitFor([&] { return model_->savingCount() == 0; }));
    EXPECT_EQ(storedAttempts(), 5);
    EXPECT_EQ(model_->answeredCount(), 5);
}

TEST_F(PracticeModelTest, AWrongAnswerShowsTheExplanationAndHintsComeOneByOne) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    ASSERT_TRUE(waitFor([&] { return model_->ready(); }));
    // Find an item with hints (skipping is recorded, not answered).
    for (int i = 0; i < 50 && shownItem().hints.isEmpty(); ++i) model_->skip();
    ASSERT_FALSE(shownItem().hints.isEmpty()) << "the sample course has items with hints";
    EXPECT_TRUE(model_->moreHints());
    model_->showHint();
    EXPECT_EQ(model_->hints(), QStringList{shownItem().hints.front()});
    answerWrong();
    EXPECT_TRUE(model_->answered());
    EXPECT_FALSE(model_->correct());
    EXPECT_EQ(model_->explanation(), shownItem().explanation);
    EXPECT_FALSE(model_->moreHints()) << "no hints after the answer";
    ASSERT_TRUE(waitFor([&] { return model_->savingCount() == 0; }));
    EXPECT_EQ(storedAttempts(), 1);
}

// A pull brought the server's estimate of a skill: the session takes it in
// before the next item, not under the one being answered.
TEST_F(PracticeModelTest, MasteryFromThePullIsTakenInBeforeTheNextItem) {
    model_->start(learner_.id, QStringLiteral("fractions"));
    ASSERT_TRUE(waitFor([&] { return model_->ready(); }));
    const QString skill = shownItem().skills.front();
    answerRight();
    ASSERT_TRUE(waitFor([&] { return model_->savingCount() == 0; }));
    const double mine = pKnownShown(skill);
    std::int64_t last = 0;
    {
        auto store = kite::store::Store::open(path_);
        ASSERT_TRUE(store.ok());
        auto events = (*store)->pendingEvents(10);
        ASSERT_TRUE(events.ok());
        for (const auto& e : *events) last = std::max(last, e.seq);
    }
    kite::store::ServerChanges changes;
    changes.mastery.push_back(
        {learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("bkt"), 0.97, last, 1'795'000'000'000});
    serverSends(changes);
    model_->reloadMastery();
    EXPECT_DOUBLE_EQ(pKnownShown(skill), mine) << "not under the feedback being read";
    model_->next();
    ASSERT_TRUE(waitFor([&] { return model_->ready() && !model_->loading(); }));
    // The server's snapshot covers the answer: the session now starts from it.
    for (int i = 0; i < 50; ++i) {
        if (shownItem().skills.contains(skill)) break;
        model_->skip();
    }
    ASSERT_TRUE(shownItem().skills.contains(skill));
    EXPECT_NEAR(pKnownShown(skill), 0.97, 1e-9);
    EXPECT_NE(mine, 0.97);
}

}  // namespace
