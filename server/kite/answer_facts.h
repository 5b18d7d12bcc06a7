// What the mastery models need of a stored attempt, read from its payload.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace kite::server {

struct AnswerFacts {
    QString course;
    QStringList skills;
    bool correct = false;
};

// The payload was checked in full at push (wire::checkPayload); this reads
// only these fields, and refuses a payload without them (stored before a
// rule existed, or damaged).
std::optional<AnswerFacts> answerFacts(const QByteArray& payload);

// Facts by event (events.n), parsed once per batch for BKT and DKT; an
// answer refused by answerFacts is absent.
using FactsByEvent = std::unordered_map<std::int64_t, AnswerFacts>;

}  // namespace kite::server
