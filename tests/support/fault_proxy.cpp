#include "fault_proxy.h"

#include <sys/socket.h>

#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace kite::testing {

struct FaultProxy::State {
    std::mutex mutex;  // guards queue and fallback
    std::deque<Fault> queue;
    Fault fallback;
    std::atomic<int> requestsSeen{0};
    std::atomic<int> faultsApplied{0};
    std::atomic<int> connectionsAccepted{0};
    std::atomic<bool> down{false};

    // The first queued fault that matches `target`, else the fallback.
    Fault take(const QByteArray& target) {
        Fault fault;
        {
            std::lock_guard lock(mutex);
            const auto match = std::find_if(queue.begin(), queue.end(), [&](const Fault& f) {
                return f.path.isEmpty() || target.startsWith(f.path);
            });
            if (match == queue.end()) {
                fault = fallback;
            } else {
                fault = *match;
                queue.erase(match);
            }
        }
        ++requestsSeen;
        if (fault.kind != Fault::Kind::Pass) ++faultsApplied;
        return fault;
    }
};

namespace {

// A head bigger than this is not HTTP the proxy understands: it tunnels.
constexpr qsizetype kMaxHead = 64 * 1024;

// The parts of a request or response head that say how long the message is.
struct Head {
    qsizetype size = 0;           // bytes up to and including the blank line
    QList<QByteArray> firstLine;  // "POST", "/v1/sync/push", "HTTP/1.1"
    qint64 contentLength = -1;    // -1: no Content-Length
    bool chunked = false;
};

// The head at the start of `buffer`, or nothing while it is incomplete.
std::optional<Head> parseHead(const QByteArray& buffer) {
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return std::nullopt;
    Head head;
    head.size = end + 4;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    head.firstLine = lines.front().trimmed().split(' ');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon < 0) continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        if (name == "content-length") head.contentLength = value.toLongLong();
        if (name == "transfer-encoding") head.chunked = value.toLower().contains("chunked");
    }
    return head;
}

// Makes the next close of `socket` send RST instead of FIN.
void setLingerZero(QTcpSocket* socket) {
    const linger off{1, 0};
    setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &off, sizeof off);
}

// The 500 a server answers when it fails after the commit, in the shape of
// docs/protocol.md's errors.
QByteArray injected500() {
    const QByteArray body = R"({"error":"internal","message":"injected by the fault proxy"})";
    return "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nConnection: close\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// One client connection and its own upstream connection, exchange by exchange.
class Link : public QObject {
public:
    Link(QTcpSocket* client, const QString& host, quint16 port, FaultProxy::State& state, QObject* parent)
        : QObject(parent), state_(state), client_(client), upstream_(new QTcpSocket(this)) {
        client_->setParent(this);
        connect(client_, &QTcpSocket::readyRead, this, &Link::readClient);
        connect(client_, &QTcpSocket::disconnected, this, &Link::clientGone);
        connect(upstream_, &QTcpSocket::connected, this, [this] {
            upstreamConnected_ = true;
            pumpRequests();
        });
        connect(upstream_, &QTcpSocket::readyRead, this, &Link::readUpstream);
        connect(upstream_, &QTcpSocket::disconnected, this, &Link::upstreamGone);
        connect(upstream_, &QTcpSocket::errorOccurred, this, [this] {
            if (!upstreamConnected_) hangUp();  // the server is not there
        });
        timer_.setTimerType(Qt::PreciseTimer);  // a coarse timer may end a stall up to 5% early
        connect(&timer_, &QTimer::timeout, this, &Link::onTimer);
        upstream_->connectToHost(host, port);
        readClient();
    }

    // Closes the client after what was written to it (FIN) and the upstream.
    void hangUp() {
        if (phase_ == Phase::Closed) return;
        phase_ = Phase::Closed;
        timer_.stop();
        upstream_->abort();
        client_->disconnectFromHost();
        if (client_->state() == QAbstractSocket::UnconnectedState) finish();
    }

private:
    enum class Phase { AwaitingRequest, ForwardingRequest, AwaitingReply, Holding, Tunnel, Closed };

    void readClient() {
        fromClient_ += client_->readAll();
        pumpRequests();
    }

    void pumpRequests() {
        if (phase_ == Phase::Tunnel) {
            if (upstreamConnected_) upstream_->write(std::exchange(fromClient_, {}));
            return;
        }
        if (phase_ == Phase::AwaitingRequest && !fromClient_.isEmpty()) startRequest();
        if (phase_ == Phase::ForwardingRequest) forwardRequest();
    }

    // Reads a request head, takes its fault and starts forwarding.
    void startRequest() {
        const std::optional<Head> head = parseHead(fromClient_);
        if (!head || head->firstLine.size() < 2 || head->chunked) {
            if (!head && fromClient_.size() <= kMaxHead) return;  // more to come
            becomeTunnel();
            return;
        }
        fault_ = state_.take(head->firstLine[1]);
        if (fault_.kind == Fault::Kind::ResetOnRequest) {
            resetClient();
            return;
        }
        headRequest_ = head->firstLine[0] == "HEAD";
        requestLeft_ = head->size + std::max<qint64>(head->contentLength, 0);
        replyHeadRead_ = false;
        phase_ = Phase::ForwardingRequest;
    }

    void forwardRequest() {
        if (!upstreamConnected_) return;
        const qsizetype n = std::min<qint64>(requestLeft_, fromClient_.size());
        upstream_->write(fromClient_.left(n));
        fromClient_.remove(0, n);
        requestLeft_ -= n;
        if (requestLeft_ == 0) phase_ = Phase::AwaitingReply;
    }

    void readUpstream() {
        fromUpstream_ += upstream_->readAll();
        switch (phase_) {
            case Phase::ForwardingRequest:
            case Phase::AwaitingReply: readReply(); break;
            case Phase::AwaitingRequest:
            case Phase::Tunnel: client_->write(std::exchange(fromUpstream_, {})); break;
            case Phase::Holding:
            case Phase::Closed: break;
        }
    }

    // Measures the reply as it arrives: a Pass streams it to the client, any
    // other fault holds it until it is complete.
    void readReply() {
        if (!replyHeadRead_ && !readReplyHead()) return;
        const qsizetype n = std::min<qint64>(replyLeft_, fromUpstream_.size());
        const QByteArray piece = fromUpstream_.left(n);
        fromUpstream_.remove(0, n);
        replyLeft_ -= n;
        if (fault_.kind == Fault::Kind::Pass) {
            client_->write(piece);
        } else {
            held_ += piece;
        }
        if (replyLeft_ == 0) applyFault();
    }

    // False while the head is incomplete, or when the link became a tunnel.
    bool readReplyHead() {
        const std::optional<Head> head = parseHead(fromUpstream_);
        if (!head || head->firstLine.size() < 2) {
            if (fromUpstream_.size() > kMaxHead) becomeTunnel();
            return false;
        }
        const int status = head->firstLine[1].toInt();
        if (status >= 100 && status < 200 && status != 101) {  // interim: the real reply follows
            client_->write(fromUpstream_.left(head->size));
            fromUpstream_.remove(0, head->size);
            return fromUpstream_.isEmpty() ? false : readReplyHead();
        }
        // A 101's head is the whole reply; the WebSocket follows in the tunnel.
        upgraded_ = status == 101;
        const bool bodyless = upgraded_ || status == 204 || status == 304 || headRequest_;
        if (!bodyless && (head->chunked || head->contentLength < 0)) {
            becomeTunnel();  // a reply read to the end
            return false;
        }
        replyHeadRead_ = true;
        replyLeft_ = head->size + (bodyless ? 0 : head->contentLength);
        return true;
    }

    // The whole reply is in (held_ unless the fault is Pass).
    void applyFault() {
        switch (fault_.kind) {
            case Fault::Kind::Pass: finishExchange(); break;
            case Fault::Kind::DropBeforeReply: hangUp(); break;
            case Fault::Kind::Reply500AfterCommit:
                client_->write(injected500());
                hangUp();
                break;
            case Fault::Kind::ResetBeforeReply:
            case Fault::Kind::ResetOnRequest: resetClient(); break;
            case Fault::Kind::Stall:
                phase_ = Phase::Holding;
                timer_.setSingleShot(true);
                timer_.start(fault_.stall);
                break;
            case Fault::Kind::Trickle:
                phase_ = Phase::Holding;
                timer_.setSingleShot(false);
                timer_.start(fault_.trickleInterval);
                break;
        }
    }

    void onTimer() {
        if (fault_.kind == Fault::Kind::Stall && fault_.afterStall == Fault::AfterStall::Close) {
            hangUp();
            return;
        }
        const qsizetype n = fault_.kind == Fault::Kind::Trickle ? std::max(fault_.trickleBytes, 1) : held_.size();
        client_->write(held_.left(n));
        held_.remove(0, n);
        if (held_.isEmpty()) {
            timer_.stop();
            finishExchange();
        }
    }

    void finishExchange() {
        held_.clear();
        if (requestLeft_ > 0 || upgraded_) {  // answered before the request was all sent, or a WebSocket
            becomeTunnel();
            return;
        }
        phase_ = Phase::AwaitingRequest;
        if (upstreamClosed_) {
            hangUp();
            return;
        }
        if (!fromUpstream_.isEmpty()) client_->write(std::exchange(fromUpstream_, {}));
        pumpRequests();
    }

    // Plain forwarding from here on; no more faults on this connection.
    void becomeTunnel() {
        phase_ = Phase::Tunnel;
        timer_.stop();
        client_->write(std::exchange(held_, {}) + std::exchange(fromUpstream_, {}));
        if (upstreamClosed_) {
            hangUp();
            return;
        }
        pumpRequests();
    }

    void upstreamGone() {
        upstreamClosed_ = true;
        if (upstream_->bytesAvailable() > 0) readUpstream();  // the last of a reply
        if (phase_ != Phase::Holding) hangUp();               // a held reply is delivered first
    }

    void clientGone() {
        if (phase_ != Phase::Closed) {
            phase_ = Phase::Closed;
            timer_.stop();
            upstream_->abort();
        }
        finish();
    }

    void resetClient() {
        phase_ = Phase::Closed;
        timer_.stop();
        setLingerZero(client_);
        client_->abort();
        upstream_->abort();
        finish();
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        deleteLater();
    }

    FaultProxy::State& state_;
    QTcpSocket* client_;
    QTcpSocket* upstream_;
    QTimer timer_{this};  // the stall, or the trickle's pace
    Phase phase_ = Phase::AwaitingRequest;
    bool upstreamConnected_ = false;
    bool upstreamClosed_ = false;
    bool finished_ = false;
    QByteArray fromClient_;    // client bytes not yet forwarded
    QByteArray fromUpstream_;  // upstream bytes not yet handled
    QByteArray held_;          // the reply a fault holds back
    Fault fault_;              // of the current exchange
    bool headRequest_ = false;
    qint64 requestLeft_ = 0;  // bytes of the current request still to forward
    bool replyHeadRead_ = false;
    bool upgraded_ = false;  // the reply was 101 Switching Protocols
    qint64 replyLeft_ = 0;   // bytes of the current reply still to come
};

}  // namespace

// The proxy's thread: its listener and links live and die in run().
class FaultProxy::Thread : public QThread {
public:
    Thread(QString host, quint16 port, State& state) : host_(std::move(host)), upstreamPort_(port), state_(state) {}

    // Starts the thread and returns once it listens; the port, 0 on failure.
    quint16 startListening() {
        start();
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return links_ != nullptr; });
        return port_;
    }

    // Runs `work` on this thread and returns when it is done.
    template <typename Work>
    void runHere(Work work) {
        QMetaObject::invokeMethod(links_, work, Qt::BlockingQueuedConnection);
    }

    QObject* links() const { return links_; }

protected:
    void run() override {
        QTcpServer server;
        QObject links;  // parent of every Link; destroyed first
        server.listen(QHostAddress::LocalHost, 0);
        connect(&server, &QTcpServer::newConnection, &server, [&] {
            while (QTcpSocket* client = server.nextPendingConnection()) accept(client, links);
        });
        {
            std::lock_guard lock(mutex_);
            port_ = server.isListening() ? server.serverPort() : 0;
            links_ = &links;
        }
        ready_.notify_all();
        exec();
    }

private:
    void accept(QTcpSocket* client, QObject& links) {
        ++state_.connectionsAccepted;
        if (state_.down) {
            setLingerZero(client);
            client->abort();
            client->deleteLater();
            return;
        }
        new Link(client, host_, upstreamPort_, state_, &links);
    }

    const QString host_;
    const quint16 upstreamPort_;
    State& state_;
    std::mutex mutex_;
    std::condition_variable ready_;
    quint16 port_ = 0;
    QObject* links_ = nullptr;
};

FaultProxy::FaultProxy(const QString& upstreamHost, std::uint16_t upstreamPort)
    : state_(std::make_unique<State>()), thread_(std::make_unique<Thread>(upstreamHost, upstreamPort, *state_)) {
    port_ = thread_->startListening();
}

FaultProxy::~FaultProxy() {
    thread_->quit();
    thread_->wait();
}

QString FaultProxy::url() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(port_);
}

void FaultProxy::queue(const Fault& fault, int times) {
    std::lock_guard lock(state_->mutex);
    for (int i = 0; i < times; ++i) state_->queue.push_back(fault);
}

void FaultProxy::setDefault(const Fault& fault) {
    std::lock_guard lock(state_->mutex);
    state_->fallback = fault;
}

int FaultProxy::pending() const {
    std::lock_guard lock(state_->mutex);
    return static_cast<int>(state_->queue.size());
}

void FaultProxy::clearFaults() {
    std::lock_guard lock(state_->mutex);
    state_->queue.clear();
    state_->fallback = Fault::pass();
}

void FaultProxy::setDown(bool down) {
    state_->down = down;
    if (!down) return;
    thread_->runHere([links = thread_->links()] {
        for (QObject* link : links->children()) static_cast<Link*>(link)->hangUp();
    });
}

int FaultProxy::requestsSeen() const {
    return state_->requestsSeen;
}
int FaultProxy::faultsApplied() const {
    return state_->faultsApplied;
}
int FaultProxy::connectionsAccepted() const {
    return state_->connectionsAccepted;
}

const char* faultName(Fault::Kind kind) {
    switch (kind) {
        case Fault::Kind::Pass: return "Pass";
        case Fault::Kind::DropBeforeReply: return "DropBeforeReply";
        case Fault::Kind::Reply500AfterCommit: return "Reply500AfterCommit";
        case Fault::Kind::Stall: return "Stall";
        case Fault::Kind::ResetBeforeReply: return "ResetBeforeReply";
        case Fault::Kind::ResetOnRequest: return "ResetOnRequest";
        case Fault::Kind::Trickle: return "Trickle";
    }
    return "?";
}

}  // namespace kite::testing
