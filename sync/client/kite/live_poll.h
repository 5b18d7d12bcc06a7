// A live poll as the stream and the poll routes carry it (docs/protocol.md,
// "Live polls"): what teachers and devices both read.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace kite::client {

struct LivePoll {
    QString id;
    QString question;     // may be empty for an item's poll
    QStringList options;  // empty for an item's poll
    QString item_course;  // an item's poll: the course and item shown as the question
    QString item;
    QString class_id;     // may be empty
    bool open = true;
    // Counts by answer, in the options' order, then other answers (an item's
    // poll takes free text) by name. Teachers' copies only.
    QList<QPair<QString, int>> counts;
    int answered = 0;
};

// From a poll object (the routes' replies, "poll" of poll_open) or a
// poll_results / poll_closed message; nothing if it names no poll.
std::optional<LivePoll> parseLivePoll(const QJsonObject& json);
// The counts, state and answered of a poll_results or poll_closed message
// laid over `poll` (its question and options kept).
void applyResults(LivePoll& poll, const QJsonObject& message);

}  // namespace kite::client
