// load_push: many simulated devices pushing answers to a running kite-server,
// each on its own keep-alive HTTP/1.1 connection, one push at a time (as the
// sync engine does). Reports answers per second and push latency.
//
//   kite-server init --data D --school S --json      (note the enrollment_code)
//   kite-server serve --data D --listen 127.0.0.1:8470 &
//   load_push --server 127.0.0.1:8470 --code CODE [--devices 1000] [--batch 20] [--seconds 20]
//             [--rate ANSWERS_PER_SECOND] [--probes 5]
//
// Without --rate each device pushes again as soon as its reply comes (the
// server's capacity; latency is then queueing). With --rate the devices
// together offer that many answers a second, each pushing on its own
// schedule; latency is measured from when a push was due, so a slow server
// cannot hide its backlog. Probe devices, after each acknowledged push, pull
// until the server's mastery covers it: the workers' lag as a student sees it.
//
// The devices are shared out over --threads event loops (4 by default), each
// with non-blocking sockets and on epoll as the server's HTTP thread is
// (KITE_SERVER_EVENT_LOOP=qt: Qt's own poll() loop, for both), so that the
// generator itself costs little of the machine the server runs on.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <utility>
#include <functional>
#include <cstdio>
#include <memory>
#include <vector>

#include "kite/epoll_dispatcher.h"
#include "percentile.h"
#include "kite/uuid.h"
#include "kite/wire.h"

namespace {

using kite::bench::percentile;

struct Options {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8470;
    QString code;
    int devices = 1000;
    int batch = 20;
    int seconds = 20;
    double rate = 0;  // answers per second offered by all devices; 0: as fast as replies come
    int probes = 5;
    int threads = 4;
    // Mixed into event ids: each run's answers are new to the server, also
    // on a server that holds an earlier run's (the DKT training pushes).
    std::uint64_t run_salt = QRandomGenerator::global()->generate64();
};

struct Figures {
    std::vector<double> latencies;  // push, ms
    std::vector<double> lags;       // acknowledged push to mastery pulled, ms
    long long answers = 0;
    long long late = 0;  // pushes sent after they were due (the device was still waiting)
    qint64 last_ack_ns = 0;  // from the start of the run
};

// One device: a connection, a token, its next sequence number.
class Device : public QObject {
public:
    Device(const Options& o, int index, bool probe, Figures& figures)
        : o_(o), index_(index), probe_(probe), figures_(figures) {
        connect(&socket_, &QTcpSocket::readyRead, this, [this] { onReadable(); });
        connect(&socket_, &QTcpSocket::errorOccurred, this, [this] {
            std::fprintf(stderr, "device %d: %s\n", index_, socket_.errorString().toUtf8().constData());
            fail();
        });
    }

    void enroll(std::function<void()> done) {
        onEnrolled_ = std::move(done);
        socket_.connectToHost(o_.host, o_.port);
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("enrollment_code"), o_.code},
                                                          {QStringLiteral("device_name"), QStringLiteral("load %1").arg(index_)}})
                                    .toJson(QJsonDocument::Compact);
        send("/v1/enroll", body, {});
    }

    void start(const QElapsedTimer* clock, qint64 stopAtMs) {
        clock_ = clock;
        stopAt_ = stopAtMs;
        if (o_.rate > 0) {
            // Spread the first pushes over one interval.
            intervalNs_ = static_cast<qint64>(1e9 * o_.devices * o_.batch / o_.rate);
            dueNs_ = intervalNs_ * index_ / o_.devices;
            timer_.setSingleShot(true);
            timer_.setTimerType(Qt::PreciseTimer);
            connect(&timer_, &QTimer::timeout, this, [this] { pushNext(); });
            timer_.start(static_cast<int>(dueNs_ / 1000000));
        } else {
            pushNext();
        }
    }

    bool failed() const { return failed_.load(); }
    // A device that fails is done; one that fails while enrolling still
    // counts as answered, so that the run goes on without it.
    void fail() {
        if (failed_) return;
        failed_ = true;
        idle_ = true;
        timer_.stop();
        if (token_.isEmpty() && onEnrolled_) std::exchange(onEnrolled_, nullptr)();
    }
    bool idle() const { return idle_.load(); }

private:
    void send(const char* path, const QByteArray& body, const QByteArray& token, const char* method = "POST") {
        QByteArray request = QByteArray(method) + " " + QByteArray(path) + " HTTP/1.1\r\nHost: " + o_.host.toUtf8() +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                             "\r\n";
        if (!token.isEmpty()) request += "Authorization: Bearer " + token + "\r\n";
        request += "\r\n" + body;
        socket_.write(request);
    }

    // Schedules the next push: at once without --rate, else when due.
    void scheduleNext() {
        if (o_.rate <= 0) return pushNext();
        dueNs_ += intervalNs_;
        const qint64 wait = dueNs_ - clock_->nsecsElapsed();
        if (wait <= 0) {
            ++figures_.late;
            return pushNext();
        }
        timer_.start(static_cast<int>(wait / 1000000));
    }

    void pushNext() {
        if (clock_->elapsed() >= stopAt_) {
            idle_ = true;
            return;
        }
        // Latency counts from when the push was due, not when it went out.
        sentAt_ = o_.rate > 0 ? std::min(dueNs_, clock_->nsecsElapsed()) : clock_->nsecsElapsed();
        pulling_ = false;
        if (prefix_.isEmpty()) buildTemplates();
        QByteArray body = prefix_;
        body.reserve(prefix_.size() + suffix_.size() + o_.batch * (answerCorrect_.size() + 64));
        for (int i = 0; i < o_.batch; ++i, ++seq_) {
            if (i > 0) body += ',';
            // A new id and sequence number in the event as built once.
            const QByteArray id =
                kite::uuidV7(1'795'000'000'000 + seq_, static_cast<std::uint16_t>(index_ & 0xfff),
                             o_.run_salt ^ (static_cast<std::uint64_t>(index_) << 40) ^ static_cast<std::uint64_t>(seq_))
                    .toLatin1();
            QByteArray event = seq_ % 3 != 0 ? answerCorrect_ : answerWrong_;
            event.replace(kSentinelId, id).replace(kSentinelSeq, QByteArray::number(static_cast<qint64>(seq_)));
            body += event;
        }
        body += suffix_;
        send("/v1/sync/push", body, token_);
    }

    // The push body as text around its events, and one event of each
    // outcome with a placeholder id and sequence: a real attempt, as a
    // device's outbox holds it, built with the wire code once per device;
    // each push then only fills in ids (the generator shares the server's
    // cores, so its own work is kept small).
    static constexpr const char* kSentinelId = "01234567-89ab-7def-8123-456789abcdef";
    static constexpr const char* kSentinelSeq = "918273645";
    void buildTemplates() {
        const QString device = kite::uuidV7(1'795'000'000'000, static_cast<std::uint16_t>(index_ & 0xfff), 0x1234);
        const QString learner = kite::uuidV7(1'795'000'000'000, static_cast<std::uint16_t>(index_ & 0xfff), 0x5678 + static_cast<std::uint64_t>(index_));
        auto event = [&](bool correct) {
            kite::wire::AttemptPayload a;
            a.id = QString::fromLatin1(kSentinelId);
            a.device = device;
            a.learner = learner;
            a.course = QStringLiteral("fractions");
            a.course_version = 1;
            a.item = QStringLiteral("parts-01");
            a.skills = {QStringLiteral("parts-of-a-whole")};
            a.response = QJsonObject{{QStringLiteral("choice"), 1}};
            a.correct = correct;
            a.score = correct ? 1.0 : 0.0;
            a.duration_ms = 8000;
            a.answered_at = 1'795'000'000'000;
            a.mastery = {{QStringLiteral("parts-of-a-whole"), 0.5}};
            kite::wire::PushRequest push;
            push.events.push_back(kite::wire::PushEvent{QByteArray(kSentinelSeq).toLongLong(), a.id,
                                                        QStringLiteral("attempt"), kite::wire::toJson(a)});
            return QJsonDocument(kite::wire::toJson(push)).toJson(QJsonDocument::Compact);
        };
        const QByteArray whole = event(true);
        const qsizetype from = whole.indexOf('[') + 1;
        const qsizetype to = whole.lastIndexOf(']');
        prefix_ = whole.left(from);
        suffix_ = whole.mid(to);
        answerCorrect_ = whole.mid(from, to - from);
        const QByteArray wrong = event(false);
        answerWrong_ = wrong.mid(from, wrong.lastIndexOf(']') - from);
    }

    void onReadable() {
        buffer_ += socket_.readAll();
        const qsizetype headerEnd = buffer_.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const QByteArray head = buffer_.left(headerEnd);
        qsizetype length = 0;
        for (const QByteArray& line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:")) length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer_.size() < headerEnd + 4 + length) return;
        const int status = head.mid(9, 3).toInt();
        const QByteArray body = buffer_.mid(headerEnd + 4, length);
        buffer_.remove(0, headerEnd + 4 + length);
        if (token_.isEmpty()) {
            if (status != 201) {
                std::fprintf(stderr, "device %d: enroll answered %d: %s\n", index_, status, body.constData());
                return fail();
            }
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            token_ = o.value(QStringLiteral("token")).toString().toUtf8();
            if (onEnrolled_) std::exchange(onEnrolled_, nullptr)();
            return;
        }
        if (pulling_) return onPulled(status, body);
        if (status != 202) {
            std::fprintf(stderr, "device %d: push answered %d: %s\n", index_, status, body.constData());
            return fail();
        }
        figures_.latencies.push_back(static_cast<double>(clock_->nsecsElapsed() - sentAt_) / 1e6);
        figures_.last_ack_ns = std::max(figures_.last_ack_ns, clock_->nsecsElapsed());
        figures_.answers += o_.batch;
        if (probe_) {
            ackedAt_ = clock_->nsecsElapsed();
            return pull();
        }
        scheduleNext();
    }

    // A probe pulls until the server's mastery covers its last push.
    void pull() {
        pulling_ = true;
        send(("/v1/sync/pull?cursor=" + cursor_).constData(), {}, token_, "GET");
    }

    void onPulled(int status, const QByteArray& body) {
        if (status != 200) {
            std::fprintf(stderr, "device %d: pull answered %d: %s\n", index_, status, body.constData());
            return fail();
        }
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        cursor_ = o.value(QStringLiteral("cursor")).toString().toUtf8();
        for (const QJsonValue& c : o.value(QStringLiteral("changes")).toArray()) {
            const qint64 covered = c.toObject().value(QStringLiteral("covers_seq")).toInteger();
            if (covered >= seq_ - 1) {
                figures_.lags.push_back(static_cast<double>(clock_->nsecsElapsed() - ackedAt_) / 1e6);
                pulling_ = false;
                return scheduleNext();
            }
        }
        // Not yet: ask again shortly (a real device would wait for a poke).
        QTimer::singleShot(20, this, [this] { pull(); });
    }

    const Options& o_;
    int index_;
    bool probe_;
    Figures& figures_;
    QTcpSocket socket_;
    QTimer timer_;
    QByteArray cursor_ = "0";
    bool pulling_ = false;
    qint64 ackedAt_ = 0;
    qint64 intervalNs_ = 0;
    qint64 dueNs_ = 0;
    QByteArray buffer_;
    QByteArray prefix_, suffix_, answerCorrect_, answerWrong_;
    QByteArray token_;
    std::function<void()> onEnrolled_;
    const QElapsedTimer* clock_ = nullptr;
    qint64 stopAt_ = 0;
    qint64 sentAt_ = 0;
    std::int64_t seq_ = 1;
    // Read by the main thread's watchdog.
    std::atomic<bool> failed_ = false;
    std::atomic<bool> idle_ = false;
};

// One thread's share of the devices, with its own figures.
struct Group : QObject {
    QThread thread;
    std::vector<std::unique_ptr<Device>> devices;
    Figures figures;
    std::size_t nextToEnroll = 0;
    std::function<void()> enrollNext;
};

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == u"--server") {
            o.host = v.section(QLatin1Char(':'), 0, 0);
            o.port = static_cast<quint16>(v.section(QLatin1Char(':'), 1).toUInt());
        } else if (k == u"--code") {
            o.code = v;
        } else if (k == u"--devices") {
            o.devices = v.toInt();
        } else if (k == u"--batch") {
            o.batch = v.toInt();
        } else if (k == u"--seconds") {
            o.seconds = v.toInt();
        } else if (k == u"--rate") {
            o.rate = v.toDouble();
        } else if (k == u"--probes") {
            o.probes = v.toInt();
        } else if (k == u"--threads") {
            o.threads = v.toInt();
        } else {
            std::fprintf(stderr, "load_push: unknown option %s\n", k.toUtf8().constData());
            return 2;
        }
    }
    if (o.code.isEmpty() || o.port == 0 || o.devices < 1 || o.batch < 1 || o.threads < 1) {
        std::fprintf(stderr, "usage: load_push --server HOST:PORT --code ENROLLMENT_CODE [--devices N] [--batch B] "
                             "[--seconds S] [--rate ANSWERS_PER_SECOND] [--probes N] [--threads N]\n");
        return 2;
    }

    QElapsedTimer clock;
    clock.start();
    QElapsedTimer run;
    std::atomic<int> enrolled = 0;
    bool started = false;
    o.threads = std::min(o.threads, o.devices);
    std::vector<std::unique_ptr<Group>> groups;
    for (int t = 0; t < o.threads; ++t) groups.push_back(std::make_unique<Group>());
    auto startAll = [&] {
        std::fprintf(stderr, "%d devices enrolled in %.1f s; pushing for %d s\n", o.devices, clock.elapsed() / 1000.0,
                     o.seconds);
        started = true;
        run.start();
        for (auto& g : groups)
            QMetaObject::invokeMethod(g.get(), [&o, &run, g = g.get()] {
                g->figures = Figures{};
                for (auto& d : g->devices) d->start(&run, o.seconds * 1000LL);
            });
    };
    // Devices enroll 50 at a time in all, as a school's do (a thousand
    // connections at once would measure the system's accept queue, not the
    // server).
    const int enrollingPerGroup = std::max(1, 50 / o.threads);
    for (int t = 0; t < o.threads; ++t) {
        Group* g = groups[static_cast<std::size_t>(t)].get();
#ifdef __linux__
        if (qgetenv("KITE_SERVER_EVENT_LOOP") != "qt") g->thread.setEventDispatcher(new kite::server::EpollEventDispatcher);
#endif
        g->thread.start();
        g->moveToThread(&g->thread);
        QMetaObject::invokeMethod(
            g,
            [&, g, t] {
                // Probes are spread over the devices.
                for (int d = t; d < o.devices; d += o.threads) {
                    const bool probe = o.probes > 0 && d % std::max(1, o.devices / o.probes) == 0;
                    g->devices.push_back(std::make_unique<Device>(o, d, probe, g->figures));
                }
                g->enrollNext = [&, g] {
                    if (g->nextToEnroll >= g->devices.size()) return;
                    g->devices[g->nextToEnroll++]->enroll([&, g] {
                        if (++enrolled == o.devices) QMetaObject::invokeMethod(&app, startAll);
                        g->enrollNext();
                    });
                };
                for (int i = 0; i < enrollingPerGroup; ++i) g->enrollNext();
            },
            Qt::BlockingQueuedConnection);
    }
    auto countDevices = [&](auto test) {
        long n = 0;
        for (auto& g : groups) n += std::count_if(g->devices.begin(), g->devices.end(), test);
        return n;
    };
    QTimer check;
    bool stuck = false;
    QObject::connect(&check, &QTimer::timeout, [&] {
        if (!started) {
            if (clock.elapsed() > 120'000) {
                std::fprintf(stderr, "load_push: only %d of %d devices enrolled in 120 s\n", enrolled.load(), o.devices);
                stuck = true;
                app.quit();
            }
            return;
        }
        const long busy = countDevices([](const auto& d) { return !d->idle(); });
        if (busy == 0) app.quit();
        if (run.elapsed() > (o.seconds + 60) * 1000LL) {
            std::fprintf(stderr, "load_push: %ld devices still waiting for a reply 60 s after the end\n", busy);
            stuck = true;
            app.quit();
        }
    });
    check.start(100);
    app.exec();
    // Each group's devices are closed in their own thread; then the figures
    // are the main thread's to merge.
    const long failed = countDevices([](const auto& d) { return d->failed(); });
    Figures f;
    for (auto& g : groups) {
        QMetaObject::invokeMethod(g.get(), [g = g.get()] { g->devices.clear(); }, Qt::BlockingQueuedConnection);
        g->thread.quit();
        g->thread.wait();
        f.latencies.insert(f.latencies.end(), g->figures.latencies.begin(), g->figures.latencies.end());
        f.lags.insert(f.lags.end(), g->figures.lags.begin(), g->figures.lags.end());
        f.answers += g->figures.answers;
        f.late += g->figures.late;
        f.last_ack_ns = std::max(f.last_ack_ns, g->figures.last_ack_ns);
    }
    // Sustained rate: answers acknowledged over the time to the last one.
    const double seconds = static_cast<double>(f.last_ack_ns) / 1e9;
    std::printf("{\"devices\": %d, \"batch\": %d, \"offered_rate\": %.0f, \"seconds\": %.2f, \"pushes\": %zu, "
                "\"answers\": %lld, \"answers_per_second\": %.0f, \"push_p50_ms\": %.2f, \"push_p99_ms\": %.2f, "
                "\"push_max_ms\": %.2f, \"late_pushes\": %lld, \"probe_lags\": %zu, \"mastery_lag_p50_ms\": %.1f, "
                "\"mastery_lag_p99_ms\": %.1f, \"failed_devices\": %ld}\n",
                o.devices, o.batch, o.rate, seconds, f.latencies.size(), f.answers, f.answers / seconds,
                percentile(f.latencies, 0.5), percentile(f.latencies, 0.99), percentile(f.latencies, 1.0), f.late,
                f.lags.size(), percentile(f.lags, 0.5), percentile(f.lags, 0.99), failed);
    return failed > 0 || stuck ? 1 : 0;
}
