// The learner's side of a live poll (docs/app.md, "Teacher mode and live
// polls"): when the school server's stream opens a poll (poll_open, also
// sent on connecting for the polls still open), the signed-in learner sees
// the question and its options, or the course item it asks, and answers;
// poll_closed takes it away. The app connects SyncClient's pollOpened,
// pollClosed and pollAnswered here and answerRequested to
// SyncClient::answerPoll. An item's text is read on the store's thread.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include "kite/async_store.h"
#include "kite/live_poll.h"

namespace kite::ui {

class PollPrompt : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool active READ active NOTIFY changed)  // a poll to show the signed-in learner
    Q_PROPERTY(QString pollId READ pollId NOTIFY changed)
    Q_PROPERTY(QString question READ question NOTIFY changed)
    Q_PROPERTY(QStringList options READ options NOTIFY changed)  // empty: a free answer
    Q_PROPERTY(bool sending READ sending NOTIFY changed)
    Q_PROPERTY(QString answeredWith READ answeredWith NOTIFY changed)  // this learner's answer, once taken
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    explicit PollPrompt(store::AsyncStore& store, QObject* parent = nullptr);

    void pollOpened(const QJsonObject& poll);
    void pollClosed(const QString& pollId);
    void answered(const QString& pollId, bool ok, const QString& message);
    // Who is signed in (the store's row id); 0: nobody.
    void setLearner(qint64 learner);

    Q_INVOKABLE void answer(const QString& text);
    // Not now: this poll is not shown again to this learner.
    Q_INVOKABLE void dismiss();

    bool active() const;
    QString pollId() const;
    QString question() const;
    QStringList options() const;
    bool sending() const { return sending_; }
    QString answeredWith() const;
    QString error() const { return error_; }

signals:
    void changed();
    void answerRequested(const QString& pollId, const QString& learnerUid, const QString& answer);

private:
    struct Shown {
        client::LivePoll poll;
        QString question;     // the poll's, or its item's prompt
        QStringList options;  // the poll's, or its item's choices
    };
    const Shown* current() const;
    QString seenKey(const QString& poll) const { return learner_uid_ + QLatin1Char('\n') + poll; }

    store::AsyncStore& store_;
    QList<Shown> open_;  // the open polls, latest last
    qint64 learner_ = 0;
    QString learner_uid_;
    QHash<QString, QString> answers_;  // seenKey → the answer taken
    QSet<QString> dismissed_;          // seenKeys
    bool sending_ = false;
    QString error_;
};

}  // namespace kite::ui
