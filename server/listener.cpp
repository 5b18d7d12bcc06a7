#include "kite/listener.h"

#include <sys/resource.h>

#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>
#include <limits>
#include <memory>

#include "kite/server_metrics.h"

namespace kite::server {

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr int kLingerMs = 2000;  // after a refusal, how long what the client still sends is read and dropped

Counter& refusedCounter() {
    return Metrics::counter(QStringLiteral("kite_http_refused_total"),
                            QStringLiteral("Requests refused before the HTTP parser took them, by reason."));
}

// What all the guards of one listener share (HTTP thread only).
struct Shared {
    QPointer<QTcpServer> listener;
    QPointer<QObject> http;  // the QAbstractHttpServer whose parser reads the sockets
    std::int64_t max_body = 0;
    int max_connections = 0;
    int idle_ms = 0;
    int open = 0;
    bool paused = false;  // accepting paused at max_connections
};

// Watches one connection's bytes before the HTTP parser reads them (see
// listener.h). A child of its socket: it lives exactly as long as the socket.
class ConnectionGuard final : public QObject {
public:
    Q_DISABLE_COPY_MOVE(ConnectionGuard)
    ConnectionGuard(QTcpSocket* socket, std::shared_ptr<Shared> shared)
        : QObject(socket), socket_(socket), shared_(std::move(shared)) {
        shared_->open += 1;
        reading_ = connect(socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QIODevice::bytesWritten, this, [this] { idle_.start(); });
        idle_.setSingleShot(true);
        idle_.setInterval(shared_->idle_ms);
        connect(&idle_, &QTimer::timeout, this, [this] {
            // A socket handed to the WebSocket server has lost all its
            // connections (ours too): it is not an idle HTTP connection.
            if (reading_) socket_->disconnectFromHost();
        });
        idle_.start();
    }
    ~ConnectionGuard() override {
        shared_->open -= 1;
        if (shared_->paused && shared_->open < shared_->max_connections && shared_->listener &&
            shared_->listener->isListening()) {
            shared_->paused = false;
            shared_->listener->resumeAccepting();
        }
    }

private:
    void onReadyRead() {
        if (refused_) {
            socket_->skip(socket_->bytesAvailable());
            return;
        }
        idle_.start();
        // The parser starts a transaction at a request's first bytes and
        // commits it when the request is complete: no transaction, a new request.
        if (!socket_->isTransactionStarted()) {
            head_.clear();
            head_done_ = false;
            body_seen_ = 0;
        }
        const qint64 fresh = socket_->bytesAvailable();
        if (fresh <= 0) return;
        if (head_done_) {
            body_seen_ += fresh;
        } else {
            const qsizetype before = head_.size();
            head_ += socket_->peek(std::min<qint64>(fresh, kMaxHeaderBytes + 1 - before));
            if (before == 0) {
                // The parser skips blank lines between requests; so do we.
                qsizetype blank = 0;
                while (blank < head_.size() && (head_[blank] == '\r' || head_[blank] == '\n')) ++blank;
                head_.remove(0, blank);
            }
            const qsizetype crlf = head_.indexOf("\r\n\r\n");
            const qsizetype lf = head_.indexOf("\n\n");
            qsizetype end = -1;
            if (crlf >= 0 && (lf < 0 || crlf + 4 <= lf + 2))
                end = crlf + 4;
            else if (lf >= 0)
                end = lf + 2;
            if (end < 0) {
                if (head_.size() > kMaxHeaderBytes)
                    refuse(413, "Payload Too Large", QStringLiteral("request headers over 64 KiB"),
                           QStringLiteral("headers_too_large"));
                return;
            }
            head_done_ = true;
            body_seen_ = head_.size() - end + (fresh - (head_.size() - before));
            const std::int64_t declared = contentLength(head_.left(end));
            if (declared > shared_->max_body) {
                refuse(413, "Payload Too Large",
                       QStringLiteral("request body of %1 bytes is over the limit of %2 bytes")
                           .arg(declared)
                           .arg(shared_->max_body),
                       QStringLiteral("body_too_large"));
                return;
            }
        }
        // Chunked bodies carry some framing; past this, more is certainly too much.
        if (body_seen_ > shared_->max_body + shared_->max_body / 16 + 64 * 1024)
            refuse(413, "Payload Too Large",
                   QStringLiteral("request body is over the limit of %1 bytes").arg(shared_->max_body),
                   QStringLiteral("body_too_large"));
    }

    // The value of Content-Length in a header block, -1 if none or unreadable.
    static std::int64_t contentLength(const QByteArray& head) {
        for (const QByteArray& line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0 || line.left(colon).trimmed().toLower() != "content-length") continue;
            bool ok = false;
            const std::int64_t n = line.mid(colon + 1).trimmed().toLongLong(&ok);
            return ok ? n : std::numeric_limits<std::int64_t>::max();  // unreadable: the parser reads it as huge or 0
        }
        return -1;
    }

    void refuse(int status, const char* reason, const QString& message, const QString& why) {
        refused_ = true;
        refusedCounter().add({{QStringLiteral("reason"), why}});
        if (shared_->http) disconnect(socket_, &QIODevice::readyRead, shared_->http, nullptr);
        if (socket_->isTransactionStarted()) socket_->commitTransaction();
        socket_->skip(socket_->bytesAvailable());
        const QByteArray body = errorReply(status, message).body;
        socket_->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                       "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QTimer::singleShot(kLingerMs, this, [this] { socket_->disconnectFromHost(); });
    }

    QTcpSocket* socket_;
    std::shared_ptr<Shared> shared_;
    QMetaObject::Connection reading_;
    QTimer idle_;
    QByteArray head_;  // of the current request, until its end is seen
    bool head_done_ = false;
    qint64 body_seen_ = 0;  // bytes after the head (of this request and any pipelined after it)
    bool refused_ = false;
};

// A listener whose connections each get a guard before the HTTP server sees them.
template <class Base>
class GuardedServer final : public Base {
public:
    explicit GuardedServer(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

    QTcpSocket* nextPendingConnection() override {
        QTcpSocket* socket = Base::nextPendingConnection();
        if (!socket) return nullptr;
        // Replies leave as they are written: with Nagle's algorithm a reply
        // written in two pieces waits for the client's delayed ACK (40 ms).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        new ConnectionGuard(socket, shared_);
        if (shared_->open >= shared_->max_connections && !shared_->paused) {
            shared_->paused = true;
            this->pauseAccepting();
        }
        return socket;
    }

private:
    std::shared_ptr<Shared> shared_;
};

Result<QSslConfiguration> tlsConfiguration(const Settings& settings) {
    if (!QSslSocket::supportsSsl()) return Error{"TLS is not available: Qt found no OpenSSL library"};
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(settings.tls_cert, QSsl::Pem);
    if (chain.isEmpty()) return Error{("tls_cert: no PEM certificate in '" + settings.tls_cert + "'").toStdString()};
    QFile keyFile(settings.tls_key);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error{("tls_key: cannot read '" + settings.tls_key + "': " + keyFile.errorString()).toStdString()};
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) break;
    }
    if (key.isNull())
        return Error{
            ("tls_key: no unencrypted PEM private key (RSA, EC or DSA) in '" + settings.tls_key + "'").toStdString()};
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificateChain(chain);
    conf.setPrivateKey(key);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);  // clients authenticate with tokens, not certificates
    return conf;
}

// Each connection is a file descriptor: raise the soft limit (often 1024)
// towards max_connections as far as the hard limit allows.
void makeRoomForConnections(int maxConnections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t want = static_cast<rlim_t>(maxConnections) + 256;  // + the store's files, pipes, ...
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= want) return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? want : std::min(want, limit.rlim_max);
    static_cast<void>(setrlimit(RLIMIT_NOFILE, &limit));
}

}  // namespace

Result<quint16> listenWithLimits(HttpServer& server, const Settings& settings) {
    auto shared = std::make_shared<Shared>();
    shared->http = &server;
    shared->max_body = settings.max_body_bytes;
    shared->max_connections = settings.max_connections;
    shared->idle_ms = settings.idle_seconds * 1000;

    std::unique_ptr<QTcpServer> listener;
    if (settings.tls_cert.isEmpty()) {
        listener = std::make_unique<GuardedServer<QTcpServer>>(shared);
    } else {
        auto conf = tlsConfiguration(settings);
        if (!conf) return conf.error();
        auto tls = std::make_unique<GuardedServer<QSslServer>>(shared);
        tls->setSslConfiguration(*conf);
        listener = std::move(tls);
    }
    makeRoomForConnections(settings.max_connections);
    listener->setMaxPendingConnections(std::min(settings.max_connections, 1024));
    // A storm of devices coming online waits in the kernel's accept queue
    // rather than having its connections dropped (Qt's default is 50; the
    // kernel caps it at net.core.somaxconn).
    listener->setListenBacklogSize(std::min(settings.max_connections, 4096));
    if (!listener->listen(settings.host, settings.port))
        return Error{("cannot listen on " + settings.host.toString() + ':' + QString::number(settings.port) + ": " +
                      listener->errorString())
                         .toStdString()};
    shared->listener = listener.get();
    const quint16 port = listener->serverPort();
    server.bind(listener.release());  // the server owns it now
    Metrics::callbackGauge(QStringLiteral("kite_http_connections_open"),
                           QStringLiteral("HTTP and WebSocket connections open now."),
                           [weak = std::weak_ptr<Shared>(shared)] {
                               QList<Sample> out;
                               if (auto s = weak.lock()) out.push_back(Sample{{}, static_cast<double>(s->open)});
                               return out;
                           });
    refusedCounter();  // registered from the start, so that it shows before the first refusal
    return port;
}

}  // namespace kite::server
