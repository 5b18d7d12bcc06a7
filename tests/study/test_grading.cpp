// Grading of every item type, as a learner would type or click answers.

#include <gtest/gtest.h>

#include "kite/grading.h"

namespace {

using kite::course::Item;
using kite::course::ItemType;
using kite::study::grade;
using kite::study::Response;

Response text(const char* t) {
    Response r;
    r.text = QString::fromUtf8(t);
    return r;
}

TEST(Grading, MultipleChoice) {
    Item item;
    item.type = ItemType::MultipleChoice;
    item.choices = {QStringLiteral("1/2"), QStringLiteral("2/4"), QStringLiteral("3/4")};
    item.answer = 2;
    Response r;
    r.choice = 2;
    EXPECT_TRUE(grade(item, r).correct);
    EXPECT_EQ(grade(item, r).score, 1.0);
    r.choice = 0;
    EXPECT_FALSE(grade(item, r).correct);
    r.choice = 7;
    EXPECT_FALSE(grade(item, r).correct);
    EXPECT_FALSE(grade(item, r).feedback.isEmpty());
}

TEST(Grading, MultipleSelectNeedsExactlyTheRightSetWithPartialCredit) {
    Item item;
    item.type = ItemType::MultipleSelect;
    item.choices = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")};
    item.answers = {0, 2};
    Response r;
    r.choices = {2, 0};
    EXPECT_TRUE(grade(item, r).correct) << "order does not matter";
    r.choices = {0};
    auto g = grade(item, r);
    EXPECT_FALSE(g.correct);
    EXPECT_DOUBLE_EQ(g.score, 0.5);
    EXPECT_TRUE(g.feedback.contains(QStringLiteral("missing")));
    r.choices = {0, 2, 3};
    g = grade(item, r);
    EXPECT_FALSE(g.correct) << "an extra wrong pick";
    EXPECT_DOUBLE_EQ(g.score, 0.5);
    r.choices = {};
    EXPECT_FALSE(grade(item, r).correct);
}

TEST(Grading, NumericAcceptsTheWaysPupilsWriteNumbers) {
    Item item;
    item.type = ItemType::Numeric;
    item.value = 0.75;
    for (const char* ok : {"0.75", ".75", "0,75", "3/4", " 3 / 4 ", "6/8", "０.７５"}) {
        EXPECT_TRUE(grade(item, text(ok)).correct) << ok;
    }
    for (const char* wrong : {"0.7", "3/5", "1 3/4", "-0.75"}) {
        EXPECT_FALSE(grade(item, text(wrong)).correct) << wrong;
    }
    item.value = 1.5;
    EXPECT_TRUE(grade(item, text("1 1/2")).correct);
    item.value = -2;
    EXPECT_TRUE(grade(item, text("−2")).correct) << "the typographic minus";
    for (const char* junk : {"", "three", "1/0", "1//2", "3/4/5"}) {
        const auto g = grade(item, text(junk));
        EXPECT_FALSE(g.correct) << junk;
        EXPECT_TRUE(g.feedback.contains(QStringLiteral("not a number"))) << junk << ": " << g.feedback.toStdString();
    }
}

TEST(Grading, NumericToleranceAndUnits) {
    Item item;
    item.type = ItemType::Numeric;
    item.value = 3.33;
    item.tolerance = 0.01;
    item.unit = QStringLiteral("cm");
    item.unit_aliases = {QStringLiteral("centimetres"), QStringLiteral("centimeters")};
    for (const char* ok : {"3.33", "3.34", "3.32", "10/3", "3.33 cm", "3.33cm", "3.33 CM", "3.33 centimetres"}) {
        EXPECT_TRUE(grade(item, text(ok)).correct) << ok;
    }
    EXPECT_FALSE(grade(item, text("3.35")).correct);
    const auto wrongUnit = grade(item, text("3.33 m"));
    EXPECT_FALSE(wrongUnit.correct);
    EXPECT_EQ(wrongUnit.feedback, QStringLiteral("Give the answer in cm."));

    Item plain;
    plain.type = ItemType::Numeric;
    plain.value = 4;
    const auto g = grade(plain, text("4 apples"));
    EXPECT_FALSE(g.correct);
    EXPECT_TRUE(g.feedback.contains(QStringLiteral("no unit")));
}

TEST(Grading, ShortTextIsComparedNormalised) {
    Item item;
    item.type = ItemType::ShortText;
    item.accepted = {QStringLiteral("three quarters"), QStringLiteral("3/4")};
    for (const char* ok : {"three quarters", "Three Quarters.", "  three   quarters ", "３/４", "THREE QUARTERS"}) {
        EXPECT_TRUE(grade(item, text(ok)).correct) << ok;
    }
    EXPECT_FALSE(grade(item, text("three quarter")).correct);
    EXPECT_FALSE(grade(item, text("")).correct);
    item.case_sensitive = true;
    item.accepted = {QStringLiteral("Denominator")};
    EXPECT_TRUE(grade(item, text("Denominator")).correct);
    EXPECT_FALSE(grade(item, text("denominator")).correct);
}

TEST(Grading, ResponsesAreStoredAsSmallJson) {
    Response r;
    r.choice = 2;
    EXPECT_EQ(r.toJson(ItemType::MultipleChoice), QByteArray("{\"choice\":2}"));
    r.choices = {3, 1};
    EXPECT_EQ(r.toJson(ItemType::MultipleSelect), QByteArray("{\"choices\":[1,3]}"));
    r.text = QStringLiteral("3/4");
    EXPECT_EQ(r.toJson(ItemType::Numeric), QByteArray("{\"text\":\"3/4\"}"));
}

}  // namespace
