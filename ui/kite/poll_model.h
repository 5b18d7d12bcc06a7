// A teacher's live poll (docs/app.md, "Teacher mode and live polls"): open a
// question with options, or an item of a course, to the class; watch the
// answers arrive over the teacher's stream; close it; the results stay shown
// until the next poll. Through TeacherModel's client; the course items to
// pick from are read on the store's thread.
#pragma once

#include <QObject>
#include <QString>
#include <QVariantList>

#include <optional>

#include "kite/async_store.h"
#include "kite/live_poll.h"
#include "kite/teacher_model.h"

namespace kite::ui {

class PollModel : public QObject {
    Q_OBJECT
    // "idle" (none yet), "opening", "open", "closing", "closed"
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(QString question READ question NOTIFY changed)
    Q_PROPERTY(QVariantList results READ results NOTIFY changed)  // [{answer, count, fraction}]
    Q_PROPERTY(int answered READ answered NOTIFY changed)         // learners who answered
    Q_PROPERTY(QString error READ error NOTIFY changed)
    Q_PROPERTY(QVariantList items READ items NOTIFY itemsChanged)  // [{course, item, label}]
public:
    PollModel(TeacherModel& teacher, store::AsyncStore& store, QObject* parent = nullptr);

    // A question with options, one a line in `optionsText` (blank lines skipped).
    Q_INVOKABLE void openQuestion(const QString& question, const QString& optionsText);
    // An item of an installed course, shown to the learners as the question.
    Q_INVOKABLE void openItem(const QString& course, const QString& item);
    Q_INVOKABLE void close();
    // Reads the items of the installed courses into `items`.
    Q_INVOKABLE void loadItems();

    QString state() const { return state_; }
    QString question() const;
    QVariantList results() const;
    int answered() const { return poll_ ? poll_->answered : 0; }
    QString error() const { return error_; }
    QVariantList items() const { return items_; }
    QString pollId() const { return poll_ ? poll_->id : QString(); }

signals:
    void changed();
    void itemsChanged();

private:
    void open(const client::PollRequest& request, const QString& label);
    void onResults(const QJsonObject& message);
    void fail(const QString& message);

    TeacherModel& teacher_;
    store::AsyncStore& store_;
    std::optional<client::LivePoll> poll_;
    QString label_;  // an item's poll: what the item asks
    QString state_ = QStringLiteral("idle");
    QString error_;
    QVariantList items_;
};

}  // namespace kite::ui
