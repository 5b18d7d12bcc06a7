#include "kite/practice_model.h"

namespace kite::ui {

PracticeModel::PracticeModel(store::AsyncStore& store, QObject* parent) : QObject(parent), store_(store) {}

PracticeModel::~PracticeModel() = default;

void PracticeModel::start(qint64 learner, const QString& course, const QString& lesson) {
    learner_ = learner;
    course_ = course;
    lesson_ = lesson;
    open(true);
}

// Opens the session on the store's thread; shows its next item here.
void PracticeModel::open(bool fresh) {
    const quint64 generation = ++generation_;
    loading_ = true;
    if (fresh) {
        session_.reset();
        show(nullptr);
        answered_.reset();
        hints_.clear();
        answered_count_ = 0;
    }
    error_.clear();
    emit changed();
    using Session = std::shared_ptr<study::StudySession>;
    store_.run<Session>(
        [learner = learner_, course = course_, options = options_](store::Store& s) -> Result<Session> {
            auto session = study::StudySession::start(s, learner, course, options);
            if (!session) return session.error();
            return Session(std::move(*session));
        },
        this,
        [this, generation, fresh](Result<Session> opened) {
            if (generation != generation_) return;  // superseded
            loading_ = false;
            if (!opened) {
                error_ = tr("This course cannot be opened: %1").arg(QString::fromStdString(opened.error().message));
                emit changed();
                return;
            }
            session_ = std::move(*opened);
            if (fresh && !lesson_.isEmpty()) record(session_->openLesson(lesson_));
            answered_.reset();
            hints_.clear();
            show(session_->next(lesson_));
            if (!shown_) error_ = tr("This course has no practice items.");
            emit changed();
        });
}

const course::Lesson* PracticeModel::openLesson() const {
    if (!session_) return nullptr;
    for (const course::Lesson& l : session_->course().lessons)
        if (l.id == lesson_) return &l;
    return nullptr;
}

QString PracticeModel::lessonTitle() const {
    const course::Lesson* l = openLesson();
    return l ? l->title : QString();
}

QString PracticeModel::lessonText() const {
    const course::Lesson* l = openLesson();
    return l ? l->markdown : QString();
}

QString PracticeModel::itemId() const {
    return shown_ ? shown_->id : QString();
}

QString PracticeModel::itemType() const {
    if (!shown_) return {};
    switch (shown_->type) {
    case course::ItemType::MultipleChoice: return QStringLiteral("multiple_choice");
    case course::ItemType::MultipleSelect: return QStringLiteral("multiple_select");
    case course::ItemType::Numeric: return QStringLiteral("numeric");
    case course::ItemType::ShortText: return QStringLiteral("short_text");
    }
    return {};
}

QString PracticeModel::prompt() const {
    return shown_ ? shown_->prompt : QString();
}

QStringList PracticeModel::choices() const {
    return shown_ ? shown_->choices : QStringList();
}

QString PracticeModel::unit() const {
    return shown_ ? shown_->unit : QString();
}

bool PracticeModel::moreHints() const {
    return shown_ && !answered_ && hints_.size() < shown_->hints.size();
}

QVariantList PracticeModel::skills() const {
    QVariantList out;
    if (!shown_ || !session_) return out;
    for (const QString& id : shown_->skills) {
        QString name = id;
        for (const course::Skill& s : session_->course().skills)
            if (s.id == id) name = s.name;
        out.push_back(QVariantMap{{QStringLiteral("skill"), id},
                                  {QStringLiteral("name"), name},
                                  {QStringLiteral("pKnown"), session_->pKnown(id)},
                                  {QStringLiteral("mastered"), session_->mastered(id)}});
    }
    return out;
}

void PracticeModel::answerChoice(int index) {
    study::Response r;
    r.choice = index;
    answer(r);
}

void PracticeModel::answerChoices(const QList<int>& indexes) {
    study::Response r;
    r.choices = indexes;
    std::sort(r.choices.begin(), r.choices.end());
    answer(r);
}

void PracticeModel::answerText(const QString& text) {
    study::Response r;
    r.text = text;
    answer(r);
}

// Graded and mastery moved now; made durable on the store's thread.
void PracticeModel::answer(const study::Response& response) {
    if (!session_ || !session_->current() || answered_) return;
    answered_ = session_->answer(response);
    ++answered_count_;
    ++saving_;
    store_.recordAttempt(answered_->attempt, this, [this](Result<store::Recorded> recorded) {
        --saving_;
        if (!recorded)
            error_ = tr("Your answer could not be saved: %1").arg(QString::fromStdString(recorded.error().message));
        emit changed();
        if (recorded) emit answerRecorded();
    });
    for (const store::StatementRecord& s : answered_->statements) record(s);
    emit changed();
}

void PracticeModel::record(const store::StatementRecord& statement) {
    ++saving_;
    store_.recordStatement(statement, this, [this](Result<store::Recorded> recorded) {
        --saving_;
        if (!recorded)
            error_ = tr("Your progress could not be saved: %1").arg(QString::fromStdString(recorded.error().message));
        emit changed();
    });
}

void PracticeModel::showHint() {
    if (!moreHints()) return;
    auto hint = session_->hint();
    if (!hint) return;
    hints_ << hint->first;
    record(hint->second);
    emit changed();
}

void PracticeModel::skip() {
    if (!session_ || !session_->current() || answered_) return;
    record(session_->skip());
    answered_.reset();
    next();
}

void PracticeModel::next() {
    if (!session_) return;
    if (reload_) {
        reload_ = false;
        return open(false);
    }
    answered_.reset();
    hints_.clear();
    show(session_->next(lesson_));
    emit changed();
}

// A new presentation, even of the same item again: views of it start afresh.
void PracticeModel::show(const course::Item* item) {
    shown_ = item;
    emit itemChanged();
}

void PracticeModel::reloadMastery() {
    if (!session_) return;
    // Never under an item the learner is answering or reading the feedback
    // of: next() reopens.
    reload_ = true;
    if (!session_->current() && !answered_) next();
}

}  // namespace kite::ui
