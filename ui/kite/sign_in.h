// Who is studying (docs/app.md). On a laptop the learner stays signed in; on
// a kiosk, a roster grid (name, colour, optional PIN) and automatic sign-out
// after `idleSeconds` without input.
//
// The learners (the device's own and the class roster the server sent) and
// PIN checks are read on the store's thread. Input anywhere in the app
// (mouse, keys, touch, wheel) counts as activity.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariantList>

#include <chrono>

#include "kite/async_store.h"

namespace kite::ui {

class SignIn : public QObject {
    Q_OBJECT
    Q_PROPERTY(QVariantList learners READ learners NOTIFY changed)  // [{id, name, colour, hasPin}]
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY changed)
    Q_PROPERTY(qint64 learnerId READ learnerId NOTIFY changed)
    Q_PROPERTY(QString learnerName READ learnerName NOTIFY changed)
    Q_PROPERTY(bool kiosk READ kiosk NOTIFY changed)
    Q_PROPERTY(bool checking READ checking NOTIFY changed)  // a PIN is being checked
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    explicit SignIn(store::AsyncStore& store, QObject* parent = nullptr);
    ~SignIn() override;

    // A kiosk signs out after `idleSeconds` without input (seconds of
    // `second`: tests shorten it).
    void setKiosk(bool kiosk, int idleSeconds, std::chrono::milliseconds second = std::chrono::seconds(1));
    Q_INVOKABLE void refresh();
    // Signs `learner` in; with a PIN if the learner has one.
    Q_INVOKABLE void signIn(qint64 learner, const QString& pin = {});
    Q_INVOKABLE void signOut();
    // Input happened: the idle clock starts again.
    void noteActivity();

    QVariantList learners() const { return learners_; }
    bool signedIn() const { return learner_id_ > 0; }
    qint64 learnerId() const { return learner_id_; }
    QString learnerName() const { return learner_name_; }
    bool kiosk() const { return kiosk_; }
    bool checking() const { return checking_; }
    QString error() const { return error_; }

signals:
    void changed();
    void signedInAs(qint64 learner);
    void signedOut(bool idle);  // idle: the kiosk's timer did it
    void activity();            // input anywhere in the app (the kiosk's guard listens too)

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void become(qint64 learner);
    void leave(bool idle);
    QVariantMap entry(qint64 learner) const;  // of learners_; empty if not there

    store::AsyncStore& store_;
    QVariantList learners_;
    qint64 learner_id_ = 0;
    QString learner_name_;
    bool kiosk_ = false;
    bool checking_ = false;
    QString error_;
    QTimer idle_;
};

}  // namespace kite::ui
