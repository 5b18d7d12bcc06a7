// The study session on the sample course and a real store: what comes next,
// hints, time on task, mastery, lesson completion.

#include <gtest/gtest.h>

#include <QSet>
#include <QTemporaryDir>

#include "kite/course.h"
#include "kite/session.h"
#include "kite/store.h"
#include "sqlite.h"

namespace {

using kite::study::Response;
using kite::study::SessionOptions;
using kite::study::StudySession;

const kite::course::Course& sample() {
    static const auto report =
        kite::course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
    EXPECT_TRUE(report.ok());
    return *report.course;
}

Response rightAnswer(const kite::course::Item& item) {
    Response r;
    r.choice = item.answer;
    r.choices = item.answers;
    r.text = item.accepted.isEmpty() ? QString::number(item.value, 'g', 12) : item.accepted[0];
    return r;
}

Response wrongAnswer(const kite::course::Item& item) {
    Response r;
    r.choice = (item.answer + 1) % std::max<int>(2, item.choices.size());
    r.text = QStringLiteral("no idea");
    return r;
}

class SessionTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        auto store = kite::store::Store::open(dir_.filePath(QStringLiteral("kite.db")));
        ASSERT_TRUE(store.ok());
        store_ = std::move(*store);
        ASSERT_TRUE(store_->importCourse(sample()).ok());
        learner_ = store_->addLearner(QStringLiteral("Ada"))->id;
    }
    std::unique_ptr<StudySession> start(SessionOptions options = {}) {
        if (options.seed == 0) options.seed = 42;
        if (!options.clock) options.clock = [this] { return now_; };
        auto s = StudySession::start(*store_, learner_, sample().id, options);
        EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
        return s.ok() ? std::move(*s) : nullptr;
    }
    QSet<QString> rootSkills() const {
        QSet<QString> roots;
        for (const auto& s : sample().skills)
            if (s.prerequisites.isEmpty()) roots.insert(s.id);
        return roots;
    }
    QTemporaryDir dir_;
    std::unique_ptr<kite::store::Store> store_;
    std::int64_t learner_ = 0;
    std::int64_t now_ = 1'800'000'000'000;
};

TEST_F(SessionTest, ANewLearnerStartsWithSkillsThatNeedNothingFirst) {
    SessionOptions options;
    options.review_probability = 0.0;
    auto session = start(options);
    const QSet<QString> roots = rootSkills();
    ASSERT_FALSE(roots.isEmpty());
    // Wrong answers keep every skill unmastered: practice stays on the roots.
    for (int i = 0; i < 30; ++i) {
        const auto* item = session->next();
        ASSERT_NE(item, nullptr);
        bool onRoot = false;
        for (const QString& s : item->skills) onRoot = onRoot || roots.contains(s);
        EXPECT_TRUE(onRoot) << item->id.toStdString() << " before its prerequisites are mastered";
        session->answer(wrongAnswer(*item));
    }
}

TEST_F(SessionTest, NoItemComesTwiceInARow) {
    auto session = start();
    QString last;
    for (int i = 0; i < 300; ++i) {
        const auto* item = session->next();
        ASSERT_NE(item, nullptr);
        EXPECT_NE(item->id, last) << "after " << i << " answers";
        last = item->id;
        session->answer(i % 4 == 0 ? wrongAnswer(*item) : rightAnswer(*item));
    }
}

TEST_F(SessionTest, RightAnswersMasterSkillsUnlockLaterOnesAndCompleteLessons) {
    SessionOptions options;
    options.review_probability = 0.0;
    auto session = start(options);
    QSet<QString> practised;
    QSet<QString> completed;
    double lastP = -1.0;
    for (int i = 0; i < 400 && completed.size() < sample().lessons.size(); ++i) {
        const auto* item = session->next();
        ASSERT_NE(item, nullptr);
        for (const QString& s : item->skills) practised.insert(s);
        const QString skill = item->skills.front();
        const double before = session->pKnown(skill);
        auto answered = session->answer(rightAnswer(*item));
        ASSERT_TRUE(answered.grade.correct) << item->id.toStdString();
        EXPECT_GT(session->pKnown(skill), before) << "a right answer moves mastery up at once";
        ASSERT_TRUE(store_->recordAttempt(answered.attempt).ok());
        for (const auto& st : answered.statements) {
            EXPECT_EQ(st.verb, kite::store::Verb::LessonCompleted);
            EXPECT_TRUE(session->lessonComplete(st.lesson));
            completed.insert(st.lesson);
            ASSERT_TRUE(store_->recordStatement(st).ok());
        }
        lastP = session->pKnown(skill);
    }
    EXPECT_GT(lastP, 0.0);
    EXPECT_EQ(practised.size(), sample().skills.size()) << "every skill was reached";
    EXPECT_EQ(completed.size(), sample().lessons.size()) << "every lesson was completed";
    for (const auto& skill : sample().skills) EXPECT_TRUE(session->mastered(skill.id)) << skill.id.toStdString();

    // A new session on the same store starts from the stored mastery.
    auto again = start(options);
    for (const auto& skill : sample().skills) EXPECT_DOUBLE_EQ(again->pKnown(skill.id), session->pKnown(skill.id));
}

TEST_F(SessionTest, ALessonPractisesItsSkillsOrTheirMissingPrerequisites) {
    SessionOptions options;
    options.review_probability = 0.0;
    auto session = start(options);
    // The last lesson needs most of the course: its practice starts on a
    // prerequisite, never on a skill whose prerequisites are not mastered.
    const auto& lesson = sample().lessons.back();
    auto ready = [&](const QString& id) {
        for (const auto& skill : sample().skills) {
            if (skill.id != id) continue;
            for (const QString& p : skill.prerequisites)
                if (!session->mastered(p)) return false;
            return true;
        }
        return false;
    };
    for (int i = 0; i < 20; ++i) {
        const auto* item = session->next(lesson.id);
        ASSERT_NE(item, nullptr);
        bool anyReady = false;
        for (const QString& id : item->skills) anyReady = anyReady || ready(id);
        EXPECT_TRUE(anyReady) << item->id.toStdString() << " practises a skill whose prerequisites are not mastered";
        session->answer(wrongAnswer(*item));
    }
    // The first lesson, with no prerequisites, practises its own skills.
    const auto& first = sample().lessons.front();
    const auto* item = session->next(first.id);
    ASSERT_NE(item, nullptr);
    bool inLesson = false;
    for (const QString& s : item->skills) inLesson = inLesson || first.skills.contains(s);
    EXPECT_TRUE(inLesson);
}

TEST_F(SessionTest, MasteredSkillsComeBackForReview) {
    SessionOptions always;
    always.review_probability = 1.0;
    auto session = start(always);
    // Until a skill is mastered there is nothing to review: learning goes on.
    for (int i = 0; i < 40; ++i) session->answer(rightAnswer(*session->next()));
    int mastered = 0;
    for (const auto& skill : sample().skills) mastered += session->mastered(skill.id) ? 1 : 0;
    ASSERT_GT(mastered, 0);
    for (int i = 0; i < 20; ++i) {
        const auto* item = session->next();
        ASSERT_NE(item, nullptr);
        bool reviews = false;
        for (const QString& s : item->skills) reviews = reviews || session->mastered(s);
        EXPECT_TRUE(reviews) << item->id.toStdString() << ": with review probability 1, every item reviews";
        session->answer(rightAnswer(*item));
    }
}

TEST_F(SessionTest, HintsAndTimeOnTaskAreRecorded) {
    auto session = start();
    const kite::course::Item* item = nullptr;
    for (int i = 0; i < 50 && (!item || item->hints.size() < 1); ++i) {
        item = session->next();
        if (item->hints.isEmpty()) session->skip();
    }
    ASSERT_FALSE(item->hints.isEmpty());
    now_ += 1500;
    auto first = session->hint();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->first, item->hints[0]);
    EXPECT_EQ(first->second.verb, kite::store::Verb::HintRequested);
    EXPECT_EQ(first->second.hint_index, 0);
    ASSERT_TRUE(store_->recordStatement(first->second).ok());
    for (int h = 1; h < item->hints.size(); ++h) ASSERT_TRUE(session->hint().has_value());
    EXPECT_FALSE(session->hint().has_value()) << "no more hints than the item has";
    now_ += 8500;
    auto answered = session->answer(rightAnswer(*item));
    EXPECT_EQ(answered.attempt.hints_used, item->hints.size());
    EXPECT_EQ(answered.attempt.duration_ms, 10000);
    EXPECT_EQ(answered.explanation, item->explanation);
}

TEST_F(SessionTest, LessonTimeIsMeasuredFromOpenToClose) {
    auto session = start();
    const QString lesson = sample().lessons.front().id;
    auto opened = session->openLesson(lesson);
    now_ += 95'000;
    auto closed = session->closeLesson(lesson);
    EXPECT_EQ(closed.duration_ms, 95'000);
    ASSERT_TRUE(store_->recordStatement(opened).ok());
    ASSERT_TRUE(store_->recordStatement(closed).ok());
    EXPECT_EQ(store_->database().scalar("SELECT seconds FROM lesson_progress").value(), 95);
}

}  // namespace
