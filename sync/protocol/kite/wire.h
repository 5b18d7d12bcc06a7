// The sync protocol's messages (docs/protocol.md) and their JSON codec: the
// one definition the device's sync engine and kite-server both use.
//
// Every message is a plain struct with `QJsonObject toJson(const T&)` and
// `Parsed<T> parseT(const QJsonObject&)` / `parseT(const QByteArray& body)`.
// Parsing stops at the first problem and says where it is and what was wrong
// ("events[3].seq: expected a whole number from 1 to 9007199254740991, got
// -2"), in words the server can send back as they are. Members a message does
// not define are ignored, so that either side can add members without
// breaking the other. Nothing here throws; all functions are safe to call
// from any thread.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "kite/result.h"

namespace kite::wire {

// ---------------------------------------------------------------- limits

inline constexpr int kMaxEventsPerPush = 1000;
inline constexpr qsizetype kMaxBodyBytes = 4 * 1024 * 1024;  // of a body after gzip is undone
inline constexpr int kMaxJsonDepth = 32;                     // nested objects and lists, the top one counts
// Whole numbers on the wire stay within what a double holds exactly (I-JSON,
// RFC 7493), so any JSON library reads them unchanged.
inline constexpr std::int64_t kMaxWholeNumber = (std::int64_t{1} << 53) - 1;

// ---------------------------------------------------------------- errors

// What is wrong with a message, and where.
struct WireError {
    // The path of the offending value from the top of what was parsed:
    // "events[3].payload.correct", "mastery.parts"; a key that is not a plain
    // name is quoted: mastery["a.b"]. Empty: the body as a whole.
    QString field;
    // The whole sentence, starting with the field:
    // `events[3].payload.correct: expected true or false, got "yes"`.
    QString message;
    // The HTTP status a server answers with: 400, or 413 for a body or a
    // batch over the limits above.
    int status = 400;

    bool operator==(const WireError&) const = default;
};

// The outcome of parsing: a T, or the first WireError found. Used like
// kite::Result: `if (auto r = parsePushRequest(body); !r) reply(r.error());`.
template <class T>
using Parsed = Result<T, WireError>;

// The same as a kite::Result, for code that needs only the message.
template <class T>
Result<T> toResult(Parsed<T>&& parsed) {
    if (parsed.ok()) return std::move(parsed).value();
    return Error{parsed.error().message.toStdString()};
}

// Checks a request or reply body before any member is read: at most
// kMaxBodyBytes (else status 413), nested at most kMaxJsonDepth deep (checked
// by a scan of the raw bytes before Qt parses them, so a body of 100,000
// "[" is turned away at once), valid UTF-8 JSON, and an object at the top.
Parsed<QJsonObject> parseBody(const QByteArray& body);

// ---------------------------------------------------------------- errors on the wire

// The body of every 4xx reply: {"error": "bad_request", "message": "...", "field": "..."}.
struct ErrorReply {
    int status = 400;  // HTTP status; not part of the body
    QString error;     // "bad_request", "unauthorized", ... (docs/protocol.md)
    QString message;   // for people
    QString field;     // the first offending field; empty (and left out of the body) when none

    bool operator==(const ErrorReply&) const = default;
};

// The 400 (bad_request) or 413 (too_large) reply that reports `error`.
ErrorReply toErrorReply(const WireError& error);

// The `error` code of an HTTP status in docs/protocol.md's table
// ("bad_request" for 400, ...); "internal" for a status it does not have.
QString errorCodeOf(int status);

QJsonObject toJson(const ErrorReply& reply);
// `status` is taken from the table in docs/protocol.md by `error`; 0 for a
// code that table does not have (the HTTP status of the reply tells).
Parsed<ErrorReply> parseErrorReply(const QJsonObject& json);
Parsed<ErrorReply> parseErrorReply(const QByteArray& body);

// ---------------------------------------------------------------- POST /v1/enroll

struct EnrollRequest {
    QString enrollment_code;  // e.g. "K7Q4-9XPM-2D"
    QString device_name;      // e.g. "Room 12 kiosk 3"

    bool operator==(const EnrollRequest&) const = default;
};

struct EnrollReply {
    QString device_id;  // UUID
    QString token;      // secret; shown once
    QString school_id;  // UUID

    bool operator==(const EnrollReply&) const = default;
};

QJsonObject toJson(const EnrollRequest& request);
Parsed<EnrollRequest> parseEnrollRequest(const QJsonObject& json);
Parsed<EnrollRequest> parseEnrollRequest(const QByteArray& body);

QJsonObject toJson(const EnrollReply& reply);
Parsed<EnrollReply> parseEnrollReply(const QJsonObject& json);
Parsed<EnrollReply> parseEnrollReply(const QByteArray& body);

// ---------------------------------------------------------------- POST /v1/sync/push

// One outbox event. Parsing checks this envelope only; checkPayload() checks
// the kind and the payload, so that a server can reject one event it cannot
// take (a bad payload, a kind from a newer device) and accept the rest.
struct PushEvent {
    std::int64_t seq = 0;  // the device's sequence number, >= 1
    QString id;            // UUID, lowercase 8-4-4-4-12
    QString kind;          // "attempt" or "statement", as the outbox keeps it
    QJsonObject payload;   // as the device stored it (docs/store.md, "Events")

    bool operator==(const PushEvent&) const = default;
};

struct PushRequest {
    QList<PushEvent> events;  // at most kMaxEventsPerPush

    bool operator==(const PushRequest&) const = default;
};

// An event the server will never take, and why: "payload.item: no item 'x' in course 'fractions'".
struct Rejection {
    QString id;
    QString reason;

    bool operator==(const Rejection&) const = default;
};

struct PushReply {
    int accepted = 0;
    int duplicate = 0;
    QList<Rejection> rejected;
    std::int64_t max_seq = 0;  // the highest sequence the server holds for this device; 0: none

    bool operator==(const PushReply&) const = default;
};

QJsonObject toJson(const PushEvent& event);
Parsed<PushEvent> parsePushEvent(const QJsonObject& json);
Parsed<PushEvent> parsePushEvent(const QByteArray& body);

QJsonObject toJson(const PushRequest& request);
// More than kMaxEventsPerPush events is a 413 error on field "events".
Parsed<PushRequest> parsePushRequest(const QJsonObject& json);
Parsed<PushRequest> parsePushRequest(const QByteArray& body);

QJsonObject toJson(const PushReply& reply);
Parsed<PushReply> parsePushReply(const QJsonObject& json);
Parsed<PushReply> parsePushReply(const QByteArray& body);

// ---------------------------------------------------------------- event payloads

// The payload of an "attempt" event: one answer (docs/store.md, "Events").
struct AttemptPayload {
    QString id;       // the event's id (UUID)
    QString device;   // UUID
    QString learner;  // UUID
    QString course;
    int course_version = 0;  // >= 1
    QString item;
    QStringList skills;    // the item's skills, in course order
    QJsonObject response;  // the answer as graded, kept as it is
    bool correct = false;
    double score = 0.0;             // in [0, 1]
    int hints_used = 0;             // >= 0
    std::int64_t duration_ms = 0;   // time on the item, >= 0
    std::int64_t answered_at = 0;   // Unix ms; on the wire ISO 8601 UTC "2026-11-24T05:12:03.114Z"
    QMap<QString, double> mastery;  // skill (one of `skills`) -> P(known) in [0, 1] after the answer

    bool operator==(const AttemptPayload&) const = default;
};

QJsonObject toJson(const AttemptPayload& payload);
// Field paths are relative to the payload ("correct").
Parsed<AttemptPayload> parseAttemptPayload(const QJsonObject& json);
Parsed<AttemptPayload> parseAttemptPayload(const QByteArray& body);

// A "statement" payload is an xAPI statement, kept as it is for a Learning
// Record Store. Checked only for its shape: `id` (UUID), `actor`, `verb` and
// `object` (objects) and `timestamp` (ISO 8601 UTC); returns it unchanged.
Parsed<QJsonObject> parseStatementPayload(const QJsonObject& json);
Parsed<QJsonObject> parseStatementPayload(const QByteArray& body);

// Checks that the event's kind is "attempt" or "statement", its payload by
// that kind, and that the payload's id is the event's. Field paths are
// relative to the event ("payload.correct: expected true or false, got
// \"yes\"", "kind: ..."): the message is a Rejection::reason as it is.
Parsed<Done> checkPayload(const PushEvent& event);

// ---------------------------------------------------------------- GET /v1/sync/pull

enum class MasteryModel { Bkt, Dkt };

// A learner's mastery of a skill as the server computed it.
struct MasteryChange {
    QString learner;  // UUID
    QString course;
    QString skill;
    MasteryModel model = MasteryModel::Bkt;
    // In [0, 1]. Bkt: P(known) at the next answer, "p_known" on the wire;
    // Dkt: P(correct) at the next answer, "p_correct" on the wire.
    double probability = 0.0;
    std::int64_t covers_seq = 0;  // the highest device sequence this estimate includes, >= 0
    std::int64_t at = 0;          // Unix ms; on the wire ISO 8601 UTC

    bool operator==(const MasteryChange&) const = default;
};

// Fitted BKT parameters of one skill; each a probability in [0, 1].
struct BktParamsChange {
    QString course;
    QString skill;
    double prior = 0.0;
    double learn = 0.0;
    double forget = 0.0;
    double guess = 0.0;
    double slip = 0.0;

    bool operator==(const BktParamsChange&) const = default;
};

// A newer version of a course package, to fetch from /v1/courses/{id}/package.
struct CourseChange {
    QString id;
    int version = 0;        // >= 1
    QString sha256;         // of the package, 64 lowercase hex digits
    std::int64_t size = 0;  // bytes

    bool operator==(const CourseChange&) const = default;
};

struct LearnerChange {
    QString id;  // UUID
    QString name;
    QString colour;    // "#rrggbb"
    QString pin_hash = {};  // "" without a PIN ("has_pin": false); the scheme of kite/pin_hash.h
    bool removed = false;  // gone for good from the school's roster

    bool operator==(const LearnerChange&) const = default;
};

// One entry of `changes`; its "kind" on the wire is "mastery", "bkt_params",
// "course" or "learner".
using PullChange = std::variant<MasteryChange, BktParamsChange, CourseChange, LearnerChange>;

struct PullReply {
    QList<PullChange> changes;
    QString cursor;  // opaque: send it back as ?cursor=
    bool more = false;

    bool operator==(const PullReply&) const = default;
};

QJsonObject toJson(const PullChange& change);
Parsed<PullChange> parsePullChange(const QJsonObject& json);
Parsed<PullChange> parsePullChange(const QByteArray& body);

QJsonObject toJson(const PullReply& reply);
// Skips changes of a kind (or a mastery model) this version does not know,
// so that a newer server can send new kinds to older devices.
Parsed<PullReply> parsePullReply(const QJsonObject& json);
Parsed<PullReply> parsePullReply(const QByteArray& body);

// ---------------------------------------------------------------- times

// ISO 8601 UTC with milliseconds, "2026-11-24T05:12:03.114Z", of Unix ms.
QString isoTime(std::int64_t unixMs);
// Unix ms of "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (UTC only; digits after the
// milliseconds are dropped); nothing for any other text or an invalid date.
std::optional<std::int64_t> parseIsoTime(const QString& text);

}  // namespace kite::wire
