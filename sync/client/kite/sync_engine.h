// The sync engine: moves the outbox to kite-server and what the server
// computed back, whenever the server can be reached (docs/sync.md).
//
// SyncEngine runs on its own thread with its own store connection; SyncClient
// is the face the app (and kite-sim) hold on theirs: commands go in as queued
// calls, the status comes out as a signal and a thread-safe copy.
//
// One sync is: push the waiting outbox events in batches until none wait,
// then pull changes until caught up. A failure (no network, a 5xx, a timeout)
// waits a backoff with full jitter, or the server's Retry-After, and starts
// the sync again; since the server ignores event ids it already holds and the
// outbox keeps every event until a 202 names it, nothing is lost or counted
// twice however a push ends.
#pragma once

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "kite/result.h"

class QNetworkReply;
class QThread;
class QWebSocket;

namespace kite::store {
class Store;
}

namespace kite::client {

enum class SyncState {
    Offline,     // the server cannot be reached; retrying
    Connecting,  // a sync has started, nothing answered yet
    Syncing,     // pushing or pulling
    UpToDate,    // nothing waits, the pull is caught up
    Paused,      // the user paused it, or the connection is metered and that is not allowed
    Error,       // the server refuses (enrollment needed, an error that retrying cannot fix)
};
QString toString(SyncState state);  // "offline", "connecting", ...

struct SyncStatus {
    SyncState state = SyncState::Offline;
    std::int64_t waiting = 0;       // outbox events not yet acknowledged
    std::int64_t answers_waiting = 0;  // of them, answers (what the indicator counts)
    std::int64_t set_aside = 0;     // events the server rejected as invalid (kept, with the reason)
    std::int64_t last_success = 0;  // Unix ms of the last sync that got up to date; 0: never
    QString last_error;             // plain words; empty after a sync that succeeded
    bool needs_enrollment = false;  // the server no longer knows this device's token
    QString downloading;            // the course being downloaded; empty when none
    double download_progress = 0;   // of `downloading`, 0..1
};

struct SyncOptions {
    QUrl server;  // http://host:port
    int batch_events = 1000;                 // per push, at most the server's 1,000
    qint64 batch_bytes = 1024 * 1024;        // per push, before compression
    bool compress = true;                    // gzip push bodies
    std::chrono::milliseconds timeout{15'000};       // a request with no progress this long fails
    std::chrono::milliseconds poll_every{60'000};    // a sync at least this often
    std::chrono::milliseconds backoff_first{500};    // the first retry waits up to this
    std::chrono::milliseconds backoff_most{60'000};  // and no retry waits longer
    bool stream = true;                              // pokes over /v1/stream
    std::chrono::milliseconds ping_every{30'000};
};

class SyncEngine : public QObject {
    Q_OBJECT
public:
    SyncEngine(QString storePath, SyncOptions options);
    ~SyncEngine() override;

    // On the engine's thread (queued calls from SyncClient).
    void start();
    void syncNow();
    void setPaused(bool paused);
    void setAllowMetered(bool allow);
    // POST /v1/enroll; the token is kept in the store's sync state.
    void enroll(const QString& code, const QString& deviceName);
    // A learner's answer to a live poll: POST /v1/polls/{id}/answers.
    void answerPoll(const QString& pollId, const QString& learnerUid, const QString& answer);

signals:
    void statusChanged(const kite::client::SyncStatus& status);
    void enrolled(bool ok, const QString& message);
    void changesApplied();  // a pull page was stored: mastery or the roster may have moved
    void courseInstalled(const QString& course, int version);
    // Live polls from the stream (docs/protocol.md, "Live polls"): "poll" of
    // poll_open (also sent on connecting for the polls still open), and the
    // id of a poll that closed.
    void pollOpened(const QJsonObject& poll);
    void pollClosed(const QString& pollId);
    // The server's answer to answerPoll: ok, or why not in plain words.
    void pollAnswered(const QString& pollId, bool ok, const QString& message);

private:
    // A push ready to go: the body (gzip'd if asked) and its events.
    struct Batch {
        QByteArray body;
        QByteArray encoding;
        QList<QString> ids;
        std::int64_t last_seq = 0;
    };
    Result<std::optional<Batch>> buildBatch(std::int64_t afterSeq);
    void kick();
    void pushNext();
    void onPushed(QNetworkReply* reply, const QList<QString>& ids, int count);
    void pullNext();
    void onPulled(QNetworkReply* reply);
    void finished();
    std::int64_t backoffMs(int failures, double floor);
    void retryAfterFailure(QNetworkReply* reply, const QByteArray& body);
    void retryLater(const QString& why, SyncState state, std::optional<int> retryAfterSeconds = std::nullopt);
    void stopFor(const QString& why, bool enrollment);
    void refused();
    QNetworkReply* send(const QString& method, const QString& path, const QByteArray& body,
                        const QByteArray& contentEncoding = {});
    void publish(std::optional<SyncState> state = std::nullopt);
    bool blocked() const;
    void openStream();
    void onStreamClosed();
    void watchConnectivity();
    void downloadCourses();
    void onDownloaded(QNetworkReply* reply, const QString& course, int version, const QString& sha256);

    QString store_path_;
    SyncOptions options_;
    std::unique_ptr<store::Store> store_;
    QNetworkAccessManager* network_ = nullptr;
    QTimer retry_{this};  // children: they move to the engine's thread with it
    QTimer periodic_{this};
    QByteArray token_;
    QString cursor_;
    bool busy_ = false;     // a sync is under way
    bool again_ = false;    // asked for while busy: run once more
    bool paused_ = false;
    bool allow_metered_ = true;
    bool metered_ = false;
    int batch_limit_ = 0;   // shrinks when the server says a batch is too large
    std::optional<Batch> next_;  // built while the previous push is on its way
    int failures_ = 0;      // in a row, for the backoff
    std::mt19937_64 jitter_{std::random_device{}()};
    SyncStatus status_;
    QWebSocket* stream_ = nullptr;
    QTimer stream_retry_{this};
    QTimer stream_ping_{this};
    int stream_failures_ = 0;
    QPointer<QNetworkReply> download_;  // the course download under way
    QSet<QString> failed_downloads_;    // package hashes that failed their checks
};

// The app's (and kite-sim's) handle: the engine on its own thread.
class SyncClient : public QObject {
    Q_OBJECT
public:
    SyncClient(const QString& storePath, SyncOptions options, QObject* parent = nullptr);
    ~SyncClient() override;

    void start();
    void syncNow();  // also: new outbox rows were written
    void setPaused(bool paused);
    void setAllowMetered(bool allow);
    void enroll(const QString& code, const QString& deviceName);
    void answerPoll(const QString& pollId, const QString& learnerUid, const QString& answer);
    SyncStatus status() const;  // from any thread

signals:
    void statusChanged(const kite::client::SyncStatus& status);
    void enrolled(bool ok, const QString& message);
    void changesApplied();
    void courseInstalled(const QString& course, int version);
    void pollOpened(const QJsonObject& poll);
    void pollClosed(const QString& pollId);
    void pollAnswered(const QString& pollId, bool ok, const QString& message);

private:
    QThread* thread_ = nullptr;
    SyncEngine* engine_ = nullptr;
    mutable std::mutex mutex_;
    SyncStatus status_;
};

}  // namespace kite::client

Q_DECLARE_METATYPE(kite::client::SyncStatus)
