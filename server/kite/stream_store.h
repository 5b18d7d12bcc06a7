// What the stream and live polls keep, on the server thread's own SQLite
// connection (kite/sql.h): the devices that have answered for a learner (the
// core table device_learners, to poke them) and the polls with their answers
// (the part "polls"). Every call is scoped to one school. Use it only on the
// thread that opened it.
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>

#include "kite/result.h"
#include "kite/sql.h"

namespace kite::server {

struct Poll {
    QString id;
    QString school;
    QString class_id;  // empty: the whole school
    QString question;  // may be empty for an item poll
    QStringList options;  // the choices; empty for an item poll
    QJsonObject item;     // {"course", "item"} for an item poll, else empty
    QString opened_by;    // the subject of the token that opened it
    std::int64_t opened_at = 0;  // Unix ms
    std::int64_t closed_at = 0;  // Unix ms; 0 while open
    QMap<QString, int> counts;   // answers by value (every option, even at 0)
    int answered = 0;            // learners who answered

    bool open() const { return closed_at == 0; }
};

enum class PollAnswerOutcome { Recorded, Replaced, NoSuchPoll, Closed, NotAnOption };

class StreamStore {
public:
    static Result<std::unique_ptr<StreamStore>> open(const QString& dataDir);

    // The devices of `school` that have answered for any of `learners`.
    Result<QStringList> devicesOf(const QString& school, const QStringList& learners);

    // Stores a new poll (its id, school, question, options or item, class,
    // opened_by and opened_at as given).
    Status addPoll(const Poll& poll);
    // The poll `id` of `school` with its counts, or nothing (no such poll in
    // this school).
    Result<std::optional<Poll>> poll(const QString& school, const QString& id);
    // Open polls of `school` opened since `sinceMs`, oldest first, without counts.
    Result<QList<Poll>> openPolls(const QString& school, std::int64_t sinceMs);
    // Records `learner`'s answer, replacing an earlier one of the same learner.
    Result<PollAnswerOutcome> answer(const QString& school, const QString& pollId, const QString& learner,
                                     const QString& device, const QString& value);
    // Closes the poll (a closed one stays as it is) and gives it with its
    // final counts, or nothing (no such poll in this school).
    Result<std::optional<Poll>> close(const QString& school, const QString& id);

private:
    explicit StreamStore(std::unique_ptr<SqlConnection> connection) : connection_(std::move(connection)) {}
    Result<std::optional<Poll>> pollWithoutCounts(const QString& school, const QString& id);
    std::unique_ptr<SqlConnection> connection_;
};

}  // namespace kite::server
