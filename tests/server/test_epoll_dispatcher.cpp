// The epoll event dispatcher of the server's HTTP thread: Qt's timers,
// sockets, posted events and cross-thread calls behave as on Qt's own loop.
// Each case runs in a thread whose loop is an EpollEventDispatcher.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

#include "kite/epoll_dispatcher.h"

namespace {

using kite::server::EpollEventDispatcher;

// Runs `body` on a thread whose event loop is epoll's; returns when it has.
void onEpollThread(const std::function<void()>& body) {
    int argc = 1;
    char name[] = "test_epoll_dispatcher";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    thread.start();
    bool ran = false;
    {
        QObject context;
        context.moveToThread(&thread);
        QMetaObject::invokeMethod(&context, [&] {
            ran = dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()) != nullptr;
            if (ran) body();
        }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    ASSERT_TRUE(ran) << "the case did not run on an epoll loop";
}

// Runs the current thread's loop until `done` or 10 s.
bool spinUntil(const std::function<bool()>& done) {
    const QDeadlineTimer deadline(10'000);
    while (!done() && !deadline.hasExpired()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

TEST(EpollDispatcher, TimersFireOnTimeAndStopWhenStopped) {
    onEpollThread([] {
        QElapsedTimer clock;
        clock.start();
        qint64 singleAt = -1;
        QTimer::singleShot(40, [&] { singleAt = clock.elapsed(); });
        int ticks = 0;
        QTimer repeating;
        repeating.setTimerType(Qt::PreciseTimer);
        QObject::connect(&repeating, &QTimer::timeout, [&] {
            if (++ticks == 5) repeating.stop();  // stopped from its own handler
        });
        repeating.start(10);
        ASSERT_TRUE(spinUntil([&] { return singleAt >= 0 && ticks >= 5; }));
        EXPECT_GE(singleAt, 40);
        EXPECT_GE(clock.elapsed(), 50);  // five 10 ms ticks
        // Stopped: no sixth tick, however long the loop runs.
        QTimer later;
        later.setSingleShot(true);
        later.start(60);
        EXPECT_GT(later.remainingTime(), 0);
        EXPECT_LE(later.remainingTime(), 60);
        ASSERT_TRUE(spinUntil([&] { return !later.isActive(); }));
        EXPECT_EQ(ticks, 5);
    });
}

TEST(EpollDispatcher, CallsFromOtherThreadsAndDeleteLaterRun) {
    onEpollThread([] {
        QThread* here = QThread::currentThread();
        QObject receiver;
        int calls = 0;
        // A thread that calls into this one while its loop waits.
        std::unique_ptr<QThread> caller(QThread::create([&] {
            for (int i = 0; i < 100; ++i) QMetaObject::invokeMethod(&receiver, [&] { ++calls; });
        }));
        caller->start();
        EXPECT_TRUE(spinUntil([&] { return calls == 100; }));
        caller->wait();
        // deleteLater from a handler of a running loop: deleted when that
        // loop comes round again.
        QEventLoop loop;
        QPointer<QObject> doomed = new QObject;
        QObject::connect(doomed, &QObject::destroyed, &loop, &QEventLoop::quit);
        QTimer::singleShot(0, doomed, [&] { doomed->deleteLater(); });
        QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
        loop.exec();
        EXPECT_TRUE(doomed.isNull());
        EXPECT_EQ(QThread::currentThread(), here);
    });
}

TEST(EpollDispatcher, ManyConnectionsExchangeLargeMessagesAndSeeTheirPeersClose) {
    onEpollThread([] {
        QTcpServer server;
        server.setListenBacklogSize(1024);  // all clients connect at once
        ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
        // Echo: whatever a connection sends comes back; written in pieces
        // whenever the kernel's buffer has room (write notifiers).
        int closedByPeer = 0;
        QObject::connect(&server, &QTcpServer::newConnection, [&] {
            while (QTcpSocket* s = server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                QObject::connect(s, &QTcpSocket::disconnected, s, [s, &closedByPeer] {
                    ++closedByPeer;
                    s->deleteLater();
                });
            }
        });
        constexpr int kClients = 200;
        const QByteArray message(256 * 1024, 'k');
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        std::vector<QByteArray> received(kClients);
        for (int i = 0; i < kClients; ++i) {
            auto c = std::make_unique<QTcpSocket>();
            QTcpSocket* raw = c.get();
            QObject::connect(raw, &QTcpSocket::connected, raw, [raw, &message] { raw->write(message); });
            QObject::connect(raw, &QTcpSocket::readyRead, raw, [raw, &received, i] { received[i] += raw->readAll(); });
            raw->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(c));
        }
        auto allEchoed = [&] {
            for (const QByteArray& r : received)
                if (r.size() < message.size()) return false;
            return true;
        };
        ASSERT_TRUE(spinUntil(allEchoed));
        for (const QByteArray& r : received) EXPECT_EQ(r, message);
        for (auto& c : clients) c->disconnectFromHost();
        EXPECT_TRUE(spinUntil([&] { return closedByPeer == kClients; }));
    });
}

}  // namespace
