// The fault proxy in front of the real kite-server: for each fault, what a
// client sees and what the server holds.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QWebSocket>
#include <cerrno>
#include <functional>

#include "fault_proxy.h"
#include "server_fixture.h"

namespace {

using namespace kite::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// How one exchange ended, as the client saw it.
enum class Ending { Replied, ClosedWithoutReply, Reset, TimedOut };

const char* endingName(Ending e) {
    switch (e) {
        case Ending::Replied: return "Replied";
        case Ending::ClosedWithoutReply: return "ClosedWithoutReply";
        case Ending::Reset: return "Reset";
        case Ending::TimedOut: return "TimedOut";
    }
    return "?";
}

struct Exchange {
    Ending ending = Ending::TimedOut;
    int status = 0;
    QJsonObject body;
    int reads = 0;  // pieces the reply came in
    std::chrono::milliseconds elapsed{0};
};

// A blocking HTTP/1.1 client on a plain socket: unlike Qt's sockets, it
// tells a reset (ECONNRESET) from a close (end of stream). It may block: the
// proxy runs on its own thread.
class RawClient {
public:
    explicit RawClient(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
    }
    ~RawClient() { close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // Sends `request` and reads one reply, waiting at most `timeout`.
    Exchange exchange(const QByteArray& request, std::chrono::milliseconds timeout) {
        EXPECT_TRUE(connected_) << "could not connect to the proxy";
        const auto start = Clock::now();
        const auto deadline = start + timeout;
        Exchange result;
        if (send(fd_, request.constData(), static_cast<size_t>(request.size()), MSG_NOSIGNAL) != request.size()) {
            result.ending = errno == ECONNRESET ? Ending::Reset : Ending::ClosedWithoutReply;
            return result;
        }
        QByteArray in;
        result.ending = readReply(in, deadline, result.reads);
        result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        if (result.ending == Ending::Replied) {
            result.status = in.mid(9, 3).toInt();  // "HTTP/1.1 202 ..."
            result.body = QJsonDocument::fromJson(in.mid(in.indexOf("\r\n\r\n") + 4)).object();
        }
        return result;
    }

private:
    // Reads until a whole reply (head and Content-Length body) is in `in`.
    Ending readReply(QByteArray& in, Clock::time_point deadline, int& reads) {
        for (;;) {
            const qsizetype headEnd = in.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                const qsizetype at = in.toLower().indexOf("content-length:");
                const qint64 length =
                    at < 0 ? 0 : in.mid(at + 15, in.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
                if (in.size() >= headEnd + 4 + length) return Ending::Replied;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd p{fd_, POLLIN, 0};
            if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) == 0) return Ending::TimedOut;
            char buffer[4096];
            const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n < 0) return errno == ECONNRESET ? Ending::Reset : Ending::ClosedWithoutReply;
            if (n == 0) return Ending::ClosedWithoutReply;
            in.append(buffer, n);
            ++reads;
        }
    }

    int fd_;
    bool connected_ = false;
};

QByteArray httpRequest(const QByteArray& method, const QByteArray& target, const QByteArray& body,
                       const QString& token) {
    return method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.toUtf8() +
           "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
           body;
}

class FaultProxyE2E : public ServerFixture {
protected:
    void SetUp() override {
        ServerFixture::SetUp();
        if (HasFatalFailure()) return;
        const QUrl server(base_);
        proxy_ = std::make_unique<FaultProxy>(server.host(), static_cast<std::uint16_t>(server.port()));
        ASSERT_NE(proxy_->port(), 0);
        token_ = enroll(school_, "kiosk 1");
    }
    void TearDown() override {
        proxy_.reset();
        ServerFixture::TearDown();
    }

    // A push of 20 answers (the same batch every time), as raw HTTP.
    QByteArray push() const {
        return httpRequest("POST", "/v1/sync/push", pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("p")), token_);
    }
    // The same push through the proxy on a new connection.
    Exchange pushOnce(std::chrono::milliseconds timeout = 10s) {
        return RawClient(proxy_->port()).exchange(push(), timeout);
    }
    std::int64_t attempts() { return stats()[QStringLiteral("attempts")].toInteger(); }

    std::unique_ptr<FaultProxy> proxy_;
    QString token_;
};

TEST_F(FaultProxyE2E, PassForwardsRequestAndReplyUnchanged) {
    const Response r = request(net_, "POST", proxy_->url() + QStringLiteral("/v1/sync/push"),
                               pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("p")), token_);
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 20);
    EXPECT_EQ(attempts(), 20);
    EXPECT_EQ(proxy_->requestsSeen(), 1);
    EXPECT_EQ(proxy_->faultsApplied(), 0);
}

TEST_F(FaultProxyE2E, DropBeforeReplyClosesTheConnectionAfterTheServerCommitted) {
    proxy_->queue(Fault::dropBeforeReply());
    const Exchange e = pushOnce();
    EXPECT_EQ(e.ending, Ending::ClosedWithoutReply) << endingName(e.ending);
    EXPECT_EQ(attempts(), 20);
    // The client sends the batch again: the server counts nothing twice.
    const Exchange again = pushOnce();
    ASSERT_EQ(again.ending, Ending::Replied) << endingName(again.ending);
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again.body[QStringLiteral("duplicate")].toInt(), 20);
    EXPECT_EQ(attempts(), 20);
    EXPECT_EQ(proxy_->faultsApplied(), 1);
    EXPECT_EQ(proxy_->pending(), 0);
}

TEST_F(FaultProxyE2E, Reply500AfterCommitAnswers500WhileTheServerHoldsTheAnswers) {
    proxy_->queue(Fault::reply500AfterCommit());
    const Response r = request(net_, "POST", proxy_->url() + QStringLiteral("/v1/sync/push"),
                               pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("p")), token_);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body[QStringLiteral("error")].toString(), QStringLiteral("internal"));
    EXPECT_EQ(r.headers.count("connection") ? r.headers.at("connection") : QByteArray(), "close");
    EXPECT_EQ(attempts(), 20);
}

TEST_F(FaultProxyE2E, StallOutlastsAClientTimeoutAfterTheServerCommitted) {
    proxy_->queue(Fault::stallFor(5s));
    QNetworkRequest req{QUrl(proxy_->url() + QStringLiteral("/v1/sync/push"))};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Bearer " + token_.toUtf8());
    req.setTransferTimeout(1000);
    QNetworkReply* reply = net_.post(req, pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("p")));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(4000, &loop, &QEventLoop::quit);
    const auto start = Clock::now();
    loop.exec();
    ASSERT_TRUE(reply->isFinished()) << "the client's 1 s timeout did not fire";
    EXPECT_EQ(reply->error(), QNetworkReply::OperationCanceledError) << reply->errorString().toStdString();
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
    reply->deleteLater();
    EXPECT_EQ(attempts(), 20);
}

TEST_F(FaultProxyE2E, StallThenDeliverGivesTheReplyLate) {
    proxy_->queue(Fault::stallFor(400ms, Fault::AfterStall::Deliver));
    const Exchange e = pushOnce();
    ASSERT_EQ(e.ending, Ending::Replied) << endingName(e.ending);
    EXPECT_EQ(e.status, 202);
    EXPECT_EQ(e.body[QStringLiteral("accepted")].toInt(), 20);
    EXPECT_GE(e.elapsed, 400ms);
}

TEST_F(FaultProxyE2E, StallThenCloseEndsWithoutAReply) {
    proxy_->queue(Fault::stallFor(300ms, Fault::AfterStall::Close));
    const Exchange e = pushOnce();
    EXPECT_EQ(e.ending, Ending::ClosedWithoutReply) << endingName(e.ending);
    EXPECT_GE(e.elapsed, 300ms);
    EXPECT_EQ(attempts(), 20);
}

TEST_F(FaultProxyE2E, ResetBeforeReplyResetsAfterTheServerCommitted) {
    proxy_->queue(Fault::resetBeforeReply());
    const Exchange e = pushOnce();
    EXPECT_EQ(e.ending, Ending::Reset) << endingName(e.ending);
    EXPECT_EQ(attempts(), 20);
}

TEST_F(FaultProxyE2E, ResetOnRequestResetsAndNothingReachesTheServer) {
    proxy_->queue(Fault::resetOnRequest());
    const Exchange e = pushOnce();
    EXPECT_EQ(e.ending, Ending::Reset) << endingName(e.ending);
    EXPECT_EQ(attempts(), 0);
    EXPECT_EQ(proxy_->requestsSeen(), 1);
}

TEST_F(FaultProxyE2E, TrickleDeliversTheWholeReplyInSmallPieces) {
    proxy_->queue(Fault::trickle(7, 10ms));
    const Exchange e = pushOnce();
    ASSERT_EQ(e.ending, Ending::Replied) << endingName(e.ending);
    EXPECT_EQ(e.status, 202);
    EXPECT_EQ(e.body[QStringLiteral("accepted")].toInt(), 20);
    EXPECT_GT(e.reads, 10);  // a push reply is well over 70 bytes
}

TEST_F(FaultProxyE2E, AFaultTakesOneExchangeOfAKeepAliveConnection) {
    proxy_->queue(Fault::trickle(7, 5ms));
    RawClient client(proxy_->port());
    const Exchange first = client.exchange(push(), 10s);
    const Exchange second = client.exchange(push(), 10s);
    ASSERT_EQ(first.ending, Ending::Replied) << endingName(first.ending);
    ASSERT_EQ(second.ending, Ending::Replied) << endingName(second.ending);
    EXPECT_GT(first.reads, 10);
    EXPECT_LE(second.reads, 2);
    EXPECT_EQ(second.body[QStringLiteral("duplicate")].toInt(), 20);
    EXPECT_EQ(proxy_->requestsSeen(), 2);
    EXPECT_EQ(proxy_->connectionsAccepted(), 1);
}

TEST_F(FaultProxyE2E, AFaultOnAPathWaitsForARequestOnThatPath) {
    proxy_->queue(Fault::resetOnRequest().onPath("/v1/sync/push"));
    RawClient client(proxy_->port());
    const Exchange pull = client.exchange(httpRequest("GET", "/v1/sync/pull?cursor=", {}, token_), 10s);
    ASSERT_EQ(pull.ending, Ending::Replied) << endingName(pull.ending);
    EXPECT_EQ(pull.status, 200);
    EXPECT_EQ(proxy_->pending(), 1);
    EXPECT_EQ(client.exchange(push(), 10s).ending, Ending::Reset);
    EXPECT_EQ(proxy_->pending(), 0);
}

TEST_F(FaultProxyE2E, WhileDownConnectionsFailAndAfterwardsPushesGoThrough) {
    RawClient open(proxy_->port());
    ASSERT_EQ(open.exchange(httpRequest("GET", "/v1/sync/pull?cursor=", {}, token_), 10s).status, 200);
    proxy_->setDown(true);
    // The open keep-alive connection was closed, and new ones fail.
    EXPECT_NE(open.exchange(push(), 10s).ending, Ending::Replied);
    const Exchange e = pushOnce();
    EXPECT_TRUE(e.ending == Ending::Reset || e.ending == Ending::ClosedWithoutReply) << endingName(e.ending);
    EXPECT_EQ(attempts(), 0);
    proxy_->setDown(false);
    const Exchange up = pushOnce();
    ASSERT_EQ(up.ending, Ending::Replied) << endingName(up.ending);
    EXPECT_EQ(up.status, 202);
    EXPECT_EQ(attempts(), 20);
}

// Runs the event loop until `done` or the deadline, woken by `socket`.
bool waitFor(QWebSocket& socket, const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const QDeadlineTimer deadline(timeout);
    while (!done() && !deadline.hasExpired()) {
        QEventLoop loop;
        QObject::connect(&socket, &QWebSocket::stateChanged, &loop, &QEventLoop::quit);
        QObject::connect(&socket, &QWebSocket::pong, &loop, &QEventLoop::quit);
        QTimer::singleShot(std::max<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

TEST_F(FaultProxyE2E, AWebSocketHandshakeTakesAFaultThenTheStreamPassesThrough) {
    QNetworkRequest req{QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/stream").arg(proxy_->port()))};
    req.setRawHeader("Authorization", "Bearer " + token_.toUtf8());
    {
        proxy_->queue(Fault::dropBeforeReply());
        QWebSocket dropped;
        dropped.open(req);
        EXPECT_TRUE(waitFor(dropped, [&] { return dropped.state() == QAbstractSocket::UnconnectedState; }));
        EXPECT_NE(dropped.error(), QAbstractSocket::UnknownSocketError);
    }
    proxy_->queue(Fault::trickle(7, 2ms));
    QWebSocket socket;
    bool ponged = false;
    QObject::connect(&socket, &QWebSocket::pong,
                     [&](quint64, const QByteArray& payload) { ponged = payload == "kite"; });
    socket.open(req);
    ASSERT_TRUE(waitFor(socket, [&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.ping("kite");
    EXPECT_TRUE(waitFor(socket, [&] { return ponged; }));
    EXPECT_EQ(proxy_->faultsApplied(), 2);
    proxy_->setDown(true);
    EXPECT_TRUE(waitFor(socket, [&] { return socket.state() == QAbstractSocket::UnconnectedState; }));
}

// QNetworkAccessManager sends a request once more, unasked, when the
// connection closes or resets before any of the reply: one drop is invisible
// to a client built on it, two make it see the error. Tests of such a client
// queue these faults twice.
TEST_F(FaultProxyE2E, QnamResendsOnceWhenTheConnectionDropsBeforeTheReply) {
    const QString url = proxy_->url() + QStringLiteral("/v1/sync/push");
    const QByteArray body = pushBody(QStringLiteral("L1"), 1, 20, QStringLiteral("p"));
    proxy_->queue(Fault::dropBeforeReply());
    const Response resent = request(net_, "POST", url, body, token_);
    EXPECT_EQ(resent.status, 202);
    EXPECT_EQ(resent.body[QStringLiteral("duplicate")].toInt(), 20);
    EXPECT_EQ(proxy_->requestsSeen(), 2);

    proxy_->queue(Fault::resetOnRequest());
    proxy_->queue(Fault::resetBeforeReply());
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Bearer " + token_.toUtf8());
    QNetworkReply* reply = net_.post(req, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    ASSERT_TRUE(reply->isFinished());
    EXPECT_EQ(reply->error(), QNetworkReply::RemoteHostClosedError) << reply->errorString().toStdString();
    EXPECT_EQ(proxy_->requestsSeen(), 4);
    reply->deleteLater();
    EXPECT_EQ(attempts(), 20);
}

// A client that sends the same batch until it gets an answer, through every
// fault in turn: the server ends with each answer exactly once.
TEST_F(FaultProxyE2E, RetryingThroughEveryFaultStoresEachAnswerOnce) {
    const std::vector<Fault> faults{Fault::resetOnRequest(), Fault::dropBeforeReply(),  Fault::reply500AfterCommit(),
                                    Fault::stallFor(2s),     Fault::resetBeforeReply(), Fault::trickle(7, 2ms)};
    for (const Fault& f : faults) proxy_->queue(f);
    int tries = 0;
    Exchange e;
    do {
        e = pushOnce(1s);
        ++tries;
    } while (!(e.ending == Ending::Replied && e.status == 202) && tries < 20);
    EXPECT_EQ(tries, 6);  // the trickled reply is the first 202
    EXPECT_EQ(e.body[QStringLiteral("duplicate")].toInt(), 20);
    EXPECT_EQ(proxy_->faultsApplied(), 6);
    EXPECT_EQ(proxy_->pending(), 0);
    EXPECT_EQ(attempts(), 20);
    // And with the faults over, the proxy is invisible.
    const Response r = request(net_, "POST", proxy_->url() + QStringLiteral("/v1/sync/push"),
                               pushBody(QStringLiteral("L1"), 21, 5, QStringLiteral("p")), token_);
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body[QStringLiteral("accepted")].toInt(), 5);
    EXPECT_EQ(attempts(), 25);
}

}  // namespace
