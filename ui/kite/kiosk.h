// Kiosk mode (docs/app.md, "Kiosk mode"): a shared device that IT sets up
// (kiosk/enabled, docs/deploy.md). The window is full screen; closing it,
// opening Settings and leaving kiosk mode need the teacher PIN, whose hash
// IT puts in kiosk/teacher_pin_hash (`kite --hash-pin` makes one).
//
// A kiosk without a usable teacher PIN hash is not guarded: anyone may close
// it or open Settings, and warning() says so, so that nobody is locked out
// of a device for good by a missing or mistyped hash.
//
// An unlock lasts until lock() (the Settings page closing does it) or until
// `idle` passes without input (noteActivity()). The PIN is checked on a worker thread (the
// hash costs thousands of HMAC rounds).
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

#include "kite/app_settings.h"

namespace kite::ui {

class KioskGuard : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool enabled READ enabled NOTIFY changed)   // kiosk mode is on
    Q_PROPERTY(bool guarded READ guarded NOTIFY changed)   // on, with a teacher PIN
    Q_PROPERTY(bool locked READ locked NOTIFY changed)     // guarded and not unlocked now
    Q_PROPERTY(bool checking READ checking NOTIFY changed) // a PIN is being checked
    Q_PROPERTY(QString error READ error NOTIFY changed)    // why the last PIN did not unlock
    Q_PROPERTY(QString warning READ warning NOTIFY changed)  // kiosk mode without a usable teacher PIN
public:
    explicit KioskGuard(AppSettings& settings, QObject* parent = nullptr);
    ~KioskGuard() override;

    // How long an unlock lasts without input (default: kiosk/idle_seconds).
    void setIdle(std::chrono::milliseconds idle);

    bool enabled() const { return settings_.kiosk(); }
    bool guarded() const;
    bool locked() const { return guarded() && !unlocked_; }
    bool checking() const { return checking_; }
    QString error() const { return error_; }
    QString warning() const;

    // Checks `pin` against the teacher PIN; unlocked() if right, else error().
    Q_INVOKABLE void unlock(const QString& pin);
    Q_INVOKABLE void lock();
    // Whether the app may close now: true unless locked.
    Q_INVOKABLE bool requestExit() const { return !locked(); }
    // Input happened (SignIn::activity): an unlock lasts `idle` more.
    void noteActivity();

signals:
    void changed();
    void unlocked();
    void relocked();  // an unlock ended (lock() or idle)

private:
    QString pinHash() const;

    AppSettings& settings_;
    bool unlocked_ = false;
    bool checking_ = false;
    QString error_;
    QTimer idle_;
};

}  // namespace kite::ui
