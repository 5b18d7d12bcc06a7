// The always-visible sync indicator (docs/app.md): the sync engine's status
// in the words a student reads at a glance, "Up to date · 2 min ago",
// "Offline · 3 waiting", or the error in plain words with Retry.
//
// A view model: no SQL, no HTTP. The app connects SyncClient::statusChanged
// to setStatus() and retryRequested() to SyncClient::syncNow().
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

#include "kite/sync_engine.h"

namespace kite::ui {

class SyncIndicator : public QObject {
    Q_OBJECT
    // "offline", "connecting", "syncing", "upToDate", "paused", "error", or
    // "local" when the device has no school server to sync with
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(QString text READ text NOTIFY changed)       // the line the indicator shows
    Q_PROPERTY(QString details READ details NOTIFY changed) // the details page's paragraph
    Q_PROPERTY(int waiting READ waiting NOTIFY changed)     // answers not yet on the server
    Q_PROPERTY(QString error READ error NOTIFY changed)     // plain words; empty when all is well
    Q_PROPERTY(bool canRetry READ canRetry NOTIFY changed)
    Q_PROPERTY(bool needsEnrollment READ needsEnrollment NOTIFY changed)
    Q_PROPERTY(QString downloading READ downloading NOTIFY changed)  // course being downloaded, or ""
    Q_PROPERTY(double downloadProgress READ downloadProgress NOTIFY changed)
    Q_PROPERTY(QString server READ server NOTIFY changed)  // the school's server; "" on this device only
public:
    using Clock = std::function<QDateTime()>;
    explicit SyncIndicator(QObject* parent = nullptr, Clock clock = {});

    void setStatus(const client::SyncStatus& status);
    // Studying offline with no school server: nothing to sync, nothing to retry.
    void setLocalOnly(bool local);
    void setServer(const QString& server);
    QString server() const { return local_ ? QString() : server_; }
    const client::SyncStatus& status() const { return status_; }

    QString state() const;
    QString text() const;
    QString details() const;
    int waiting() const { return static_cast<int>(status_.answers_waiting); }
    QString error() const { return status_.last_error; }
    bool canRetry() const;
    bool needsEnrollment() const { return status_.needs_enrollment; }
    QString downloading() const { return status_.downloading; }
    double downloadProgress() const { return status_.download_progress; }

    // "just now", "2 min ago", "3 h ago", or the date: how long ago `ms` (Unix) was.
    Q_INVOKABLE QString ago(qint64 ms) const;

    Q_INVOKABLE void retry();
    // The user pauses or resumes syncing (the details page).
    Q_INVOKABLE void setPaused(bool paused);

signals:
    void changed();
    void retryRequested();
    void pauseRequested(bool paused);

private:
    Clock clock_;
    client::SyncStatus status_;
    bool local_ = false;
    QString server_;
    QTimer tick_;  // "2 min ago" moves on by itself
};

}  // namespace kite::ui
