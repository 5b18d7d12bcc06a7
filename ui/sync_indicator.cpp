#include "kite/sync_indicator.h"

namespace kite::ui {

using client::SyncState;

SyncIndicator::SyncIndicator(QObject* parent, Clock clock) : QObject(parent), clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return QDateTime::currentDateTimeUtc(); };
    tick_.setInterval(30'000);
    connect(&tick_, &QTimer::timeout, this, &SyncIndicator::changed);
    tick_.start();
}

void SyncIndicator::setStatus(const client::SyncStatus& status) {
    status_ = status;
    emit changed();
}

void SyncIndicator::setLocalOnly(bool local) {
    local_ = local;
    emit changed();
}

void SyncIndicator::setServer(const QString& server) {
    server_ = server;
    emit changed();
}

QString SyncIndicator::state() const {
    if (local_) return QStringLiteral("local");
    switch (status_.state) {
    case SyncState::Offline: return QStringLiteral("offline");
    case SyncState::Connecting: return QStringLiteral("connecting");
    case SyncState::Syncing: return QStringLiteral("syncing");
    case SyncState::UpToDate: return QStringLiteral("upToDate");
    case SyncState::Paused: return QStringLiteral("paused");
    case SyncState::Error: return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

QString SyncIndicator::ago(qint64 ms) const {
    const QDateTime then = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    const qint64 seconds = std::max<qint64>(0, then.secsTo(clock_()));
    if (seconds < 60) return tr("just now");
    if (seconds < 3600) return tr("%n min ago", nullptr, static_cast<int>(seconds / 60));
    if (seconds < 24 * 3600) return tr("%n h ago", nullptr, static_cast<int>(seconds / 3600));
    return QLocale().toString(then.toLocalTime().date(), QLocale::ShortFormat);
}

QString SyncIndicator::text() const {
    if (local_) return tr("On this device only");
    const int n = waiting();
    const QString waitingText = tr("%n waiting", nullptr, n);
    switch (status_.state) {
    case SyncState::Offline:
        return n > 0 ? tr("Offline · %1").arg(waitingText) : tr("Offline");
    case SyncState::Connecting:
    case SyncState::Syncing:
        if (!status_.downloading.isEmpty())
            return tr("Downloading %1 · %2%").arg(status_.downloading).arg(qRound(100 * status_.download_progress));
        return n > 0 ? tr("Syncing · %1").arg(waitingText) : tr("Syncing");
    case SyncState::UpToDate:
        return status_.last_success > 0 ? tr("Up to date · %1").arg(ago(status_.last_success)) : tr("Up to date");
    case SyncState::Paused:
        return n > 0 ? tr("Sync paused · %1").arg(waitingText) : tr("Sync paused");
    case SyncState::Error:
        if (status_.needs_enrollment) return tr("Not connected to the school: enroll again");
        return n > 0 ? tr("Sync problem · %1").arg(waitingText) : tr("Sync problem");
    }
    return {};
}

QString SyncIndicator::details() const {
    if (local_) return tr("This device is not connected to a school server: answers stay here.");
    QStringList lines;
    lines << (status_.last_success > 0 ? tr("Last synced %1.").arg(ago(status_.last_success))
                                       : tr("Not synced with the school yet."));
    if (waiting() > 0)
        lines << tr("%n answer(s) kept on this device until the school has them.", nullptr, waiting());
    if (status_.set_aside > 0)
        lines << tr("%n event(s) the school refused are kept aside.", nullptr, static_cast<int>(status_.set_aside));
    if (!status_.last_error.isEmpty()) lines << status_.last_error;
    return lines.join(QLatin1Char('\n'));
}

bool SyncIndicator::canRetry() const {
    return !local_ && !status_.needs_enrollment && status_.state != SyncState::Paused && status_.state != SyncState::UpToDate &&
           (status_.state == SyncState::Offline || status_.state == SyncState::Error || !status_.last_error.isEmpty());
}

void SyncIndicator::retry() {
    emit retryRequested();
}

void SyncIndicator::setPaused(bool paused) {
    emit pauseRequested(paused);
}

}  // namespace kite::ui
