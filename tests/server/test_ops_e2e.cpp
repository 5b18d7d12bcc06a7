// kite-server's operations, on the real binary over loopback: /metrics in
// the Prometheus text format, the rate and body limits, connection limits,
// push admission, settings precedence, HTTPS, and gzip-compressed request bodies.

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTcpSocket>
#include <map>
#include <set>

#define ZLIB_CONST
#include <zlib.h>

#include "../support/server_fixture.h"
#include "../support/wait_for.h"

namespace {

using namespace kite::testing;

// One sample line of the text format.
struct MetricSample {
    QString name;
    std::map<QString, QString> labels;
    double value = 0;
};

// Parses a /metrics body, checking the format's rules on the way: every
// sample's family has HELP and TYPE lines before it, labels are name="value"
// with \\, \" and \n escapes, values are numbers or +Inf/-Inf/NaN.
std::vector<MetricSample> parseExposition(const QByteArray& text) {
    static const QRegularExpression help(QStringLiteral(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)"));
    static const QRegularExpression type(
        QStringLiteral(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)"));
    static const QRegularExpression sample(QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$)"));
    static const QRegularExpression label(QStringLiteral(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\"(,|$))"));
    std::vector<MetricSample> out;
    std::set<QString> helped;
    std::map<QString, QString> typed;
    EXPECT_TRUE(text.endsWith('\n')) << "the last line ends with a newline";
    for (const QString& line : QString::fromUtf8(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (auto m = help.match(line); m.hasMatch()) {
            helped.insert(m.captured(1));
            continue;
        }
        if (auto m = type.match(line); m.hasMatch()) {
            EXPECT_TRUE(helped.contains(m.captured(1))) << "HELP before TYPE: " << line.toStdString();
            typed[m.captured(1)] = m.captured(2);
            continue;
        }
        const auto m = sample.match(line);
        EXPECT_TRUE(m.hasMatch()) << "not a sample line: " << line.toStdString();
        if (!m.hasMatch()) continue;
        MetricSample s;
        s.name = m.captured(1);
        QString family = s.name;
        for (const char* suffix : {"_bucket", "_sum", "_count"})
            if (family.endsWith(QLatin1String(suffix)) && !typed.contains(family))
                family.chop(static_cast<qsizetype>(std::strlen(suffix)));
        EXPECT_TRUE(typed.contains(family)) << "no TYPE line before " << line.toStdString();
        const QString labels = m.captured(2);
        qsizetype at = 0;
        for (auto it = label.globalMatch(labels); it.hasNext();) {
            const auto l = it.next();
            EXPECT_EQ(l.capturedStart(), at) << "malformed labels: " << line.toStdString();
            at = l.capturedEnd();
            QString value = l.captured(2);
            value.replace(QStringLiteral("\\n"), QStringLiteral("\n"))
                .replace(QStringLiteral("\\\""), QStringLiteral("\""))
                .replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
            s.labels[l.captured(1)] = value;
        }
        EXPECT_EQ(at, labels.size()) << "malformed labels: " << line.toStdString();
        const QString value = m.captured(3);
        bool ok = true;
        if (value == QLatin1String("+Inf"))
            s.value = std::numeric_limits<double>::infinity();
        else if (value == QLatin1String("-Inf"))
            s.value = -std::numeric_limits<double>::infinity();
        else if (value == QLatin1String("NaN"))
            s.value = std::numeric_limits<double>::quiet_NaN();
        else
            s.value = value.toDouble(&ok);
        EXPECT_TRUE(ok) << "not a number: " << line.toStdString();
        out.push_back(std::move(s));
    }
    return out;
}

// The samples named `name` whose labels include all of `want`.
std::vector<MetricSample> find(const std::vector<MetricSample>& all, const QString& name,
                               const std::map<QString, QString>& want = {}) {
    std::vector<MetricSample> out;
    for (const MetricSample& s : all) {
        if (s.name != name) continue;
        bool match = true;
        for (const auto& [k, v] : want) match = match && s.labels.contains(k) && s.labels.at(k) == v;
        if (match) out.push_back(s);
    }
    return out;
}

class OpsE2E : public ServerFixture {
protected:
    void restartWith(const std::vector<std::string>& extra) {
        server_->kill(SIGTERM);
        server_->wait();
        startServer(extra);
    }
    quint16 port() const { return static_cast<quint16>(QUrl(base_).port()); }
    Finished runServer(const std::vector<std::string>& args, const std::string& tag) {
        std::vector<std::string> words{KITE_SERVER_BINARY};
        words.insert(words.end(), args.begin(), args.end());
        return runProgram(words, dir_.path().toStdString(), tag);
    }
    QJsonObject printConfig(const std::vector<std::string>& args) {
        std::vector<std::string> words{"serve", "--print-config"};
        words.insert(words.end(), args.begin(), args.end());
        const Finished done = runServer(words, "config");
        EXPECT_EQ(done.exit, 0) << done.err;
        return QJsonDocument::fromJson(QByteArray::fromStdString(done.out))
            .object()[QStringLiteral("settings")]
            .toObject();
    }
};

// Sets an environment variable for one scope (runProgram passes ours on).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { qputenv(name, value); }
    ~ScopedEnv() { qunsetenv(name_); }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char* name_;
};

}  // namespace

TEST_F(OpsE2E, MetricsCountRequestsByRouteWithLatencyHistogramsInPrometheusFormat) {
    for (int i = 0; i < 3; ++i) ASSERT_EQ(call("GET", QStringLiteral("/healthz")).status, 200);
    ASSERT_EQ(call("GET", QStringLiteral("/v1/sync/pull"), {}, QStringLiteral("not-a-token")).status, 401);
    ASSERT_EQ(call("GET", QStringLiteral("/no/such/route")).status, 404);
    const QString token = enroll(school_, "kiosk 1");
    ASSERT_EQ(
        call("POST", QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 1, 5, QStringLiteral("m")), token)
            .status,
        202);

    Response r = call("GET", QStringLiteral("/metrics"));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.headers["content-type"].startsWith("text/plain; version=0.0.4"))
        << r.headers["content-type"].toStdString();
    const auto all = parseExposition(r.raw);

    auto healthz = find(all, QStringLiteral("kite_http_requests_total"),
                        {{QStringLiteral("route"), QStringLiteral("/healthz")},
                         {QStringLiteral("method"), QStringLiteral("GET")},
                         {QStringLiteral("status"), QStringLiteral("2xx")}});
    ASSERT_EQ(healthz.size(), 1u) << r.raw.toStdString();
    EXPECT_EQ(healthz[0].value, 3);
    EXPECT_EQ(find(all, QStringLiteral("kite_http_requests_total"),
                   {{QStringLiteral("route"), QStringLiteral("/v1/sync/pull")},
                    {QStringLiteral("status"), QStringLiteral("4xx")}})
                  .size(),
              1u);
    EXPECT_EQ(
        find(all, QStringLiteral("kite_http_requests_total"),
             {{QStringLiteral("route"), QStringLiteral("(none)")}, {QStringLiteral("status"), QStringLiteral("4xx")}})
            .size(),
        1u)
        << "a 404 counts under route \"(none)\", not its path";

    // The push's latency histogram: cumulative buckets ending in +Inf = _count.
    const std::map<QString, QString> push{{QStringLiteral("route"), QStringLiteral("/v1/sync/push")},
                                          {QStringLiteral("method"), QStringLiteral("POST")}};
    const auto buckets = find(all, QStringLiteral("kite_http_request_duration_seconds_bucket"), push);
    ASSERT_GE(buckets.size(), 2u);
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        EXPECT_GE(buckets[i].value, buckets[i - 1].value) << "buckets are cumulative";
        EXPECT_LT(buckets[i - 1].labels.at(QStringLiteral("le")).toDouble(),
                  buckets[i].labels.at(QStringLiteral("le")).toDouble());
    }
    EXPECT_EQ(buckets.back().labels.at(QStringLiteral("le")), QStringLiteral("+Inf"));
    const auto count = find(all, QStringLiteral("kite_http_request_duration_seconds_count"), push);
    const auto sum = find(all, QStringLiteral("kite_http_request_duration_seconds_sum"), push);
    ASSERT_EQ(count.size(), 1u);
    ASSERT_EQ(sum.size(), 1u);
    EXPECT_EQ(count[0].value, 1);
    EXPECT_EQ(buckets.back().value, count[0].value);
    EXPECT_GT(sum[0].value, 0);

    // The queue, the workers and the group commits are there too.
    EXPECT_EQ(find(all, QStringLiteral("kite_queue_depth")).size(), 1u);
    EXPECT_EQ(find(all, QStringLiteral("kite_dead_letters")).size(), 1u);
    EXPECT_EQ(find(all, QStringLiteral("kite_worker_busy_seconds_total")).size(), 1u);
    EXPECT_EQ(find(all, QStringLiteral("kite_push_group_commit_size_count")).size(), 1u);
    EXPECT_GE(find(all, QStringLiteral("kite_http_connections_open"))[0].value, 1);
}

TEST_F(OpsE2E, MetricsTokenIsRequiredWhenSet) {
    restartWith({"--metrics-token", "scrape-secret"});
    EXPECT_EQ(call("GET", QStringLiteral("/metrics")).status, 401);
    EXPECT_EQ(call("GET", QStringLiteral("/metrics"), {}, QStringLiteral("wrong")).status, 401);
    const Response r = call("GET", QStringLiteral("/metrics"), {}, QStringLiteral("scrape-secret"));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.raw.contains("# TYPE kite_http_requests_total counter"));
}

TEST_F(OpsE2E, TokenOverItsRateGets429WithRetryAfterAndIsServedAgainLater) {
    restartWith({"--rate-per-second", "2", "--rate-burst", "3"});
    const QString token = enroll(school_, "kiosk 1");
    const QString other = enroll(school_, "kiosk 2");
    Response limited;
    for (int i = 0; i < 10 && limited.status != 429; ++i) {
        limited = call("GET", QStringLiteral("/v1/sync/pull"), {}, token);
        ASSERT_TRUE(limited.status == 200 || limited.status == 429) << limited.status;
    }
    ASSERT_EQ(limited.status, 429) << "a burst over 3 is limited";
    EXPECT_EQ(limited.body[QStringLiteral("error")].toString(), QStringLiteral("rate_limited"));
    EXPECT_FALSE(limited.body[QStringLiteral("message")].toString().isEmpty());
    bool whole = false;
    const int retryAfter = QString::fromLatin1(limited.headers["retry-after"]).toInt(&whole);
    ASSERT_TRUE(whole && retryAfter >= 1) << "Retry-After: " << limited.headers["retry-after"].toStdString();

    // Another token is not limited by this one's burst.
    EXPECT_EQ(call("GET", QStringLiteral("/v1/sync/pull"), {}, other).status, 200);

    // After Retry-After the token is served again; ask until then (refused
    // requests take nothing from the bucket).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(retryAfter) + 5s;
    int status = 0;
    EXPECT_TRUE(waitFor(
        [&] {
            status = call("GET", QStringLiteral("/v1/sync/pull"), {}, token).status;
            return status == 200 || std::chrono::steady_clock::now() > until;
        },
        std::chrono::seconds(retryAfter) + 10s));
    EXPECT_EQ(status, 200);
}

TEST_F(OpsE2E, BodyOverTheLimitIs413AndTheServerKeepsServing) {
    restartWith({"--max-body-bytes", "65536"});
    const QString token = enroll(school_, "kiosk 1");
    const Response r = call("POST", QStringLiteral("/v1/sync/push"), QByteArray(1024 * 1024, ' '), token);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body[QStringLiteral("error")].toString(), QStringLiteral("too_large")) << r.raw.toStdString();
    EXPECT_EQ(call("GET", QStringLiteral("/healthz")).status, 200);
    // Under the limit is served as usual.
    EXPECT_EQ(
        call("POST", QStringLiteral("/v1/sync/push"), pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("b")), token)
            .status,
        202);
}

TEST_F(OpsE2E, HugeContentLengthIsRefusedFromTheHeadersWithoutSendingTheBody) {
    // A client announcing 10 GB gets its 413 before sending a byte of it.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port());
    ASSERT_TRUE(socket.waitForConnected(10000));
    socket.write(
        "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 10000000000\r\n\r\n{\"events\":[");
    QByteArray answer;
    ASSERT_TRUE(waitFor(
        [&] {
            answer += socket.readAll();
            return answer.contains("\r\n\r\n{") && answer.endsWith('}');
        },
        10s))
        << answer.toStdString();
    EXPECT_TRUE(answer.startsWith("HTTP/1.1 413 ")) << answer.toStdString();
    EXPECT_TRUE(answer.contains("Connection: close"));
    EXPECT_TRUE(answer.contains("\"error\":\"too_large\"")) << answer.toStdString();
    // And closes the connection.
    EXPECT_TRUE(waitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10s));
    EXPECT_EQ(call("GET", QStringLiteral("/healthz")).status, 200);
}

TEST_F(OpsE2E, IdleConnectionIsClosedAndConnectionsOverTheLimitWait) {
    restartWith({"--idle-seconds", "1", "--max-connections", "2"});
    QTcpSocket first;
    QTcpSocket second;
    for (QTcpSocket* s : {&first, &second}) {
        s->connectToHost(QHostAddress::LocalHost, port());
        ASSERT_TRUE(s->waitForConnected(10000));
    }
    // Both are taken; a third client waits to be accepted until one goes:
    // the idle timeout closes them, and then the request is served.
    const Response r = call("GET", QStringLiteral("/healthz"));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(waitFor(
        [&] {
            return first.state() == QAbstractSocket::UnconnectedState &&
                   second.state() == QAbstractSocket::UnconnectedState;
        },
        10s))
        << "idle connections are closed";
}

TEST_F(OpsE2E, SettingsComeFromFlagThenEnvironmentThenConfigFileThenDefault) {
    QFile conf(QString::fromStdString(data_) + QStringLiteral("/kite-server.conf"));
    ASSERT_TRUE(conf.open(QIODevice::WriteOnly));
    conf.write(
        "# the data folder's config file, read by default\n"
        "listen = 127.0.0.1:7001\nrate_per_second = 11\nrate_burst = 12\n");
    conf.close();
    const ScopedEnv listen("KITE_SERVER_LISTEN", "127.0.0.1:7002");
    const ScopedEnv rate("KITE_SERVER_RATE_PER_SECOND", "21");
    const QJsonObject s = printConfig({"--data", data_, "--listen", "127.0.0.1:7003"});
    auto value = [&](const char* name) {
        return s.value(QLatin1String(name)).toObject().value(QStringLiteral("value"));
    };
    auto source = [&](const char* name) {
        return s.value(QLatin1String(name)).toObject().value(QStringLiteral("source")).toString();
    };
    EXPECT_EQ(value("listen").toString(), QStringLiteral("127.0.0.1:7003"));
    EXPECT_EQ(source("listen"), QStringLiteral("flag --listen"));
    EXPECT_EQ(value("rate_per_second").toDouble(), 21);
    EXPECT_EQ(source("rate_per_second"), QStringLiteral("env KITE_SERVER_RATE_PER_SECOND"));
    EXPECT_EQ(value("rate_burst").toDouble(), 12);
    EXPECT_TRUE(source("rate_burst").endsWith(QStringLiteral("kite-server.conf:4")))
        << source("rate_burst").toStdString();
    EXPECT_EQ(value("max_body_bytes").toDouble(), 4 * 1024 * 1024);
    EXPECT_EQ(source("max_body_bytes"), QStringLiteral("default"));
    EXPECT_EQ(value("workers").toInt(), 1);

    // --config names another file, which replaces the data folder's.
    const QString other = dir_.filePath(QStringLiteral("other.conf"));
    QFile otherFile(other);
    ASSERT_TRUE(otherFile.open(QIODevice::WriteOnly));
    otherFile.write("workers = 4\nmetrics_token = s3cret\n");
    otherFile.close();
    const QJsonObject o = printConfig({"--data", data_, "--config", other.toStdString()});
    EXPECT_EQ(o.value(QStringLiteral("workers")).toObject().value(QStringLiteral("value")).toInt(), 4);
    EXPECT_EQ(o.value(QStringLiteral("rate_burst")).toObject().value(QStringLiteral("source")).toString(),
              QStringLiteral("default"));
    EXPECT_EQ(o.value(QStringLiteral("metrics_token")).toObject().value(QStringLiteral("value")).toString(),
              QStringLiteral("(set)"))
        << "secrets are not printed";
}

TEST_F(OpsE2E, BadSettingExits2NamingTheSettingAndWhereItCameFrom) {
    Finished done = runServer({"serve", "--data", data_, "--rate-burst", "lots"}, "bad-flag");
    EXPECT_EQ(done.exit, 2);
    EXPECT_TRUE(contains(done.err, "rate_burst") && contains(done.err, "'lots'") && contains(done.err, "--rate-burst"))
        << done.err;
    {
        const ScopedEnv workers("KITE_SERVER_WORKERS", "0");
        done = runServer({"serve", "--data", data_}, "bad-env");
        EXPECT_EQ(done.exit, 2);
        EXPECT_TRUE(contains(done.err, "workers") && contains(done.err, "KITE_SERVER_WORKERS")) << done.err;
    }
    const QString path = dir_.filePath(QStringLiteral("bad.conf"));
    QFile conf(path);
    ASSERT_TRUE(conf.open(QIODevice::WriteOnly));
    conf.write("# ok so far\nlisten = 127.0.0.1:0\nmax_body_bytes = 4 MB\n");
    conf.close();
    done = runServer({"serve", "--data", data_, "--config", path.toStdString()}, "bad-file");
    EXPECT_EQ(done.exit, 2);
    EXPECT_TRUE(contains(done.err, "max_body_bytes") && contains(done.err, "bad.conf:3")) << done.err;
    conf.open(QIODevice::WriteOnly);
    conf.write("max_bodybytes = 5\n");
    conf.close();
    done = runServer({"serve", "--data", data_, "--config", path.toStdString()}, "unknown-name");
    EXPECT_EQ(done.exit, 2);
    EXPECT_TRUE(contains(done.err, "unknown setting 'max_bodybytes'") && contains(done.err, "bad.conf:1")) << done.err;
    done = runServer({"serve", "--data", data_, "--tls-cert", "cert.pem"}, "half-tls");
    EXPECT_EQ(done.exit, 2);
    EXPECT_TRUE(contains(done.err, "tls_key")) << done.err;
}

TEST_F(OpsE2E, ServesHttpsWithTheGivenCertificate) {
    if (!QFile::exists(QStringLiteral("/usr/bin/openssl")))
        GTEST_SKIP() << "openssl is not installed: cannot make a certificate";
    if (!QSslSocket::supportsSsl()) GTEST_SKIP() << "Qt has no TLS backend here";
    const std::string cert = dir_.filePath(QStringLiteral("cert.pem")).toStdString();
    const std::string key = dir_.filePath(QStringLiteral("key.pem")).toStdString();
    const Finished made =
        runProgram({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                   dir_.path().toStdString(), "openssl");
    ASSERT_EQ(made.exit, 0) << made.err;

    // Missing or unreadable files: a clear startup error, exit 1.
    Finished bad = runServer(
        {"serve", "--data", data_, "--listen", "127.0.0.1:0", "--tls-cert", cert + ".missing", "--tls-key", key},
        "tls-missing");
    EXPECT_EQ(bad.exit, 1);
    EXPECT_TRUE(contains(bad.err, "tls_cert") && contains(bad.err, ".missing")) << bad.err;
    bad = runServer({"serve", "--data", data_, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", cert},
                    "tls-bad-key");
    EXPECT_EQ(bad.exit, 1);
    EXPECT_TRUE(contains(bad.err, "tls_key")) << bad.err;

    server_->kill(SIGTERM);
    server_->wait();
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{KITE_SERVER_BINARY, "serve", "--data", data_, "--listen", "127.0.0.1:0", "--tls-cert",
                                 cert, "--tls-key", key},
        dir_.filePath(QStringLiteral("server-tls.err")).toStdString());
    const auto line = server_->readLine(30s);
    ASSERT_TRUE(line.has_value()) << "kite-server did not start";
    const auto at = line->find("https://127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << *line;
    const QString url = QString::fromStdString(line->substr(at)) + QStringLiteral("/healthz");

    auto get = [&](bool trusting) {
        QNetworkRequest req{QUrl(url)};
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        if (trusting) conf.setCaCertificates(QSslCertificate::fromPath(QString::fromStdString(cert)));
        req.setSslConfiguration(conf);
        QNetworkAccessManager net;
        QNetworkReply* reply = net.get(req);
        EXPECT_TRUE(waitFor([&] { return reply->isFinished(); }, 30s));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        delete reply;
        return std::make_pair(status, body);
    };
    const auto [status, body] = get(true);
    EXPECT_EQ(status, 200);
    EXPECT_EQ(QJsonDocument::fromJson(body).object()[QStringLiteral("status")].toString(), QStringLiteral("ok"));
    EXPECT_EQ(get(false).first, 0) << "a client that does not trust the certificate gets no answer";
}

// ---------------------------------------------------------------- gzip requests

namespace {

// `part` repeated `times` times as one gzip member, made here with zlib (not
// with the server's code) and streamed, so that a bomb's inflated size is
// never held in memory.
QByteArray gzipped(const QByteArray& part, int times = 1) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    QByteArray out;
    char buffer[16384];
    for (int i = 0; i < times; ++i) {
        const bool last = i + 1 == times;
        z.next_in = reinterpret_cast<const Bytef*>(part.constData());
        z.avail_in = static_cast<uInt>(part.size());
        int status = Z_OK;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buffer);
            z.avail_out = sizeof buffer;
            status = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            out.append(buffer, static_cast<qsizetype>(sizeof buffer - z.avail_out));
        } while (z.avail_out == 0 || (last && status != Z_STREAM_END));
    }
    deflateEnd(&z);
    return out;
}

const std::pair<QByteArray, QByteArray> kGzip{"Content-Encoding", "gzip"};

}  // namespace

TEST_F(OpsE2E, GzipPushIsStoredAndItsMasteryPulled) {
    const QString token = enroll(school_, "kiosk 1");
    const QByteArray plain = pushBody(QStringLiteral("L1"), 1, 6, QStringLiteral("z"));
    const QByteArray packed = gzipped(plain);
    ASSERT_LT(packed.size(), plain.size());
    const Response r = call("POST", QStringLiteral("/v1/sync/push"), packed, token, {kGzip});
    ASSERT_EQ(r.status, 202) << r.raw.toStdString();
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 6);
    EXPECT_EQ(r.body[QStringLiteral("max_seq")].toInteger(), 6);
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 6);

    // The worker applies them as it does any push: the device pulls the mastery.
    QJsonObject latest;
    QString cursor;
    EXPECT_TRUE(waitFor(
        [&] {
            const Response pulled = call("GET", QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, token);
            for (const QJsonValue& c : pulled.body[QStringLiteral("changes")].toArray()) latest = c.toObject();
            cursor = pulled.body[QStringLiteral("cursor")].toString();
            return latest[QStringLiteral("attempts")].toInt() == 6;
        },
        30s))
        << "the server applied every answer of the gzip push";
    EXPECT_EQ(latest[QStringLiteral("kind")].toString(), QStringLiteral("mastery"));
    EXPECT_GT(latest[QStringLiteral("p_known")].toDouble(), 0.9) << "six right answers";

    // Every POST route takes it, not only the push: an enrollment, gzip'd.
    const QByteArray enrollment =
        QJsonDocument(QJsonObject{{QStringLiteral("enrollment_code"), school_[QStringLiteral("enrollment_code")]},
                                  {QStringLiteral("device_name"), QStringLiteral("kiosk 2")}})
            .toJson();
    const Response enrolled =
        call("POST", QStringLiteral("/v1/enroll"), gzipped(enrollment), {}, {{"Content-Encoding", "X-GZip"}});
    EXPECT_EQ(enrolled.status, 201) << enrolled.raw.toStdString();
    EXPECT_FALSE(enrolled.body[QStringLiteral("token")].toString().isEmpty());
}

TEST_F(OpsE2E, SamePushPlainThenGzipCountsDuplicatesOnce) {
    const QString token = enroll(school_, "kiosk 1");
    const QByteArray first = pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("d"));
    Response r = call("POST", QStringLiteral("/v1/sync/push"), first, token);
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 20);
    // The same batch again, compressed this time (a retry after a lost reply).
    r = call("POST", QStringLiteral("/v1/sync/push"), gzipped(first), token, {kGzip});
    ASSERT_EQ(r.status, 202) << r.raw.toStdString();
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 0);
    EXPECT_EQ(r.body[QStringLiteral("duplicate")].toInt(), 20);
    // Overlapping, in two gzip members one after the other (as `cat a.gz b.gz`).
    const QByteArray overlap = pushBody(QStringLiteral("L1"), 11, 20, QStringLiteral("d"));
    const qsizetype half = overlap.size() / 2;
    r = call("POST", QStringLiteral("/v1/sync/push"), gzipped(overlap.left(half)) + gzipped(overlap.mid(half)), token,
             {{"Content-Encoding", "x-gzip"}});
    ASSERT_EQ(r.status, 202) << r.raw.toStdString();
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 10);
    EXPECT_EQ(r.body[QStringLiteral("duplicate")].toInt(), 10);
    EXPECT_EQ(r.body[QStringLiteral("max_seq")].toInteger(), 30);
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 30);
}

TEST_F(OpsE2E, BadOrUnknownContentEncodingIsRefusedNamingIt) {
    const QString token = enroll(school_, "kiosk 1");
    const QByteArray plain = pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("x"));
    const QByteArray packed = gzipped(plain);
    QByteArray corrupt = packed;
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
    QByteArray badCrc = packed;
    badCrc[badCrc.size() - 6] = static_cast<char>(badCrc[badCrc.size() - 6] ^ 0x01);  // the CRC-32 in the trailer
    struct Case {
        const char* what;
        QByteArray body;
        QByteArray encoding;
        int status;
        const char* error;
    };
    const std::vector<Case> cases{
        {"plain JSON labelled gzip", plain, "gzip", 400, "bad_request"},
        {"gzip cut short", packed.left(packed.size() / 2), "gzip", 400, "bad_request"},
        {"gzip without its trailer", packed.left(packed.size() - 8), "gzip", 400, "bad_request"},
        {"gzip with a flipped byte", corrupt, "gzip", 400, "bad_request"},
        {"gzip with a wrong CRC", badCrc, "gzip", 400, "bad_request"},
        {"gzip and garbage after it", packed + "garbage", "gzip", 400, "bad_request"},
        {"an encoding the server lacks", packed, "br", 415, "unsupported_media_type"},
        {"two encodings", gzipped(packed), "gzip, gzip", 415, "unsupported_media_type"},
        {"deflate", packed, "deflate", 415, "unsupported_media_type"},
    };
    for (const Case& c : cases) {
        const Response r =
            call("POST", QStringLiteral("/v1/sync/push"), c.body, token, {{"Content-Encoding", c.encoding}});
        EXPECT_EQ(r.status, c.status) << c.what << ": " << r.raw.toStdString();
        EXPECT_EQ(r.body[QStringLiteral("error")].toString(), QLatin1String(c.error)) << c.what;
        EXPECT_EQ(r.body[QStringLiteral("field")].toString(), QStringLiteral("Content-Encoding")) << c.what;
        EXPECT_FALSE(r.body[QStringLiteral("message")].toString().isEmpty()) << c.what;
    }
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 0) << "nothing of a refused push is stored";
    // "identity" is no encoding at all.
    const Response r = call("POST", QStringLiteral("/v1/sync/push"), plain, token, {{"Content-Encoding", "identity"}});
    EXPECT_EQ(r.status, 202) << r.raw.toStdString();
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 20);
}

TEST_F(OpsE2E, GzipBombIs413WithoutInflatingItAndTheServerKeepsServing) {
    restartWith({"--max-body-bytes", "65536"});
    const QString token = enroll(school_, "kiosk 1");
    // Under 64 KB as sent, 64 MB once inflated.
    const QByteArray bomb = gzipped(QByteArray(1024 * 1024, ' '), 64);
    ASSERT_LT(bomb.size(), 65536);
    QElapsedTimer timer;
    timer.start();
    const Response r = call("POST", QStringLiteral("/v1/sync/push"), bomb, token, {kGzip});
    EXPECT_EQ(r.status, 413) << r.raw.toStdString();
    EXPECT_EQ(r.body[QStringLiteral("error")].toString(), QStringLiteral("too_large"));
    EXPECT_TRUE(r.body[QStringLiteral("message")].toString().contains(QStringLiteral("65536"))) << r.raw.toStdString();
    // Inflating stops at the limit: far quicker than inflating 64 MB (a
    // generous bound, for a loaded machine).
    EXPECT_LT(timer.elapsed(), 5000);
    // A real push over the limit once inflated is refused the same way...
    const QByteArray big = pushBody(QStringLiteral("L1"), 1, 300, QStringLiteral("big"));
    ASSERT_GT(big.size(), 65536);
    ASSERT_LT(gzipped(big).size(), 65536);
    EXPECT_EQ(call("POST", QStringLiteral("/v1/sync/push"), gzipped(big), token, {kGzip}).status, 413);
    // ... and the server goes on serving, gzip or not.
    EXPECT_EQ(call("GET", QStringLiteral("/healthz")).status, 200);
    const Response ok = call("POST", QStringLiteral("/v1/sync/push"),
                             gzipped(pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("b"))), token, {kGzip});
    EXPECT_EQ(ok.status, 202) << ok.raw.toStdString();
    EXPECT_EQ(ok.body[QStringLiteral("accepted")].toInt(), 20);
}

// While push_queue_bytes of pushes are being read or stored, a large push (a
// device catching up) is told to come back later, before its body is parsed;
// a small one (a device answering as it goes) is still taken; nothing is
// lost or doubled. The pushes are held by holding the database's write lock
// from here: the server's group commit waits for it.
TEST_F(OpsE2E, LargePushOverTheQueueLimitGets503WithRetryAfterAndSmallOnesAreTaken) {
    restartWith({"--push-queue-bytes", "65536"});
    const QString first = enroll(school_, "laptop 1");
    const QString second = enroll(school_, "laptop 2");
    const QByteArray large1 = pushBody(QStringLiteral("L1"), 1, 100, QStringLiteral("a"));
    const QByteArray large2 = pushBody(QStringLiteral("L2"), 1, 100, QStringLiteral("b"));
    const QByteArray small = pushBody(QStringLiteral("L1"), 101, 1, QStringLiteral("a"));
    ASSERT_GT(large1.size(), 16 * 1024);
    ASSERT_LT(large1.size(), 65536);
    ASSERT_LT(small.size(), 16 * 1024);
    auto queued = [&] {
        for (const MetricSample& m : find(parseExposition(call("GET", QStringLiteral("/metrics")).raw),
                                          QStringLiteral("kite_push_queue_bytes")))
            return m.value;
        return -1.0;
    };
    ASSERT_EQ(queued(), 0.0);

    QSqlDatabase lock = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lock"));
    lock.setDatabaseName(QString::fromStdString(data_) + QStringLiteral("/kite-server.db"));
    ASSERT_TRUE(lock.open()) << lock.lastError().text().toStdString();
    QSqlQuery hold(lock);
    ASSERT_TRUE(hold.exec(QStringLiteral("BEGIN IMMEDIATE"))) << hold.lastError().text().toStdString();

    auto post = [&](const QByteArray& body, const QString& token) {
        QNetworkRequest r(QUrl(base_ + QStringLiteral("/v1/sync/push")));
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        r.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        return net_.post(r, body);
    };
    QNetworkReply* held = post(large1, first);
    ASSERT_TRUE(waitFor([&] { return queued() > 0; }, 10s)) << "the first push is being stored";

    Response refused = call("POST", QStringLiteral("/v1/sync/push"), large2, second);
    EXPECT_EQ(refused.status, 503) << refused.raw.toStdString();
    EXPECT_TRUE(refused.body[QStringLiteral("message")].toString().contains(QStringLiteral("again")))
        << refused.raw.toStdString();
    bool whole = false;
    EXPECT_GE(QString::fromLatin1(refused.headers["retry-after"]).toInt(&whole), 1);
    EXPECT_TRUE(whole) << "Retry-After: " << refused.headers["retry-after"].toStdString();
    QNetworkReply* taken = post(small, first);

    ASSERT_TRUE(hold.exec(QStringLiteral("ROLLBACK")));
    ASSERT_TRUE(waitFor([&] { return held->isFinished() && taken->isFinished(); }, 30s));
    EXPECT_EQ(held->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202) << held->readAll().toStdString();
    EXPECT_EQ(taken->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202) << taken->readAll().toStdString();
    held->deleteLater();
    taken->deleteLater();
    ASSERT_TRUE(waitFor([&] { return queued() == 0; }, 10s));

    // Sent again, as the device does after Retry-After: taken.
    const Response again = call("POST", QStringLiteral("/v1/sync/push"), large2, second);
    EXPECT_EQ(again.status, 202) << again.raw.toStdString();
    EXPECT_EQ(again.body[QStringLiteral("accepted")].toInt(), 100);
    EXPECT_EQ(stats()[QStringLiteral("attempts")].toInteger(), 201) << "each answer once";
    hold = QSqlQuery();
    lock.close();
}
