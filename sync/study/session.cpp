#include "kite/session.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace kite::study {

Result<std::unique_ptr<StudySession>> StudySession::start(store::Store& store, std::int64_t learner,
                                                          const QString& course, SessionOptions options) {
    auto loaded = store.loadCourse(course);
    if (!loaded) return loaded.error();
    auto params = store.bktParams(course);
    if (!params) return params.error();
    auto mastery = store.mastery(learner, course);
    if (!mastery) return mastery.error();

    std::unique_ptr<StudySession> s(new StudySession());
    if (!options.clock) options.clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    if (options.seed == 0) options.seed = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
    s->rng_.seed(options.seed);
    s->options_ = std::move(options);
    s->course_ = std::move(loaded.value());
    s->learner_ = learner;
    s->params_ = std::move(params.value());
    for (const store::Mastery& m : mastery.value()) s->mastery_.insert(m.skill, m);
    for (int i = 0; i < s->course_.skills.size(); ++i) s->skillIndex_.insert(s->course_.skills[i].id, i);
    for (int i = 0; i < s->course_.items.size(); ++i)
        for (const QString& skill : s->course_.items[i].skills) s->itemsBySkill_[skill].push_back(i);
    return s;
}

double StudySession::pKnown(const QString& skill) const {
    const auto m = mastery_.constFind(skill);
    if (m != mastery_.constEnd()) return m->p_known;
    return params_.value(skill, bkt::kUnseenSkillDefaults).prior;
}

bool StudySession::prerequisitesMastered(const course::Skill& skill) const {
    return std::all_of(skill.prerequisites.begin(), skill.prerequisites.end(),
                       [&](const QString& p) { return mastered(p); });
}

bool StudySession::lessonComplete(const QString& lesson) const {
    for (const course::Lesson& l : course_.lessons) {
        if (l.id != lesson) continue;
        return std::all_of(l.skills.begin(), l.skills.end(), [&](const QString& s) { return mastered(s); });
    }
    return false;
}

store::Mastery StudySession::masteryOf(const QString& skill) const {
    return mastery_.value(skill, store::Mastery{skill, pKnown(skill), 0, 0, 0});
}

QList<store::Mastery> StudySession::mastery() const {
    QList<store::Mastery> out;
    for (const course::Skill& skill : course_.skills) out.push_back(masteryOf(skill.id));
    return out;
}

const course::Item* StudySession::pickItem(const QStringList& skills) {
    // Among the skills' items: not among the last few answered (when there is
    // a choice), then the ones this session has shown least, at random.
    QList<int> candidates;
    for (const QString& skill : skills)
        for (int i : itemsBySkill_.value(skill))
            if (!candidates.contains(i)) candidates.push_back(i);
    if (candidates.isEmpty()) return nullptr;
    QList<int> fresh;
    for (int i : candidates)
        if (!recent_.contains(course_.items[i].id)) fresh.push_back(i);
    if (fresh.isEmpty()) {
        // Every item is recent: at least never repeat the very last one.
        for (int i : candidates)
            if (recent_.isEmpty() || course_.items[i].id != recent_.back()) fresh.push_back(i);
        if (fresh.isEmpty()) fresh = candidates;
    }
    int fewest = std::numeric_limits<int>::max();
    for (int i : fresh) fewest = std::min(fewest, timesSeen_.value(course_.items[i].id));
    QList<int> best;
    for (int i : fresh)
        if (timesSeen_.value(course_.items[i].id) == fewest) best.push_back(i);
    std::uniform_int_distribution<qsizetype> pick(0, best.size() - 1);
    return &course_.items[best[pick(rng_)]];
}

const course::Item* StudySession::next(const QString& lesson) {
    QStringList scope;  // the skills practice may draw from
    if (!lesson.isEmpty()) {
        for (const course::Lesson& l : course_.lessons)
            if (l.id == lesson) scope = l.skills;
    }
    if (scope.isEmpty())
        for (const course::Skill& s : course_.skills) scope.push_back(s.id);

    // Skills to learn: below the threshold, prerequisites mastered. A lesson
    // whose skills all wait on a prerequisite practises that prerequisite.
    auto learnable = [&](const QStringList& skills) {
        QStringList out;
        for (const QString& id : skills) {
            const auto index = skillIndex_.constFind(id);
            if (index == skillIndex_.constEnd() || itemsBySkill_.value(id).isEmpty()) continue;
            const course::Skill& skill = course_.skills[*index];
            if (!mastered(id) && prerequisitesMastered(skill)) out.push_back(id);
        }
        return out;
    };
    QStringList toLearn = learnable(scope);
    for (QStringList frontier = scope; toLearn.isEmpty() && !frontier.isEmpty();) {
        QStringList missing;
        for (const QString& id : frontier) {
            const auto index = skillIndex_.constFind(id);
            if (index == skillIndex_.constEnd()) continue;
            for (const QString& p : course_.skills[*index].prerequisites)
                if (!mastered(p) && !missing.contains(p)) missing.push_back(p);
        }
        toLearn = learnable(missing);
        frontier = missing;
    }
    QStringList mastered_;
    for (const QString& id : scope)
        if (mastered(id) && !itemsBySkill_.value(id).isEmpty()) mastered_.push_back(id);

    std::bernoulli_distribution review(options_.review_probability);
    QStringList chosen;
    if (!toLearn.isEmpty() && !(review(rng_) && !mastered_.isEmpty())) {
        // The weakest skill first; ties go to course order.
        const auto weakest = std::min_element(toLearn.begin(), toLearn.end(), [&](const QString& a, const QString& b) {
            return pKnown(a) < pKnown(b);
        });
        chosen = QStringList{*weakest};
    } else if (!mastered_.isEmpty()) {
        std::uniform_int_distribution<qsizetype> pick(0, mastered_.size() - 1);
        chosen = QStringList{mastered_[pick(rng_)]};
    } else {
        chosen = scope;  // nothing learnable (a cycle-free course always has some): any item in scope
    }
    current_ = pickItem(chosen);
    if (!current_) current_ = pickItem(scope);
    if (current_) {
        presentedAt_ = now();
        hintsShown_ = 0;
        timesSeen_[current_->id] += 1;
    }
    return current_;
}

store::StatementRecord StudySession::statement(store::Verb verb, const QString& lesson, const QString& item) const {
    store::StatementRecord st;
    st.learner = learner_;
    st.verb = verb;
    st.course = course_.id;
    st.lesson = lesson;
    st.item = item;
    st.at = now();
    return st;
}

std::optional<std::pair<QString, store::StatementRecord>> StudySession::hint() {
    if (!current_ || hintsShown_ >= current_->hints.size()) return std::nullopt;
    store::StatementRecord st = statement(store::Verb::HintRequested, {}, current_->id);
    st.hint_index = hintsShown_;
    return std::make_pair(current_->hints[hintsShown_++], st);
}

Answered StudySession::answer(const Response& response) {
    const course::Item& item = *current_;
    const std::int64_t at = now();
    Answered out;
    out.grade = grade(item, response);
    out.explanation = item.explanation;

    QStringList completeBefore;
    for (const course::Lesson& l : course_.lessons)
        if (lessonComplete(l.id)) completeBefore.push_back(l.id);

    for (const QString& skill : item.skills) {
        const bkt::Params p = params_.value(skill, bkt::kUnseenSkillDefaults);
        store::Mastery m = mastery_.value(skill, store::Mastery{skill, p.prior, 0, 0, 0});
        m.p_known = bkt::observe(m.p_known, out.grade.correct ? Outcome::kCorrect : Outcome::kWrong, p).next;
        m.attempts += 1;
        m.correct += out.grade.correct ? 1 : 0;
        m.updated_at = at;
        mastery_.insert(skill, m);
        out.mastery.push_back(m);
    }

    store::AttemptRecord& a = out.attempt;
    a.learner = learner_;
    a.course = course_.id;
    a.item = item.id;
    a.response = response.toJson(item.type);
    a.correct = out.grade.correct;
    a.score = out.grade.score;
    a.hints_used = hintsShown_;
    a.duration_ms = std::max<std::int64_t>(0, at - presentedAt_);
    a.answered_at = at;
    a.mastery = out.mastery;

    for (const course::Lesson& l : course_.lessons) {
        if (completeBefore.contains(l.id) || !lessonComplete(l.id)) continue;
        store::StatementRecord st = statement(store::Verb::LessonCompleted, l.id, {});
        st.at = at;
        out.statements.push_back(st);
    }

    recent_.push_back(item.id);
    while (recent_.size() > std::max(1, options_.recent_items)) recent_.pop_front();
    current_ = nullptr;
    return out;
}

store::StatementRecord StudySession::skip() {
    const store::StatementRecord st = statement(store::Verb::ItemSkipped, {}, current_ ? current_->id : QString());
    if (current_) {
        recent_.push_back(current_->id);
        while (recent_.size() > std::max(1, options_.recent_items)) recent_.pop_front();
    }
    current_ = nullptr;
    return st;
}

store::StatementRecord StudySession::openLesson(const QString& lesson) {
    const store::StatementRecord st = statement(store::Verb::LessonOpened, lesson, {});
    lessonOpenedAt_.insert(lesson, st.at);
    return st;
}

store::StatementRecord StudySession::closeLesson(const QString& lesson) {
    store::StatementRecord st = statement(store::Verb::LessonClosed, lesson, {});
    st.duration_ms = std::max<std::int64_t>(0, st.at - lessonOpenedAt_.value(lesson, st.at));
    lessonOpenedAt_.remove(lesson);
    return st;
}

}  // namespace kite::study
