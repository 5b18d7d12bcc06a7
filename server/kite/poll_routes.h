// Live polls (docs/protocol.md, "Live polls"): a teacher opens a question,
// the school's devices get it on their stream and answer (over HTTP or the
// stream), and the teacher's stream gets the counts as they change, at most
// ten times a second per poll. Polls and answers are kept in StreamStore.
#pragma once

#include <QJsonObject>
#include <QString>

#include <variant>

#include "kite/coalescer.h"
#include "kite/http.h"
#include "kite/server_store.h"
#include "kite/stream_hub.h"
#include "kite/stream_store.h"
#include "kite/wire.h"

namespace kite::server {

class LivePolls {
public:
    // All three are the server thread's and outlive this.
    LivePolls(ServerStore& store, StreamStore& polls, StreamHub& hub);
    LivePolls(const LivePolls&) = delete;
    LivePolls& operator=(const LivePolls&) = delete;

    // POST /v1/polls, GET /v1/polls/{id}, POST /v1/polls/{id}/answers,
    // POST /v1/polls/{id}/close; and the stream's "poll_answer" messages.
    void addRoutes(Router& router);

private:
    Reply open(const Request& request);
    Reply get(const Request& request);
    Reply answerOverHttp(const Request& request);
    Reply close(const Request& request);
    QJsonObject answerOverStream(const Principal& from, const QJsonObject& message);
    QList<QJsonObject> greet(const Principal& who);

    // Records a device's answer: whether it replaced an earlier one, or the error.
    std::variant<bool, wire::ErrorReply> answer(const Principal& device, const QString& pollId,
                                                const QJsonObject& body);
    void sendResults(const QString& key);

    ServerStore& store_;
    StreamStore& polls_;
    StreamHub& hub_;
    Coalescer results_;  // keys: school '\n' poll id
};

}  // namespace kite::server
