// A fault-injecting TCP proxy for end-to-end tests: it sits between an HTTP
// client (the sync engine) and a real kite-server on loopback, forwards bytes
// both ways unchanged, and on chosen requests misbehaves as networks and
// servers do: drops the connection after the server committed, answers 500
// after the commit, stalls, resets, trickles the reply, or plays a server that
// is down.
//
// It understands just enough HTTP/1.1 to act on one request/response exchange
// of a keep-alive connection: request length from its head and Content-Length
// (never chunked), response length from Content-Length, or none for 1xx, 204,
// 304 and replies to HEAD. Exchanges on a connection run one at a time: the
// next request is held until the previous reply is through (clients do not
// pipeline). A WebSocket handshake is an exchange like any other (its reply
// is the 101's head); after it, and after a reply the proxy cannot measure
// (chunked, or read to the end), the connection is a plain tunnel for the
// rest of its life and no more faults apply to it. To fault pushes only
// while a WebSocket is open, queue faults with onPath("/v1/sync/push").
//
// Threads: the proxy runs all its sockets and timers on a thread of its own,
// started by the constructor and joined by the destructor (which closes every
// socket), so it works under a test's event loop and under a blocking client
// alike. Every public method is safe to call from any thread but the proxy's
// own.
#pragma once

#include <QByteArray>
#include <QString>
#include <chrono>
#include <cstdint>
#include <memory>

namespace kite::testing {

// What the proxy does to one request/response exchange.
//
// Note for clients built on QNetworkAccessManager: it sends a request once
// more, unasked, when the connection closes or resets before any byte of the
// reply, so DropBeforeReply, ResetBeforeReply and ResetOnRequest reach such a
// client only when queued twice in a row (test_fault_proxy shows it).
struct Fault {
    enum class Kind {
        Pass,                 // forward untouched
        DropBeforeReply,      // forward the request, wait for the full reply (the
                              // server has committed), close the client with FIN
                              // without sending any of it
        Reply500AfterCommit,  // forward the request, wait for the full reply, discard
                              // it, answer 500 with a JSON body and Connection: close
        Stall,                // forward the request, hold the full reply for `stall`,
                              // then deliver it or close (afterStall)
        ResetBeforeReply,     // forward the request, wait for the full reply, then
                              // reset the client (RST) without sending any of it
        ResetOnRequest,       // reset the client (RST) as soon as the request head is
                              // in; nothing reaches the server
        Trickle,              // deliver the full reply `trickleBytes` at a time, one
                              // piece every `trickleInterval`
    };
    enum class AfterStall { Deliver, Close };

    Kind kind = Kind::Pass;
    // The fault applies only to a request whose target (path and query)
    // begins with this; empty: any request.
    QByteArray path;
    std::chrono::milliseconds stall{5000};
    AfterStall afterStall = AfterStall::Deliver;
    int trickleBytes = 7;
    std::chrono::milliseconds trickleInterval{20};

    static Fault of(Kind kind) {
        Fault f;
        f.kind = kind;
        return f;
    }
    static Fault pass() { return {}; }
    static Fault dropBeforeReply() { return of(Kind::DropBeforeReply); }
    static Fault reply500AfterCommit() { return of(Kind::Reply500AfterCommit); }
    static Fault stallFor(std::chrono::milliseconds d, AfterStall then = AfterStall::Deliver) {
        Fault f = of(Kind::Stall);
        f.stall = d;
        f.afterStall = then;
        return f;
    }
    static Fault resetBeforeReply() { return of(Kind::ResetBeforeReply); }
    static Fault resetOnRequest() { return of(Kind::ResetOnRequest); }
    static Fault trickle(int bytes = 7, std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
        Fault f = of(Kind::Trickle);
        f.trickleBytes = bytes;
        f.trickleInterval = interval;
        return f;
    }
    // The same fault, limited to requests whose target begins with `prefix`.
    Fault onPath(const QByteArray& prefix) const {
        Fault f = *this;
        f.path = prefix;
        return f;
    }
};

// A readable name for a fault kind ("DropBeforeReply"), for test messages.
const char* faultName(Fault::Kind kind);

class FaultProxy {
public:
    // Listens on 127.0.0.1 at a port of the system's choosing and forwards
    // each client connection to a new connection to upstreamHost:upstreamPort.
    // Returns once listening; port() is 0 if listening failed.
    FaultProxy(const QString& upstreamHost, std::uint16_t upstreamPort);
    // Closes every socket and joins the proxy's thread.
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    // The port clients connect to (on 127.0.0.1); 0 if not listening.
    std::uint16_t port() const { return port_; }
    // "http://127.0.0.1:<port>", a base URL for clients.
    QString url() const;

    // Faults are queued and taken one per request in arrival order: a request
    // takes the first queued fault whose `path` matches it, or the default
    // fault if none does.
    void queue(const Fault& fault, int times = 1);
    // The fault for requests that match nothing queued (Pass at first).
    void setDefault(const Fault& fault);
    // Faults still queued.
    int pending() const;
    // Drops every queued fault and makes Pass the default again.
    void clearFaults();

    // While down, the proxy plays a server that is not there: connections
    // already open are closed (FIN), and each new one is accepted and reset
    // at once (RST, as near as a listener gets to refusing). Returns after the
    // open connections were closed.
    void setDown(bool down);

    // Request heads the proxy has read (each takes a fault, Pass included).
    int requestsSeen() const;
    // Requests that took a fault other than Pass.
    int faultsApplied() const;
    // Client connections accepted (also those reset while down).
    int connectionsAccepted() const;

    struct State;  // faults and counters, shared with the proxy's thread

private:
    class Thread;

    std::unique_ptr<State> state_;    // outlives thread_
    std::unique_ptr<Thread> thread_;  // owns every socket
    std::uint16_t port_ = 0;
};

}  // namespace kite::testing
