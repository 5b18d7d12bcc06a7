#include "kite/live_poll.h"

#include <QJsonArray>

#include <algorithm>

namespace kite::client {

std::optional<LivePoll> parseLivePoll(const QJsonObject& json) {
    const QString id = json.value(QLatin1String("poll_id")).toString();
    if (id.isEmpty()) return std::nullopt;
    LivePoll p;
    p.id = id;
    p.question = json.value(QLatin1String("question")).toString();
    for (const QJsonValue& option : json.value(QLatin1String("options")).toArray())
        if (option.isString()) p.options << option.toString();
    const QJsonObject item = json.value(QLatin1String("item")).toObject();
    p.item_course = item.value(QLatin1String("course")).toString();
    p.item = item.value(QLatin1String("item")).toString();
    p.class_id = json.value(QLatin1String("class")).toString();
    applyResults(p, json);
    return p;
}

void applyResults(LivePoll& poll, const QJsonObject& message) {
    if (const QJsonValue state = message.value(QLatin1String("state")); state.isString())
        poll.open = state.toString() != QLatin1String("closed");
    if (const QJsonValue answered = message.value(QLatin1String("answered")); answered.isDouble())
        poll.answered = answered.toInt();
    const QJsonValue counts = message.value(QLatin1String("counts"));
    if (!counts.isObject() && !poll.options.isEmpty() && poll.counts.isEmpty()) {
        for (const QString& option : std::as_const(poll.options)) poll.counts.append({option, 0});
        return;
    }
    if (!counts.isObject()) return;
    const QJsonObject byAnswer = counts.toObject();
    poll.counts.clear();
    for (const QString& option : std::as_const(poll.options))
        poll.counts.append({option, byAnswer.value(option).toInt()});
    QStringList others;
    for (auto it = byAnswer.begin(); it != byAnswer.end(); ++it)
        if (!poll.options.contains(it.key())) others << it.key();
    std::sort(others.begin(), others.end());
    for (const QString& answer : std::as_const(others)) poll.counts.append({answer, byAnswer.value(answer).toInt()});
}

}  // namespace kite::client
