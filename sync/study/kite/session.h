// The study loop of one learner in one course, with no UI: which item comes
// next, grading, hints, time on task, and BKT mastery updated in memory the
// moment an answer is given.
//
// The session does not write. Each call that changes something returns the
// record for the store (store::AttemptRecord, store::StatementRecord); the
// caller hands it to the store, off the GUI thread (kite/async_store.h), so
// that feedback and the new mastery show in the same frame as the answer.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>

#include "kite/bkt.h"
#include "kite/course.h"
#include "kite/grading.h"
#include "kite/store.h"

namespace kite::study {

struct SessionOptions {
    double mastery_threshold = 0.95;  // a skill counts as mastered at P(known) >= this
    double review_probability = 0.1;  // chance that the next item reviews a mastered skill
    int recent_items = 3;             // items not shown again within this many answers, if avoidable
    std::uint64_t seed = 0;           // 0: seeded from the clock
    // Milliseconds since the Unix epoch; tests and simulations set their own.
    std::function<std::int64_t()> clock;
};

// One answer's outcome: what the learner sees and what the store writes.
struct Answered {
    Grade grade;
    QString explanation;
    QList<store::Mastery> mastery;               // the item's skills, after this answer
    store::AttemptRecord attempt;                // for Store::recordAttempt
    QList<store::StatementRecord> statements;    // lessons this answer completed
};

class StudySession {
public:
    // Loads the course, its BKT parameters and the learner's mastery.
    static Result<std::unique_ptr<StudySession>> start(store::Store& store, std::int64_t learner,
                                                       const QString& course, SessionOptions options = {});

    const course::Course& course() const { return course_; }
    std::int64_t learner() const { return learner_; }

    // Chooses and presents the next item (and starts its clock). With a
    // lesson, practice stays within the lesson's skills, or their missing
    // prerequisites. Null only if the course has no items.
    const course::Item* next(const QString& lesson = {});
    const course::Item* current() const { return current_; }

    // Shows the next hint of the current item, if any: the text and the
    // statement to record.
    std::optional<std::pair<QString, store::StatementRecord>> hint();

    // Grades the current item, moves mastery, and ends the item.
    // Precondition: current() is not null.
    Answered answer(const Response& response);

    // Skips the current item (no attempt, no mastery change).
    store::StatementRecord skip();

    // Lesson records for opening and closing a lesson (closing says how long).
    store::StatementRecord openLesson(const QString& lesson);
    store::StatementRecord closeLesson(const QString& lesson);

    double pKnown(const QString& skill) const;
    // The learner's mastery row of one skill (attempts 0 if never answered).
    store::Mastery masteryOf(const QString& skill) const;
    bool mastered(const QString& skill) const { return pKnown(skill) >= options_.mastery_threshold; }
    bool lessonComplete(const QString& lesson) const;
    QList<store::Mastery> mastery() const;  // every skill of the course

private:
    StudySession() = default;
    std::int64_t now() const { return options_.clock(); }
    bool prerequisitesMastered(const course::Skill& skill) const;
    const course::Item* pickItem(const QStringList& skills);
    store::StatementRecord statement(store::Verb verb, const QString& lesson, const QString& item) const;

    SessionOptions options_;
    course::Course course_;
    std::int64_t learner_ = 0;
    QHash<QString, bkt::Params> params_;
    QHash<QString, store::Mastery> mastery_;  // by skill; absent: never answered
    QHash<QString, int> skillIndex_;
    QHash<QString, QList<int>> itemsBySkill_;  // skill -> indexes into course_.items
    QHash<QString, std::int64_t> lessonOpenedAt_;
    QList<QString> recent_;         // ids of the last items answered or skipped, newest last
    QHash<QString, int> timesSeen_;  // item id -> times presented in this session
    const course::Item* current_ = nullptr;
    std::int64_t presentedAt_ = 0;
    int hintsShown_ = 0;
    std::mt19937_64 rng_;
};

}  // namespace kite::study
