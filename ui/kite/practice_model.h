// Practice: the adaptive next item, the answer, immediate feedback and the
// explanation, hints, and the item's skills whose mastery bars move with the
// answer (docs/app.md).
//
// The study session runs here, on the GUI thread, in memory: grading and the
// BKT update take microseconds, so feedback and the new mastery show in the
// frame of the answer. Everything that touches the disk goes through the
// AsyncStore: opening the session (it reads the course, parameters and
// mastery), and recording each answer and statement, durable in the order
// given. After a recorded answer, answerRecorded() is the sync engine's cue.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>

#include "kite/async_store.h"
#include "kite/session.h"

namespace kite::ui {

class PracticeModel : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool ready READ ready NOTIFY changed)           // a session is open and an item shown
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(QString course READ course NOTIFY changed)
    Q_PROPERTY(QString lesson READ lesson NOTIFY changed)      // "" for the whole course
    Q_PROPERTY(QString lessonTitle READ lessonTitle NOTIFY changed)
    Q_PROPERTY(QString lessonText READ lessonText NOTIFY changed)  // the lesson's Markdown, once open
    Q_PROPERTY(QString itemId READ itemId NOTIFY itemChanged)
    // "multiple_choice", "multiple_select", "numeric" or "short_text"
    Q_PROPERTY(QString itemType READ itemType NOTIFY itemChanged)
    Q_PROPERTY(QString prompt READ prompt NOTIFY itemChanged)      // Markdown
    Q_PROPERTY(QStringList choices READ choices NOTIFY itemChanged)
    Q_PROPERTY(QString unit READ unit NOTIFY itemChanged)
    Q_PROPERTY(bool answered READ answered NOTIFY changed)     // feedback is showing
    Q_PROPERTY(bool correct READ correct NOTIFY changed)
    Q_PROPERTY(double score READ score NOTIFY changed)
    Q_PROPERTY(QString feedback READ feedback NOTIFY changed)  // e.g. "Give the answer in cm."
    Q_PROPERTY(QString explanation READ explanation NOTIFY changed)
    Q_PROPERTY(QStringList hints READ hints NOTIFY changed)    // shown so far
    Q_PROPERTY(bool moreHints READ moreHints NOTIFY changed)
    // The current item's skills: [{skill, name, pKnown, mastered}], after the
    // answer once answered.
    Q_PROPERTY(QVariantList skills READ skills NOTIFY changed)
    Q_PROPERTY(int answeredCount READ answeredCount NOTIFY changed)  // in this session
    Q_PROPERTY(int savingCount READ savingCount NOTIFY changed)      // given, not yet durable
    Q_PROPERTY(QString error READ error NOTIFY changed)              // plain words; empty if none
public:
    explicit PracticeModel(store::AsyncStore& store, QObject* parent = nullptr);
    ~PracticeModel() override;

    // Opens a session for `learner` in `course` (within `lesson` if given)
    // and shows its first item; changed() when it is ready or failed.
    Q_INVOKABLE void start(qint64 learner, const QString& course, const QString& lesson = {});
    Q_INVOKABLE void answerChoice(int index);
    Q_INVOKABLE void answerChoices(const QList<int>& indexes);
    Q_INVOKABLE void answerText(const QString& text);
    Q_INVOKABLE void showHint();
    Q_INVOKABLE void skip();
    Q_INVOKABLE void next();
    // The stored mastery moved under the session (a pull brought the server's):
    // the session is reopened from the store before the next item.
    Q_INVOKABLE void reloadMastery();
    void setSessionOptions(study::SessionOptions options) { options_ = std::move(options); }

    bool ready() const { return session_ && session_->current() != nullptr; }
    bool loading() const { return loading_; }
    QString course() const { return course_; }
    QString lesson() const { return lesson_; }
    QString lessonTitle() const;
    QString lessonText() const;
    QString itemId() const;
    QString itemType() const;
    QString prompt() const;
    QStringList choices() const;
    QString unit() const;
    bool answered() const { return answered_.has_value(); }
    bool correct() const { return answered_ && answered_->grade.correct; }
    double score() const { return answered_ ? answered_->grade.score : 0.0; }
    QString feedback() const { return answered_ ? answered_->grade.feedback : QString(); }
    QString explanation() const { return answered_ ? answered_->explanation : QString(); }
    QStringList hints() const { return hints_; }
    bool moreHints() const;
    QVariantList skills() const;
    int answeredCount() const { return answered_count_; }
    int savingCount() const { return saving_; }
    QString error() const { return error_; }

signals:
    void changed();
    // The item on screen is another one (its id, type, prompt, choices, unit):
    // apart from changed() so that views of the item are not rebuilt, and a
    // learner's ticks not lost, when only the rest changes.
    void itemChanged();
    void answerRecorded();  // durable: time to sync

private:
    void answer(const study::Response& response);
    void record(const store::StatementRecord& statement);
    void open(bool fresh);
    void show(const course::Item* item);
    const course::Lesson* openLesson() const;  // the lesson being practised, if any

    store::AsyncStore& store_;
    study::SessionOptions options_;
    std::shared_ptr<study::StudySession> session_;
    qint64 learner_ = 0;
    QString course_;
    QString lesson_;
    const course::Item* shown_ = nullptr;  // the item on screen (the session's current, or answered)
    std::optional<study::Answered> answered_;
    QStringList hints_;
    bool loading_ = false;
    bool reload_ = false;  // reopen before the next item
    int answered_count_ = 0;
    int saving_ = 0;
    QString error_;
    quint64 generation_ = 0;  // a start() supersedes any open still under way
};

}  // namespace kite::ui
