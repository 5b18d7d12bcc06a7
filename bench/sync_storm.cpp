// sync_storm: a reconnect storm. Many devices, each with answers waiting in
// its outbox, come online at the same moment and sync to one kite-server
// through the real sync engine (push, pull, course offers, the /v1/stream
// WebSocket), as a school's laptops do when the network comes back.
// Reports how long each device took to get up to date, so that a device the
// server starves shows up in the tail, and how many had to retry.
//
//   sync_storm --server http://127.0.0.1:8470 --code CODE --profiles DIR [--threads 8] [--timeout 300]
//
// DIR holds one folder per device, each with a kite.db recorded offline
// (bench/sync_storm.sh makes them with kite-sim run). Each profile is first
// enrolled (not timed); then every engine is started at once. The engines
// share --threads threads here (a real device runs one on its own thread),
// each with its own store connection and network manager.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "kite/store.h"
#include "percentile.h"
#include "kite/sync_engine.h"

namespace {

using kite::bench::percentile;

using kite::client::SyncEngine;
using kite::client::SyncState;
using kite::client::SyncStatus;

struct Options {
    QUrl server;
    QString code;
    QString profiles;
    int threads = 8;
    int timeout_s = 300;
};

// What one device went through, written on its engine's thread.
struct Device {
    QString path;  // its kite.db
    std::unique_ptr<SyncEngine> engine;
    std::atomic<qint64> began_ms = -1;  // its engine's start() was called (engines share threads here)
    std::atomic<qint64> done_ms = -1;  // from the storm's start to its first "up to date" with nothing waiting
    std::atomic<int> retries = 0;      // times it went offline or into an error
    int waits = 0;                     // times the server told it to come back later
    std::mutex mutex;
    QString last_error;
    SyncState last_state = SyncState::Offline;
};

int fail(const char* what, const QString& detail) {
    std::fprintf(stderr, "sync_storm: %s: %s\n", what, detail.toUtf8().constData());
    return 1;
}

// Enrolls every profile, 50 at a time (not part of the storm: devices that
// come back online were enrolled long before), and stores each token.
bool enrollAll(const Options& o, std::vector<std::unique_ptr<Device>>& devices) {
    QNetworkAccessManager network;
    std::size_t next = 0;
    int running = 0;
    bool ok = true;
    QEventLoop loop;
    std::function<void()> enrollNext = [&] {
        if (!ok) return;
        if (next >= devices.size()) {
            if (running == 0) loop.quit();
            return;
        }
        Device& d = *devices[next++];
        ++running;
        QNetworkRequest request(o.server.resolved(QUrl(QStringLiteral("/v1/enroll"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("enrollment_code"), o.code},
                                                          {QStringLiteral("device_name"), QFileInfo(d.path).dir().dirName()}})
                                    .toJson(QJsonDocument::Compact);
        QNetworkReply* reply = network.post(request, body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, path = d.path] {
            reply->deleteLater();
            --running;
            const QByteArray answer = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QString token = QJsonDocument::fromJson(answer).object().value(QStringLiteral("token")).toString();
            if (status != 201 || token.isEmpty()) {
                fail("enrolling", QStringLiteral("%1: HTTP %2 %3").arg(path).arg(status).arg(QString::fromUtf8(answer)));
                ok = false;
                loop.quit();
                return;
            }
            auto store = kite::store::Store::open(path);
            if (!store || !(*store)->setSyncState(QStringLiteral("token"), token) ||
                !(*store)->setSyncState(QStringLiteral("server"), o.server.toString())) {
                fail("storing the token", path);
                ok = false;
                loop.quit();
                return;
            }
            enrollNext();
        });
    };
    for (int i = 0; i < 50; ++i) enrollNext();
    if (ok && (next < devices.size() || running > 0)) loop.exec();
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == u"--server") {
            o.server = QUrl(v);
        } else if (k == u"--code") {
            o.code = v;
        } else if (k == u"--profiles") {
            o.profiles = v;
        } else if (k == u"--threads") {
            o.threads = v.toInt();
        } else if (k == u"--timeout") {
            o.timeout_s = v.toInt();
        } else {
            std::fprintf(stderr, "sync_storm: unknown option %s\n", k.toUtf8().constData());
            return 2;
        }
    }
    if (!o.server.isValid() || o.server.host().isEmpty() || o.code.isEmpty() || o.profiles.isEmpty() ||
        o.threads < 1 || o.timeout_s < 1) {
        std::fprintf(stderr, "usage: sync_storm --server http://HOST:PORT --code ENROLLMENT_CODE --profiles DIR "
                             "[--threads N] [--timeout SECONDS]\n");
        return 2;
    }

    std::vector<std::unique_ptr<Device>> devices;
    const QDir dir(o.profiles);
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = dir.filePath(name + QStringLiteral("/kite.db"));
        if (!QFileInfo::exists(path)) continue;
        auto d = std::make_unique<Device>();
        d->path = path;
        devices.push_back(std::move(d));
    }
    if (devices.empty()) return fail("no profiles", o.profiles + QStringLiteral(" holds no folder with a kite.db"));

    QElapsedTimer setup;
    setup.start();
    if (!enrollAll(o, devices)) return 1;
    std::fprintf(stderr, "sync_storm: %zu devices enrolled in %.1f s; all coming online now\n", devices.size(),
                 static_cast<double>(setup.elapsed()) / 1000.0);

    // The platform's connectivity backend is one per process: loaded here
    // once rather than raced for by the engines' threads.
    QNetworkInformation::loadDefaultBackend();

    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < o.threads; ++t) {
        threads.push_back(std::make_unique<QThread>());
        threads.back()->start();
    }
    QElapsedTimer storm;
    storm.start();
    kite::client::SyncOptions options;
    options.server = o.server;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        Device* d = devices[i].get();
        d->engine = std::make_unique<SyncEngine>(d->path, options);
        QObject::connect(
            d->engine.get(), &SyncEngine::statusChanged, d->engine.get(),
            [d, &storm](const SyncStatus& s) {
                if (s.state == SyncState::UpToDate && s.waiting == 0 && d->done_ms < 0) d->done_ms = storm.elapsed();
                const bool failed = s.state == SyncState::Offline || s.state == SyncState::Error;
                std::lock_guard lock(d->mutex);
                if (failed && d->last_state != s.state) ++d->retries;
                // Told to come back later (429, 503): still syncing, with the reason.
                if (s.state == SyncState::Syncing && !s.last_error.isEmpty() && s.last_error != d->last_error)
                    ++d->waits;
                d->last_state = s.state;
                if (!s.last_error.isEmpty()) d->last_error = s.last_error;
            },
            Qt::DirectConnection);
        d->engine->moveToThread(threads[i % threads.size()].get());
        QMetaObject::invokeMethod(
            d->engine.get(),
            [d, &storm] {
                d->began_ms = storm.elapsed();
                d->engine->start();
            },
            Qt::QueuedConnection);
    }

    const auto doneCount = [&] {
        return std::count_if(devices.begin(), devices.end(), [](const auto& d) { return d->done_ms >= 0; });
    };
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, [&] {
        if (doneCount() == static_cast<long>(devices.size()) || storm.elapsed() > o.timeout_s * 1000LL) app.quit();
    });
    check.start(20);
    app.exec();
    const double seconds = static_cast<double>(storm.elapsed()) / 1000.0;

    // Each engine is destroyed on its own thread (its sockets and timers live there).
    for (std::size_t i = 0; i < devices.size(); ++i) {
        SyncEngine* e = devices[i]->engine.release();
        QMetaObject::invokeMethod(e, [e] { delete e; }, Qt::BlockingQueuedConnection);
    }
    for (auto& t : threads) {
        t->quit();
        t->wait();
    }

    std::vector<double> drain;
    std::vector<double> own;  // from the device's own start
    long retried = 0;
    long retries = 0;
    long waited = 0;
    QStringList errors;
    for (const auto& d : devices) {
        if (d->done_ms >= 0) {
            drain.push_back(static_cast<double>(d->done_ms.load()));
            own.push_back(static_cast<double>(d->done_ms.load() - d->began_ms.load()));
        }
        retries += d->retries;
        if (d->retries > 0) ++retried;
        if (d->waits > 0) ++waited;
        if ((d->done_ms < 0 || d->retries > 0 || d->waits > 0) && errors.size() < 5 && !d->last_error.isEmpty())
            errors << QFileInfo(d->path).dir().dirName() + QStringLiteral(": ") + d->last_error;
    }
    const long stuck = static_cast<long>(devices.size() - drain.size());
    std::printf("{\"devices\": %zu, \"up_to_date\": %zu, \"not_up_to_date\": %ld, \"seconds\": %.2f, "
                "\"up_to_date_p50_ms\": %.0f, \"up_to_date_p90_ms\": %.0f, \"up_to_date_p99_ms\": %.0f, "
                "\"up_to_date_max_ms\": %.0f, \"from_own_start_p50_ms\": %.0f, \"from_own_start_p99_ms\": %.0f, "
                "\"from_own_start_max_ms\": %.0f, \"devices_told_to_wait\": %ld, \"devices_that_failed_and_retried\": %ld, "
                "\"failures\": %ld}\n",
                devices.size(), drain.size(), stuck, stuck == 0 ? percentile(drain, 1.0) / 1000.0 : seconds,
                percentile(drain, 0.5), percentile(drain, 0.9), percentile(drain, 0.99), percentile(drain, 1.0),
                percentile(own, 0.5), percentile(own, 0.99), percentile(own, 1.0), waited, retried, retries);
    for (const QString& e : errors) std::fprintf(stderr, "sync_storm: %s\n", e.toUtf8().constData());
    if (stuck > 0) std::fprintf(stderr, "sync_storm: %ld devices were not up to date after %d s\n", stuck, o.timeout_s);
    return stuck > 0 ? 1 : 0;
}
