#include "kite/poll_routes.h"

#include <QJsonArray>
#include <QRegularExpression>

#include "kite/sql.h"
#include "kite/uuid.h"

namespace kite::server {

namespace {

constexpr int kMaxOptions = 20;
constexpr int kMaxOptionChars = 200;
constexpr int kMaxQuestionChars = 1000;
constexpr int kMaxIdChars = 200;
// A device that connects gets the school's polls opened this recently and
// still open.
constexpr std::int64_t kGreetWithPollsOfMs = 12 * 3600 * 1000;

wire::ErrorReply failure(int status, const QString& message, const QString& field = {}) {
    return wire::ErrorReply{status, wire::errorCodeOf(status), message, field};
}

Reply toReply(const wire::ErrorReply& error) {
    return jsonReply(error.status, wire::toJson(error));
}

Reply badRequest(const QString& message, const QString& field) {
    return toReply(failure(400, message, field));
}

Reply unavailable(const Error& error) {
    return errorReply(503, QString::fromStdString(error.message));
}

bool isPresent(const QJsonValue& v) {
    return !v.isUndefined() && !v.isNull();
}

// A string of 1 to `max` characters once trimmed, or nothing.
std::optional<QString> text(const QJsonValue& v, int max) {
    if (!v.isString()) return std::nullopt;
    QString s = v.toString().trimmed();
    if (s.isEmpty() || s.size() > max) return std::nullopt;
    return s;
}

bool isLowerUuid(const QString& s) {
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return uuid.match(s).hasMatch();
}

QString resultsKey(const QString& school, const QString& poll) {
    return school + QLatin1Char('\n') + poll;
}

QJsonObject countsJson(const Poll& p) {
    QJsonObject counts;
    for (auto it = p.counts.begin(); it != p.counts.end(); ++it) counts.insert(it.key(), it.value());
    return counts;
}

// The poll as the API gives it; with its results for teachers and replies.
QJsonObject pollJson(const Poll& p, bool withResults) {
    QJsonObject o{{QStringLiteral("poll_id"), p.id},
                  {QStringLiteral("question"), p.question},
                  {QStringLiteral("state"), p.open() ? QStringLiteral("open") : QStringLiteral("closed")},
                  {QStringLiteral("opened_at"), wire::isoTime(p.opened_at)}};
    if (!p.options.isEmpty()) o.insert(QStringLiteral("options"), QJsonArray::fromStringList(p.options));
    if (!p.item.isEmpty()) o.insert(QStringLiteral("item"), p.item);
    if (!p.class_id.isEmpty()) o.insert(QStringLiteral("class"), p.class_id);
    if (!p.open()) o.insert(QStringLiteral("closed_at"), wire::isoTime(p.closed_at));
    if (withResults) {
        o.insert(QStringLiteral("counts"), countsJson(p));
        o.insert(QStringLiteral("answered"), p.answered);
    }
    return o;
}

QJsonObject resultsMessage(const QString& type, const Poll& p) {
    return {{QStringLiteral("type"), type},
            {QStringLiteral("poll_id"), p.id},
            {QStringLiteral("state"), p.open() ? QStringLiteral("open") : QStringLiteral("closed")},
            {QStringLiteral("counts"), countsJson(p)},
            {QStringLiteral("answered"), p.answered}};
}

QJsonObject openMessage(const Poll& p) {
    return {{QStringLiteral("type"), QStringLiteral("poll_open")}, {QStringLiteral("poll"), pollJson(p, false)}};
}

Reply noSuchPoll(const QString& id) {
    return toReply(failure(404, QStringLiteral("no poll '%1' in this school").arg(id.left(kMaxIdChars))));
}

// Reads the choices or the item of a new poll into `p`; the 400 if they are wrong.
std::optional<Reply> readChoices(const QJsonObject& body, Poll& p) {
    const QJsonValue options = body.value(QStringLiteral("options"));
    const QJsonValue item = body.value(QStringLiteral("item"));
    if (isPresent(options) && isPresent(item))
        return badRequest(QStringLiteral("item: give either options or item, not both"), QStringLiteral("item"));
    if (isPresent(item)) {
        if (!item.isObject())
            return badRequest(QStringLiteral("item: expected {\"course\": id, \"item\": id}"), QStringLiteral("item"));
        for (const QString& name : {QStringLiteral("course"), QStringLiteral("item")}) {
            const auto value = text(item.toObject().value(name), kMaxIdChars);
            if (!value)
                return badRequest(QStringLiteral("item.%1: expected an id of 1 to %2 characters").arg(name).arg(kMaxIdChars),
                                  QStringLiteral("item.") + name);
            p.item.insert(name, *value);
        }
        return std::nullopt;
    }
    if (!isPresent(options))
        return badRequest(QStringLiteral("options: missing; expected the choices (a list of 2 to %1 strings) or an "
                                         "item {\"course\", \"item\"}")
                              .arg(kMaxOptions),
                          QStringLiteral("options"));
    if (!options.isArray() || options.toArray().size() < 2 || options.toArray().size() > kMaxOptions)
        return badRequest(QStringLiteral("options: expected a list of 2 to %1 strings").arg(kMaxOptions),
                          QStringLiteral("options"));
    const QJsonArray list = options.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString field = QStringLiteral("options[%1]").arg(i);
        const auto value = text(list[i], kMaxOptionChars);
        if (!value)
            return badRequest(QStringLiteral("%1: expected a choice of 1 to %2 characters").arg(field).arg(kMaxOptionChars),
                              field);
        if (p.options.contains(*value))
            return badRequest(QStringLiteral("%1: '%2' is given twice").arg(field, *value), field);
        p.options << *value;
    }
    return std::nullopt;
}

}  // namespace

LivePolls::LivePolls(ServerStore& store, StreamStore& polls, StreamHub& hub)
    : store_(store), polls_(polls), hub_(hub),
      results_(std::chrono::milliseconds(100), [this](const QString& key) { sendResults(key); }) {}

void LivePolls::addRoutes(Router& router) {
    router.add(Method::Post, QStringLiteral("/v1/polls"), [this](const Request& r) { return open(r); });
    router.add(Method::Get, QStringLiteral("/v1/polls/{id}"), [this](const Request& r) { return get(r); });
    router.add(Method::Post, QStringLiteral("/v1/polls/{id}/answers"),
               [this](const Request& r) { return answerOverHttp(r); });
    router.add(Method::Post, QStringLiteral("/v1/polls/{id}/close"), [this](const Request& r) { return close(r); });
    hub_.handle(QStringLiteral("poll_answer"),
                [this](const Principal& from, const QJsonObject& m) { return answerOverStream(from, m); });
    hub_.setGreeter([this](const Principal& who) { return greet(who); });
}

Reply LivePolls::open(const Request& request) {
    auto who = authenticate(store_, request, {Role::Teacher, Role::Admin}, "open a poll");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const Principal& teacher = std::get<Principal>(who);
    const auto body = wire::parseBody(request.body());
    if (!body) return toReply(wire::toErrorReply(body.error()));

    Poll p;
    if (auto error = readChoices(*body, p)) return *error;
    const QJsonValue question = body->value(QStringLiteral("question"));
    if (isPresent(question) || p.item.isEmpty()) {
        const auto value = text(question, kMaxQuestionChars);
        if (!value)
            return badRequest(QStringLiteral("question: expected the question, 1 to %1 characters").arg(kMaxQuestionChars),
                              QStringLiteral("question"));
        p.question = *value;
    }
    if (const QJsonValue c = body->value(QStringLiteral("class")); isPresent(c)) {
        const auto value = text(c, kMaxIdChars);
        if (!value) return badRequest(QStringLiteral("class: expected a class id"), QStringLiteral("class"));
        p.class_id = *value;
    }
    p.id = newUuidV7();
    p.school = teacher.school;
    p.opened_by = teacher.subject;
    p.opened_at = nowMs();
    if (auto s = polls_.addPoll(p); !s) return unavailable(s.error());
    for (const QString& option : std::as_const(p.options)) p.counts.insert(option, 0);
    // Classes are not known here yet: a class's poll goes to the whole school
    // with its "class", and devices of other classes leave it be.
    hub_.sendToDevices(p.school, openMessage(p));
    return jsonReply(201, pollJson(p, true));
}

Reply LivePolls::get(const Request& request) {
    auto who = authenticate(store_, request, {Role::Teacher, Role::Admin, Role::Device, Role::Learner}, "see a poll");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const QString id = request.param(QStringLiteral("id"));
    auto p = polls_.poll(std::get<Principal>(who).school, id);
    if (!p) return unavailable(p.error());
    if (!p->has_value()) return noSuchPoll(id);
    return jsonReply(200, pollJson(**p, true));
}

std::variant<bool, wire::ErrorReply> LivePolls::answer(const Principal& device, const QString& pollId,
                                                       const QJsonObject& body) {
    const QJsonValue learner = body.value(QStringLiteral("learner"));
    if (!learner.isString() || !isLowerUuid(learner.toString()))
        return failure(400, QStringLiteral("learner: expected the learner's id, a lower-case UUID"),
                       QStringLiteral("learner"));
    const auto value = text(body.value(QStringLiteral("answer")), kMaxOptionChars);
    if (!value)
        return failure(400, QStringLiteral("answer: expected the answer, 1 to %1 characters").arg(kMaxOptionChars),
                       QStringLiteral("answer"));
    const auto outcome = polls_.answer(device.school, pollId, learner.toString(), device.subject, *value);
    if (!outcome) return failure(503, QString::fromStdString(outcome.error().message));
    switch (*outcome) {
    case PollAnswerOutcome::NoSuchPoll:
        return failure(404, QStringLiteral("no poll '%1' in this school").arg(pollId.left(kMaxIdChars)));
    case PollAnswerOutcome::Closed:
        return failure(409, QStringLiteral("poll '%1' is closed: it takes no more answers").arg(pollId));
    case PollAnswerOutcome::NotAnOption:
        return failure(400, QStringLiteral("answer: '%1' is not one of the poll's options").arg(*value),
                       QStringLiteral("answer"));
    case PollAnswerOutcome::Recorded:
    case PollAnswerOutcome::Replaced:
        break;
    }
    results_.mark(resultsKey(device.school, pollId));
    return *outcome == PollAnswerOutcome::Replaced;
}

Reply LivePolls::answerOverHttp(const Request& request) {
    auto who = authenticate(store_, request, {Role::Device}, "answer a poll");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const auto body = wire::parseBody(request.body());
    if (!body) return toReply(wire::toErrorReply(body.error()));
    const QString id = request.param(QStringLiteral("id"));
    const auto done = answer(std::get<Principal>(who), id, *body);
    if (const auto* error = std::get_if<wire::ErrorReply>(&done)) return toReply(*error);
    return jsonReply(200, {{QStringLiteral("poll_id"), id},
                           {QStringLiteral("learner"), body->value(QStringLiteral("learner"))},
                           {QStringLiteral("replaced"), std::get<bool>(done)}});
}

QJsonObject LivePolls::answerOverStream(const Principal& from, const QJsonObject& message) {
    const QString type = QStringLiteral("poll_answer");
    if (from.role != Role::Device)
        return StreamHub::errorMessage(
            type, failure(403, QStringLiteral("only a device token may answer a poll (this one is a %1 token)")
                                   .arg(toString(from.role))));
    const QJsonValue id = message.value(QStringLiteral("poll_id"));
    if (!id.isString())
        return StreamHub::errorMessage(
            type, failure(400, QStringLiteral("poll_id: expected the poll's id"), QStringLiteral("poll_id")));
    const auto done = answer(from, id.toString(), message);
    if (const auto* error = std::get_if<wire::ErrorReply>(&done)) {
        QJsonObject out = StreamHub::errorMessage(type, *error);
        out.insert(QStringLiteral("poll_id"), id);
        return out;
    }
    return {{QStringLiteral("type"), QStringLiteral("poll_answered")},
            {QStringLiteral("poll_id"), id},
            {QStringLiteral("learner"), message.value(QStringLiteral("learner"))},
            {QStringLiteral("replaced"), std::get<bool>(done)}};
}

Reply LivePolls::close(const Request& request) {
    auto who = authenticate(store_, request, {Role::Teacher, Role::Admin}, "close a poll");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    const QString school = std::get<Principal>(who).school;
    const QString id = request.param(QStringLiteral("id"));
    auto before = polls_.poll(school, id);
    if (!before) return unavailable(before.error());
    if (!before->has_value()) return noSuchPoll(id);
    auto closed = polls_.close(school, id);
    if (!closed) return unavailable(closed.error());
    if (!closed->has_value()) return noSuchPoll(id);
    const Poll& p = **closed;
    if ((*before)->open()) {
        // The final counts now, whatever the rate limit was holding back.
        results_.forget(resultsKey(school, id));
        hub_.sendTo(school, p.opened_by, {Role::Teacher, Role::Admin}, resultsMessage(QStringLiteral("poll_results"), p));
        hub_.sendToDevices(school, resultsMessage(QStringLiteral("poll_closed"), p));
    }
    return jsonReply(200, pollJson(p, true));
}

void LivePolls::sendResults(const QString& key) {
    const qsizetype cut = key.indexOf(QLatin1Char('\n'));
    const QString school = key.left(cut);
    auto p = polls_.poll(school, key.mid(cut + 1));
    if (!p || !p->has_value()) return;
    hub_.sendTo(school, (*p)->opened_by, {Role::Teacher, Role::Admin}, resultsMessage(QStringLiteral("poll_results"), **p));
}

// A device that connects is told of the open polls; a teacher, of the
// results so far of the open polls they opened.
QList<QJsonObject> LivePolls::greet(const Principal& who) {
    QList<QJsonObject> out;
    const bool teacher = who.role == Role::Teacher || who.role == Role::Admin;
    if (who.role != Role::Device && !teacher) return out;
    auto open = polls_.openPolls(who.school, nowMs() - kGreetWithPollsOfMs);
    if (!open) return out;
    for (const Poll& p : *open) {
        if (who.role == Role::Device) {
            out << openMessage(p);
        } else if (p.opened_by == who.subject) {
            if (auto withCounts = polls_.poll(who.school, p.id); withCounts && withCounts->has_value())
                out << resultsMessage(QStringLiteral("poll_results"), **withCounts);
        }
    }
    return out;
}

}  // namespace kite::server
