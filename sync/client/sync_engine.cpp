#include "kite/sync_engine.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkInformation>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QThread>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <variant>

#include "kite/course.h"
#include "kite/gzip.h"
#include "kite/store.h"
#include "kite/wire.h"
#include "server_requests.h"

namespace kite::client {

namespace {

std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

// The server's words for a failed request: its JSON error message if it sent
// one, else the HTTP status or the network error.
QString describe(QNetworkReply* reply, const QByteArray& body) {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) return reply->errorString();
    if (auto e = wire::parseErrorReply(body); e.ok() && !e.value().message.isEmpty())
        return QStringLiteral("the server answered %1: %2").arg(status).arg(e.value().message);
    return QStringLiteral("the server answered %1").arg(status);
}

std::optional<int> retryAfter(QNetworkReply* reply) {
    bool ok = false;
    const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
    if (!ok || seconds < 0) return std::nullopt;
    return std::min(seconds, 3600);
}

// A pull page as the store keeps it.
store::ServerChanges toStore(const wire::PullReply& page) {
    store::ServerChanges out;
    for (const wire::PullChange& change : page.changes) {
        if (const auto* m = std::get_if<wire::MasteryChange>(&change)) {
            out.mastery.push_back(store::ServerMastery{
                m->learner, m->course, m->skill,
                m->model == wire::MasteryModel::Dkt ? QStringLiteral("dkt") : QStringLiteral("bkt"), m->probability,
                m->covers_seq, m->at});
        } else if (const auto* p = std::get_if<wire::BktParamsChange>(&change)) {
            out.params[p->course][p->skill] = bkt::Params{p->prior, p->learn, p->forget, p->guess, p->slip};
        } else if (const auto* c = std::get_if<wire::CourseChange>(&change)) {
            out.courses.push_back(store::OfferedCourse{c->id, c->version, c->sha256, c->size});
        } else if (const auto* l = std::get_if<wire::LearnerChange>(&change)) {
            out.learners.push_back(store::RosterLearner{l->id, l->name, l->colour, l->pin_hash, l->removed});
        }
    }
    return out;
}

}  // namespace

QString toString(SyncState state) {
    switch (state) {
    case SyncState::Offline: return QStringLiteral("offline");
    case SyncState::Connecting: return QStringLiteral("connecting");
    case SyncState::Syncing: return QStringLiteral("syncing");
    case SyncState::UpToDate: return QStringLiteral("up to date");
    case SyncState::Paused: return QStringLiteral("paused");
    case SyncState::Error: return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

SyncEngine::SyncEngine(QString storePath, SyncOptions options)
    : store_path_(std::move(storePath)), options_(std::move(options)) {
    options_.batch_events = std::clamp(options_.batch_events, 1, wire::kMaxEventsPerPush);
    batch_limit_ = options_.batch_events;
}

SyncEngine::~SyncEngine() = default;

void SyncEngine::start() {
    // Objects with timers and sockets belong to this thread: made here.
    network_ = new QNetworkAccessManager(this);
    network_->setTransferTimeout(static_cast<int>(options_.timeout.count()));
    retry_.setSingleShot(true);
    connect(&retry_, &QTimer::timeout, this, &SyncEngine::kick);
    connect(&periodic_, &QTimer::timeout, this, &SyncEngine::kick);
    periodic_.start(static_cast<int>(options_.poll_every.count()));

    auto opened = store::Store::open(store_path_);
    if (!opened) return stopFor(QStringLiteral("cannot open the device's data: %1")
                                    .arg(QString::fromStdString(opened.error().message)),
                                false);
    store_ = std::move(*opened);
    // A pull that a crash cut short may have left mastery to rebuild.
    if (auto s = store_->refreshMastery(); !s)
        return stopFor(QString::fromStdString(s.error().message), false);
    auto token = store_->syncState(QStringLiteral("token"));
    auto cursor = store_->syncState(QStringLiteral("pull_cursor"));
    if (!token || !cursor) return stopFor(QStringLiteral("cannot read the sync state of the device's data"), false);
    token_ = token->toUtf8();
    cursor_ = *cursor;
    if (options_.stream) openStream();
    watchConnectivity();
    kick();
}

// Where the platform reports it (NetworkManager on Linux): a sync when the
// network comes back, and none on a metered connection unless allowed.
void SyncEngine::watchConnectivity() {
    if (!QNetworkInformation::loadDefaultBackend()) return;  // no backend: the periodic sync and retries do
    QNetworkInformation* info = QNetworkInformation::instance();
    if (info->supports(QNetworkInformation::Feature::Metered)) {
        metered_ = info->isMetered();
        connect(info, &QNetworkInformation::isMeteredChanged, this, [this](bool metered) {
            metered_ = metered;
            kick();
        });
    }
    connect(info, &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                if (reachability == QNetworkInformation::Reachability::Online) syncNow();
            });
}

void SyncEngine::syncNow() {
    failures_ = 0;  // the user (or new answers) asked: try at once
    retry_.stop();
    kick();
}

void SyncEngine::setPaused(bool paused) {
    paused_ = paused;
    if (paused) {
        retry_.stop();
        if (store_) publish(SyncState::Paused);  // else start() says so, with the counts
    } else {
        kick();
    }
}

void SyncEngine::setAllowMetered(bool allow) {
    allow_metered_ = allow;
    kick();
}

bool SyncEngine::blocked() const {
    return paused_ || (metered_ && !allow_metered_);
}

void SyncEngine::enroll(const QString& code, const QString& deviceName) {
    if (!store_) {
        emit enrolled(false, status_.last_error.isEmpty() ? QStringLiteral("the device's data is not open")
                                                         : status_.last_error);
        return;
    }
    const QByteArray body =
        QJsonDocument(wire::toJson(wire::EnrollRequest{code, deviceName})).toJson(QJsonDocument::Compact);
    QNetworkReply* reply = send(QStringLiteral("POST"), QStringLiteral("/v1/enroll"), body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QByteArray answer = replyBody(reply);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        auto parsed = wire::parseEnrollReply(answer);
        if (status != 201 || !parsed.ok()) {
            emit enrolled(false, describe(reply, answer));
            return;
        }
        const wire::EnrollReply& e = parsed.value();
        for (const auto& [key, value] : {std::pair{QStringLiteral("token"), e.token},
                                         std::pair{QStringLiteral("server_device_id"), e.device_id},
                                         std::pair{QStringLiteral("school_id"), e.school_id},
                                         std::pair{QStringLiteral("server"), options_.server.toString()}}) {
            if (auto s = store_->setSyncState(key, value); !s) {
                emit enrolled(false, QString::fromStdString(s.error().message));
                return;
            }
        }
        token_ = e.token.toUtf8();
        status_.needs_enrollment = false;
        emit enrolled(true, QString());
        if (stream_ == nullptr && options_.stream) openStream();
        syncNow();
    });
}

void SyncEngine::answerPoll(const QString& pollId, const QString& learnerUid, const QString& answer) {
    if (!network_ || token_.isEmpty()) {
        emit pollAnswered(pollId, false, QStringLiteral("this device is not enrolled with the school server"));
        return;
    }
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("learner"), learnerUid},
                                                      {QStringLiteral("answer"), answer}})
                                .toJson(QJsonDocument::Compact);
    QNetworkReply* reply = send(QStringLiteral("POST"),
                                QStringLiteral("/v1/polls/%1/answers").arg(QString::fromLatin1(QUrl::toPercentEncoding(pollId))),
                                body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, pollId] {
        reply->deleteLater();
        const QByteArray said = replyBody(reply);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) return emit pollAnswered(pollId, true, QString());
        emit pollAnswered(pollId, false, status == 409 ? QStringLiteral("the poll has closed") : describe(reply, said));
    });
}

// Starts a sync, or asks for another after the one under way.
void SyncEngine::kick() {
    if (!store_) return;
    if (blocked()) return publish(SyncState::Paused);
    if (token_.isEmpty()) {
        status_.needs_enrollment = true;
        return publish(SyncState::Error);
    }
    if (busy_) {
        again_ = true;
        return;
    }
    busy_ = true;
    again_ = false;
    retry_.stop();
    publish(status_.state == SyncState::UpToDate || status_.state == SyncState::Syncing ? SyncState::Syncing
                                                                                          : SyncState::Connecting);
    pushNext();
}

QNetworkReply* SyncEngine::send(const QString& method, const QString& path, const QByteArray& body,
                                const QByteArray& contentEncoding) {
    QNetworkRequest request = apiRequest(options_.server, path, token_);
    if (!contentEncoding.isEmpty()) request.setRawHeader("Content-Encoding", contentEncoding);
    return network_->sendCustomRequest(request, method.toLatin1(), body);
}

// The next waiting events after `afterSeq`, as a push body; none if no
// event waits.
Result<std::optional<SyncEngine::Batch>> SyncEngine::buildBatch(std::int64_t afterSeq) {
    auto events = store_->pendingEvents(batch_limit_, afterSeq);
    if (!events) return events.error();
    if (events->isEmpty()) return std::optional<Batch>{};
    // The events as stored, their payloads kept byte for byte; bounded by bytes.
    Batch batch;
    batch.body = "{\"events\":[";
    for (const store::OutboxEvent& e : *events) {
        if (!batch.ids.isEmpty() && batch.body.size() + e.payload.size() > options_.batch_bytes) break;
        if (!batch.ids.isEmpty()) batch.body += ',';
        batch.body += "{\"seq\":" + QByteArray::number(static_cast<qint64>(e.seq)) + ",\"id\":\"" + e.id.toLatin1() +
                      "\",\"kind\":\"" + e.kind.toLatin1() + "\",\"payload\":" + e.payload + '}';
        batch.ids.push_back(e.id);
        batch.last_seq = e.seq;
    }
    batch.body += "]}";
    // Answers compress about tenfold: less to send on a school's network.
    if (options_.compress) {
        if (QByteArray packed = gzip(batch.body); !packed.isEmpty()) {
            batch.body = std::move(packed);
            batch.encoding = QByteArrayLiteral("gzip");
        }
    }
    return std::optional<Batch>{std::move(batch)};
}

void SyncEngine::pushNext() {
    if (blocked()) {
        busy_ = false;
        next_.reset();
        return publish(SyncState::Paused);
    }
    std::optional<Batch> batch = std::exchange(next_, std::nullopt);
    if (!batch) {
        auto built = buildBatch(0);
        if (!built) return stopFor(QString::fromStdString(built.error().message), false);
        batch = std::move(*built);
    }
    if (!batch) return pullNext();
    QNetworkReply* reply = send(QStringLiteral("POST"), QStringLiteral("/v1/sync/push"), batch->body, batch->encoding);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, ids = batch->ids] { onPushed(reply, ids, static_cast<int>(ids.size())); });
    // The next batch is built while this one is on its way and the server
    // stores it: the events after it, still waiting until a 202 names them.
    auto following = buildBatch(batch->last_seq);
    if (following) next_ = std::move(*following);
}

void SyncEngine::onPushed(QNetworkReply* reply, const QList<QString>& ids, int count) {
    reply->deleteLater();
    const QByteArray body = replyBody(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 202) {
        auto parsed = wire::parsePushReply(body);
        if (!parsed.ok()) return retryLater(QStringLiteral("the server's reply to a push was not understood"), SyncState::Error);
        // Held (accepted now or before) or rejected: either way, done with.
        QSet<QString> rejected;
        for (const wire::Rejection& r : parsed.value().rejected) {
            rejected.insert(r.id);
            if (auto s = store_->markRejected(r.id, r.reason); !s)
                return stopFor(QString::fromStdString(s.error().message), false);
        }
        QList<QString> held;
        for (const QString& id : ids)
            if (!rejected.contains(id)) held.push_back(id);
        if (auto s = store_->markSent(held); !s) return stopFor(QString::fromStdString(s.error().message), false);
        failures_ = 0;
        publish(SyncState::Syncing);
        return pushNext();
    }
    next_.reset();  // built for a batch that did not go through
    if (status == 401 || status == 403)
        return refused();
    if (status == 413 || (status == 400 && count > 1)) {
        // Too large, or one event spoils the batch: halve until it is found.
        batch_limit_ = std::max(1, count / 2);
        return pushNext();
    }
    if (status == 400) {
        // One event the server will never take: set aside with its reason.
        if (auto s = store_->markRejected(ids.front(), describe(reply, body)); !s)
            return stopFor(QString::fromStdString(s.error().message), false);
        batch_limit_ = options_.batch_events;
        return pushNext();
    }
    retryAfterFailure(reply, body);
}

void SyncEngine::pullNext() {
    batch_limit_ = options_.batch_events;
    const QString path =
        QStringLiteral("/v1/sync/pull") +
        (cursor_.isEmpty() ? QString() : QStringLiteral("?cursor=") + QString::fromLatin1(QUrl::toPercentEncoding(cursor_)));
    QNetworkReply* reply = send(QStringLiteral("GET"), path, {});
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPulled(reply); });
}

void SyncEngine::onPulled(QNetworkReply* reply) {
    reply->deleteLater();
    const QByteArray body = replyBody(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 || status == 403)
        return refused();
    if (status != 200) return retryAfterFailure(reply, body);
    auto page = wire::parsePullReply(body);
    if (!page.ok()) return retryLater(QStringLiteral("the server's changes were not understood"), SyncState::Error);
    // One transaction per page, the cursor with it: a crash between pages
    // pulls the rest again, never a page twice.
    if (auto s = store_->applyServerChanges(toStore(page.value()), page.value().cursor); !s)
        return stopFor(QString::fromStdString(s.error().message), false);
    cursor_ = page.value().cursor;
    if (page.value().more) return pullNext();
    // Caught up: mastery rebuilt once for the whole pull.
    if (auto s = store_->refreshMastery(); !s) return stopFor(QString::fromStdString(s.error().message), false);
    emit changesApplied();
    finished();
}

void SyncEngine::finished() {
    downloadCourses();
    busy_ = false;
    failures_ = 0;
    status_.last_success = nowMs();
    status_.last_error.clear();
    status_.needs_enrollment = false;
    publish(SyncState::UpToDate);
    if (again_) kick();
}

// A request that failed: offline when no reply came; still syncing when the
// server is only busy (429, 503) and will take the rest in its turn; else an
// error, retried all the same.
void SyncEngine::retryAfterFailure(QNetworkReply* reply, const QByteArray& body) {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const SyncState state = status == 0                      ? SyncState::Offline
                            : status == 429 || status == 503 ? SyncState::Syncing
                                                             : SyncState::Error;
    retryLater(describe(reply, body), state, retryAfter(reply));
}

void SyncEngine::retryLater(const QString& why, SyncState state, std::optional<int> retryAfterSeconds) {
    busy_ = false;
    next_.reset();  // the retry starts from the oldest waiting event
    status_.last_error = why;
    // Full jitter: anywhere up to the doubled backoff, so that a classroom of
    // devices coming back at once spreads out. After the server's Retry-After,
    // not at it: a storm of devices all told "3 s" would come back together.
    std::int64_t waitMs = backoffMs(++failures_, 0.0);
    if (retryAfterSeconds) waitMs += *retryAfterSeconds * 1000LL;
    retry_.start(static_cast<int>(waitMs));
    publish(state);
}

// 401 or 403: the server no longer knows this device's token.
void SyncEngine::refused() {
    stopFor(QStringLiteral("the server no longer accepts this device: enroll it again"), true);
}

void SyncEngine::stopFor(const QString& why, bool enrollment) {
    busy_ = false;
    next_.reset();
    retry_.stop();
    status_.last_error = why;
    status_.needs_enrollment = enrollment;
    if (enrollment) token_.clear();
    publish(SyncState::Error);
}

void SyncEngine::publish(std::optional<SyncState> state) {
    if (state) status_.state = *state;
    if (store_) {
        if (auto counts = store_->unsentCounts()) {
            status_.waiting = counts->pending;
            status_.answers_waiting = counts->pending_answers;
            status_.set_aside = counts->rejected;
        }
    }
    emit statusChanged(status_);
}

// ------------------------------------------------------------ course updates

// A course the server offers in a newer version than the one installed (or
// not installed at all) is downloaded in the background, one at a time.
void SyncEngine::downloadCourses() {
    if (download_ || blocked()) return;
    auto offered = store_->offeredCourses();
    auto installed = store_->courses();
    if (!offered || !installed) return;
    for (const store::OfferedCourse& c : *offered) {
        const auto have = std::find_if(installed->begin(), installed->end(),
                                       [&](const store::CourseInfo& i) { return i.id == c.id; });
        if (have != installed->end() && have->version >= c.version) continue;
        if (failed_downloads_.contains(c.sha256)) continue;  // until the server offers another
        status_.downloading = c.id;
        status_.download_progress = 0;
        publish();
        QNetworkReply* reply =
            send(QStringLiteral("GET"), QStringLiteral("/v1/courses/%1/package?version=%2").arg(c.id).arg(c.version), {});
        download_ = reply;
        connect(reply, &QNetworkReply::downloadProgress, this, [this, size = c.size](qint64 got, qint64 total) {
            const qint64 whole = total > 0 ? total : size;
            if (whole <= 0) return;
            status_.download_progress = std::clamp(static_cast<double>(got) / static_cast<double>(whole), 0.0, 1.0);
            emit statusChanged(status_);  // the outbox counts have not moved: not read again for each piece
        });
        connect(reply, &QNetworkReply::finished, this,
                [this, reply, id = c.id, version = c.version, sha = c.sha256] { onDownloaded(reply, id, version, sha); });
        return;
    }
}

void SyncEngine::onDownloaded(QNetworkReply* reply, const QString& course, int version, const QString& sha256) {
    reply->deleteLater();
    status_.downloading.clear();
    const QByteArray package = replyBody(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        status_.last_error = QStringLiteral("downloading course %1: %2").arg(course, describe(reply, package));
        return publish();  // tried again at the next sync
    }
    // The package must be the one the server announced, and a valid course;
    // the import replaces the old version in one transaction, or not at all.
    const QString got = QString::fromLatin1(QCryptographicHash::hash(package, QCryptographicHash::Sha256).toHex());
    QString problem;
    if (got != sha256) {
        problem = QStringLiteral("the package does not match the server's announced hash");
    } else {
        const auto report = course::readPackBytes(package, course + QStringLiteral(".kitepack"));
        if (!report.ok()) {
            problem = report.problems.isEmpty() ? QStringLiteral("the package is not a valid course")
                                                : report.problems.front().toString();
        } else if (auto s = store_->importCourse(*report.course); !s) {
            problem = QString::fromStdString(s.error().message);
        }
    }
    if (!problem.isEmpty()) {
        failed_downloads_.insert(sha256);
        status_.last_error = QStringLiteral("course %1 version %2 was not installed: %3").arg(course).arg(version).arg(problem);
        return publish();
    }
    status_.download_progress = 1.0;
    publish();
    emit courseInstalled(course, version);
    downloadCourses();  // the next one, if any
}

// ----------------------------------------------------------- the doorbell

void SyncEngine::openStream() {
    if (token_.isEmpty()) return;
    if (stream_ == nullptr) {
        stream_ = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(stream_, &QWebSocket::connected, this, [this] {
            stream_failures_ = 0;
            stream_ping_.start(static_cast<int>(options_.ping_every.count()));
            kick();  // a device that (re)connects pulls once
        });
        connect(stream_, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = message.value(QLatin1String("type")).toString();
            if (type == QLatin1String("changes")) kick();
            else if (type == QLatin1String("poll_open") && message.value(QLatin1String("poll")).isObject())
                emit pollOpened(message.value(QLatin1String("poll")).toObject());
            else if (type == QLatin1String("poll_closed"))
                emit pollClosed(message.value(QLatin1String("poll_id")).toString());
        });
        connect(stream_, &QWebSocket::disconnected, this, &SyncEngine::onStreamClosed);
        stream_retry_.setSingleShot(true);
        connect(&stream_retry_, &QTimer::timeout, this, &SyncEngine::openStream);
        connect(&stream_ping_, &QTimer::timeout, this, [this] { stream_->ping(); });
    }
    const QNetworkRequest request = streamRequest(options_.server, token_);
    stream_->open(request);
}

// Without a stream the periodic sync is the fallback; the stream is tried
// again with backoff.
void SyncEngine::onStreamClosed() {
    stream_ping_.stop();
    ++stream_failures_;
    stream_retry_.start(static_cast<int>(backoffMs(stream_failures_ + 1, 0.5)));  // from 0.5-1 s
}

std::int64_t SyncEngine::backoffMs(int failures, double floor) {
    return client::backoffMs(options_.backoff_first, options_.backoff_most, failures, floor, jitter_);
}

// ---------------------------------------------------------------- SyncClient

SyncClient::SyncClient(const QString& storePath, SyncOptions options, QObject* parent) : QObject(parent) {
    qRegisterMetaType<kite::client::SyncStatus>();
    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("kite-sync"));
    engine_ = new SyncEngine(storePath, std::move(options));
    engine_->moveToThread(thread_);
    connect(thread_, &QThread::finished, engine_, &QObject::deleteLater);
    // status() is kept on the engine's thread as each status is made, so it
    // is never older than a signal still on its way.
    connect(engine_, &SyncEngine::statusChanged, engine_, [this](const SyncStatus& s) {
        std::lock_guard lock(mutex_);
        status_ = s;
    }, Qt::DirectConnection);
    connect(engine_, &SyncEngine::statusChanged, this, &SyncClient::statusChanged);
    connect(engine_, &SyncEngine::enrolled, this, &SyncClient::enrolled);
    connect(engine_, &SyncEngine::changesApplied, this, &SyncClient::changesApplied);
    connect(engine_, &SyncEngine::courseInstalled, this, &SyncClient::courseInstalled);
    connect(engine_, &SyncEngine::pollOpened, this, &SyncClient::pollOpened);
    connect(engine_, &SyncEngine::pollClosed, this, &SyncClient::pollClosed);
    connect(engine_, &SyncEngine::pollAnswered, this, &SyncClient::pollAnswered);
    thread_->start();
}

SyncClient::~SyncClient() {
    thread_->quit();
    thread_->wait();
}

void SyncClient::start() {
    QMetaObject::invokeMethod(engine_, &SyncEngine::start);
}

void SyncClient::syncNow() {
    QMetaObject::invokeMethod(engine_, &SyncEngine::syncNow);
}

void SyncClient::setPaused(bool paused) {
    QMetaObject::invokeMethod(engine_, [e = engine_, paused] { e->setPaused(paused); });
}

void SyncClient::setAllowMetered(bool allow) {
    QMetaObject::invokeMethod(engine_, [e = engine_, allow] { e->setAllowMetered(allow); });
}

void SyncClient::enroll(const QString& code, const QString& deviceName) {
    QMetaObject::invokeMethod(engine_, [e = engine_, code, deviceName] { e->enroll(code, deviceName); });
}

void SyncClient::answerPoll(const QString& pollId, const QString& learnerUid, const QString& answer) {
    QMetaObject::invokeMethod(engine_, [e = engine_, pollId, learnerUid, answer] { e->answerPoll(pollId, learnerUid, answer); });
}

SyncStatus SyncClient::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

}  // namespace kite::client
