// The sync protocol's wire types (kite/wire.h): every message survives a
// round trip through JSON text, every malformed input is refused with the
// path of the first bad value and a sentence saying what was expected and
// what was there, and what the device's store puts in its outbox is what
// the server accepts.

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <functional>
#include <ostream>

#include "kite/course.h"
#include "kite/pin_hash.h"
#include "kite/store.h"
#include "kite/wire.h"

// Failures show QStrings as text rather than as UTF-16 code units.
QT_BEGIN_NAMESPACE
inline void PrintTo(const QString& s, std::ostream* os) {
    *os << '"' << s.toStdString() << '"';
}
QT_END_NAMESPACE

namespace kite::wire {
namespace {

const QString kEventId = QStringLiteral("01a20bf3-c392-7292-9b71-500a86786ecd");
const QString kDeviceId = QStringLiteral("01a20bf3-0000-7000-8000-000000000001");
const QString kLearnerId = QStringLiteral("01a20bf3-0000-7000-8000-000000000002");
const QString kSchoolId = QStringLiteral("01a20bf3-0000-7000-8000-000000000003");
constexpr std::int64_t kAnsweredAt = 1'795'497'123'114;  // 2026-11-24T05:12:03.114Z

QByteArray text(const QJsonObject& json) {
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// The attempt payload of docs/store.md, "Events", with its "…" filled in.
QByteArray documentedAttempt() {
    return QStringLiteral(R"({"id": "%1", "device": "%2", "learner": "%3",
 "course": "fractions", "course_version": 1, "item": "parts-03",
 "skills": ["parts-of-a-whole"], "response": {"choice": 2}, "correct": true,
 "score": 1, "hints_used": 0, "duration_ms": 8120,
 "answered_at": "2026-11-24T05:12:03.114Z", "mastery": {"parts-of-a-whole": 0.61}})")
        .arg(kEventId, kDeviceId, kLearnerId)
        .toUtf8();
}

// The statement payload of docs/store.md, "Events".
QByteArray documentedStatement() {
    return QStringLiteral(R"({"id": "%1",
 "actor": {"objectType": "Agent", "account": {"homePage": "urn:kite:device:%2", "name": "%3"}},
 "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated", "display": {"en-US": "closed"}},
 "object": {"objectType": "Activity", "id": "urn:kite:course:fractions:lesson:parts",
            "definition": {"type": "http://adlnet.gov/expapi/activities/lesson"}},
 "result": {"duration": "PT95.000S"},
 "timestamp": "2026-11-24T05:12:03.114Z"})")
        .arg(kEventId, kDeviceId, kLearnerId)
        .toUtf8();
}

AttemptPayload sampleAttempt() {
    AttemptPayload a;
    a.id = kEventId;
    a.device = kDeviceId;
    a.learner = kLearnerId;
    a.course = QStringLiteral("fractions");
    a.course_version = 2;
    a.item = QStringLiteral("parts-03");
    a.skills = QStringList{QStringLiteral("parts-of-a-whole"), QStringLiteral("naming-fractions")};
    a.response = QJsonObject{{QStringLiteral("choice"), 2}};
    a.correct = true;
    a.score = 0.5;
    a.hints_used = 1;
    a.duration_ms = 8120;
    a.answered_at = kAnsweredAt;
    a.mastery = {{QStringLiteral("parts-of-a-whole"), 0.61}, {QStringLiteral("naming-fractions"), 0.3}};
    return a;
}

PushEvent sampleEvent(std::int64_t seq) {
    return PushEvent{seq, kEventId, QStringLiteral("attempt"), toJson(sampleAttempt())};
}

template <class T>
std::string describeFailure(const Parsed<T>& parsed) {
    return parsed.ok() ? std::string() : parsed.error().message.toStdString();
}

// Each message through JSON text and back must be unchanged.
template <class T>
void expectRoundTrip(const T& value, Parsed<T> (*parse)(const QByteArray&)) {
    const Parsed<T> back = parse(text(toJson(value)));
    ASSERT_TRUE(back.ok()) << describeFailure(back);
    EXPECT_EQ(back.value(), value);
}

// ------------------------------------------------------------------ round trips

TEST(WireRoundTrip, ErrorReplyKeepsEverythingButTheStatusWhichComesFromTheCode) {
    const ErrorReply reply{413, QStringLiteral("too_large"), QStringLiteral("events: too many"),
                           QStringLiteral("events")};
    expectRoundTrip(reply, parseErrorReply);
    const ErrorReply noField{401, QStringLiteral("unauthorized"), QStringLiteral("unknown token"), QString()};
    EXPECT_FALSE(toJson(noField).contains(QStringLiteral("field")));
    expectRoundTrip(noField, parseErrorReply);
}

TEST(WireRoundTrip, ErrorReplyWithACodeFromANewerServerHasNoStatus) {
    const auto reply = parseErrorReply(QByteArray(R"({"error": "teapot", "message": "short and stout"})"));
    ASSERT_TRUE(reply.ok()) << describeFailure(reply);
    EXPECT_EQ(reply->status, 0);
    EXPECT_EQ(reply->error, "teapot");
}

TEST(WireRoundTrip, Enrollment) {
    expectRoundTrip(EnrollRequest{QStringLiteral("K7Q4-9XPM-2D"), QStringLiteral("Room 12 kiosk 3")},
                    parseEnrollRequest);
    expectRoundTrip(EnrollReply{kDeviceId, QStringLiteral("3q2-7wEAAAA_secret"), kSchoolId}, parseEnrollReply);
}

TEST(WireRoundTrip, PushEventRequestAndReply) {
    expectRoundTrip(sampleEvent(2063), parsePushEvent);
    PushRequest request;
    request.events = {sampleEvent(1), sampleEvent(kMaxWholeNumber)};
    request.events[1].kind = QStringLiteral("statement");
    request.events[1].payload = QJsonDocument::fromJson(documentedStatement()).object();
    expectRoundTrip(request, parsePushRequest);
    expectRoundTrip(PushRequest{}, parsePushRequest);

    PushReply reply;
    reply.accepted = 2;
    reply.duplicate = 1;
    reply.rejected = {{kEventId, QStringLiteral("payload.item: no item 'x' in course 'fractions'")}};
    reply.max_seq = 2064;
    expectRoundTrip(reply, parsePushReply);
}

TEST(WireRoundTrip, AttemptPayload) {
    expectRoundTrip(sampleAttempt(), parseAttemptPayload);
    EXPECT_EQ(toJson(sampleAttempt()).value(QStringLiteral("answered_at")).toString(), "2026-11-24T05:12:03.114Z");
}

TEST(WireRoundTrip, StatementPayloadIsKeptAsItIs) {
    const QJsonObject statement = QJsonDocument::fromJson(documentedStatement()).object();
    const auto parsed = parseStatementPayload(documentedStatement());
    ASSERT_TRUE(parsed.ok()) << describeFailure(parsed);
    EXPECT_EQ(parsed.value(), statement);
}

TEST(WireRoundTrip, EveryKindOfPullChange) {
    const QList<PullChange> changes{
        MasteryChange{kLearnerId, QStringLiteral("fractions"), QStringLiteral("parts"), MasteryModel::Bkt, 0.83, 2064,
                      kAnsweredAt},
        MasteryChange{kLearnerId, QStringLiteral("fractions"), QStringLiteral("parts"), MasteryModel::Dkt, 0.77, 0,
                      kAnsweredAt + 1},
        BktParamsChange{QStringLiteral("fractions"), QStringLiteral("parts"), 0.4, 0.2, 0.0, 0.2, 0.1},
        CourseChange{QStringLiteral("fractions"), 2, QString(64, QLatin1Char('a')), 81234},
        LearnerChange{kLearnerId, QStringLiteral("Ada"), QStringLiteral("#2a7ab0")},
        LearnerChange{kLearnerId, QStringLiteral("Ada"), QStringLiteral("#2a7ab0"), kite::hashPin(QStringLiteral("2468"))},
        LearnerChange{kLearnerId, QStringLiteral("Ada"), QStringLiteral("#2a7ab0"), QString(), true},
    };
    for (const PullChange& change : changes) expectRoundTrip(change, parsePullChange);
    expectRoundTrip(PullReply{changes, QStringLiteral("c-2064"), true}, parsePullReply);
}

TEST(WireRoundTrip, MasteryModelsUseTheirOwnProbabilityName) {
    const QJsonObject bkt = toJson(PullChange{MasteryChange{kLearnerId, "f", "s", MasteryModel::Bkt, 0.5, 1, 0}});
    const QJsonObject dkt = toJson(PullChange{MasteryChange{kLearnerId, "f", "s", MasteryModel::Dkt, 0.5, 1, 0}});
    EXPECT_TRUE(bkt.contains(QStringLiteral("p_known")));
    EXPECT_TRUE(dkt.contains(QStringLiteral("p_correct")));
    EXPECT_EQ(bkt.value(QStringLiteral("model")).toString(), "bkt");
    EXPECT_EQ(dkt.value(QStringLiteral("model")).toString(), "dkt");
}

TEST(WireTimes, IsoTimesRoundTripAndRefuseWhatIsNotUtc) {
    for (const std::int64_t ms : {std::int64_t{0}, kAnsweredAt, std::int64_t{-1}, std::int64_t{951'782'400'000}})
        EXPECT_EQ(parseIsoTime(isoTime(ms)), ms) << isoTime(ms).toStdString();
    EXPECT_EQ(isoTime(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(parseIsoTime(QStringLiteral("2026-11-24T05:12:03Z")), kAnsweredAt - 114);
    EXPECT_EQ(parseIsoTime(QStringLiteral("2026-11-24T05:12:03.114999Z")), kAnsweredAt);
    for (const char* bad : {"2026-11-24T05:12:03.114+01:00", "2026-11-24 05:12:03Z", "2026-02-30T00:00:00Z",
                            "2026-11-24T24:00:00Z", "2026-11-24T05:12:03.Z", "", "yesterday"})
        EXPECT_FALSE(parseIsoTime(QString::fromLatin1(bad))) << bad;
}

// ------------------------------------------------------------------ malformed input

struct Malformed {
    const char* name;
    std::function<Parsed<Done>(const QByteArray&)> parse;
    QByteArray body;
    QString field;
    QString message;
    int status = 400;
};

// Adapts parseX to the table: only whether and how it failed matters.
template <class T>
std::function<Parsed<Done>(const QByteArray&)> failureOf(Parsed<T> (*parse)(const QByteArray&)) {
    return [parse](const QByteArray& body) -> Parsed<Done> {
        Parsed<T> parsed = parse(body);
        if (!parsed) return parsed.error();
        return Done{};
    };
}

// A push of one event whose members are `event` with the given changes.
QByteArray pushWith(const QJsonObject& changes, const QStringList& removed = {}) {
    QJsonObject event = toJson(sampleEvent(7));
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) event.insert(it.key(), it.value());
    for (const QString& key : removed) event.remove(key);
    return text(QJsonObject{{QStringLiteral("events"), QJsonArray{event}}});
}

// An attempt payload with `member` set to the JSON text `value` (or removed when empty).
QByteArray attemptWith(const char* member, const QByteArray& value) {
    QJsonObject payload = toJson(sampleAttempt());
    payload.remove(QLatin1String(member));
    QByteArray json = text(payload);
    if (!value.isEmpty()) json.insert(1, "\"" + QByteArray(member) + "\":" + value + ",");
    return json;
}

// The first event of a push, checked as a server checks it before taking it.
Parsed<Done> checkFirstEvent(const QByteArray& body) {
    const auto request = parsePushRequest(body);
    if (!request) return request.error();
    return checkPayload(request->events.at(0));
}

QByteArray pushOfPayload(const QByteArray& kind, const QByteArray& payload) {
    return "{\"events\": [{\"seq\": 1, \"id\": \"" + kEventId.toLatin1() + "\", \"kind\": \"" + kind +
           "\", \"payload\": " + payload + "}]}";
}

QByteArray pullOf(const QByteArray& change) {
    return R"({"cursor": "c", "more": false, "changes": [)" + change + "]}";
}

const QByteArray kMasteryChange = R"({"kind": "mastery", "learner": ")" + kLearnerId.toLatin1() +
                                  R"(", "course": "fractions", "skill": "parts", "model": "dkt", "p_correct": 0.7,
 "covers_seq": 5, "at": "2026-11-24T05:12:03.114Z"})";

QByteArray replace(QByteArray text, const QByteArray& from, const QByteArray& to) {
    return text.replace(from, to);
}

const QString kSeqExpected = QStringLiteral("expected a whole number from 1 to 9007199254740991");
const QString kUuidExpected = QStringLiteral("expected a lowercase UUID like \"01a20bf3-c392-7292-9b71-500a86786ecd\"");

std::vector<Malformed> malformedInputs() {
    const auto push = failureOf(parsePushRequest);
    const auto attempt = failureOf(parseAttemptPayload);
    const auto pull = failureOf(parsePullReply);
    const QByteArray tooManyEvents = R"({"events": [{})" + QByteArray(",{}").repeated(kMaxEventsPerPush) + "]}";
    return {
        // The body as a whole.
        {"deeply nested lists", push, QByteArray(100'000, '['), "",
         "the body nests lists and objects more than 32 deep (at byte 32)"},
        {"deeply nested objects", push, QByteArray("{\"a\":").repeated(40) + "1" + QByteArray("}").repeated(40), "",
         "the body nests lists and objects more than 32 deep (at byte 160)"},
        {"deeper than Qt's own limit", push, QByteArray(2000, '[') + QByteArray(2000, ']'), "",
         "the body nests lists and objects more than 32 deep (at byte 32)"},
        {"a list at the top", push, "[]", "", "expected a JSON object, got a list"},
        {"a number at the top", push, " 42 ", "", "expected a JSON object, got 42"},
        {"a string at the top", push, "\"events\"", "", "expected a JSON object, got \"events\""},
        {"null at the top", push, "null", "", "expected a JSON object, got null"},
        {"an empty body", push, " \n", "", "the body is empty; expected a JSON object"},
        {"invalid UTF-8", push, "{\"events\": [], \"x\": \"\xff\xfe\"}", "",
         "the body is not valid JSON: invalid UTF8 string at byte 21"},
        {"cut short", push, "{\"events\": [", "", "the body is not valid JSON: unterminated array at byte 12"},
        {"a bare NaN", attempt, attemptWith("score", "NaN"), "",
         "the body is not valid JSON: illegal number at byte 9"},
        {"a number too large for a double", attempt, attemptWith("score", "1e999"), "",
         "the body is not valid JSON: illegal number at byte 14"},
        {"over 4 MB", push, "{\"x\": \"" + QByteArray(kMaxBodyBytes, 'x') + "\"}", "",
         "the body is 4194313 bytes; at most 4194304 are accepted", 413},

        // The push envelope.
        {"no events", push, "{}", "events", "events: missing; expected a list"},
        {"events not a list", push, R"({"events": {"seq": 1}})", "events", "events: expected a list, got an object"},
        {"too many events", push, tooManyEvents, "events", "events: 1001 entries; at most 1000 are accepted at once",
         413},
        {"an event that is not an object", push, R"({"events": [5]})", "events[0]",
         "events[0]: expected an object, got 5"},
        {"negative seq", push, pushWith({{"seq", -2}}), "events[0].seq", "events[0].seq: " + kSeqExpected + ", got -2"},
        {"seq zero", push, pushWith({{"seq", 0}}), "events[0].seq", "events[0].seq: " + kSeqExpected + ", got 0"},
        {"fractional seq", push, pushWith({{"seq", 1.5}}), "events[0].seq",
         "events[0].seq: " + kSeqExpected + ", got 1.5"},
        {"seq as a string", push, pushWith({{"seq", "7"}}), "events[0].seq",
         "events[0].seq: " + kSeqExpected + ", got \"7\""},
        {"huge seq", push, replace(pushWith({}), "\"seq\":7", "\"seq\":1e300"), "events[0].seq",
         "events[0].seq: " + kSeqExpected + ", got 1e+300"},
        {"seq beyond exact doubles", push, replace(pushWith({}), "\"seq\":7", "\"seq\":9007199254740993"),
         "events[0].seq", "events[0].seq: " + kSeqExpected + ", got 9007199254740993"},
        {"no seq", push, pushWith({}, {"seq"}), "events[0].seq",
         "events[0].seq: missing; expected a whole number from 1 to 9007199254740991"},
        {"uppercase UUID", push, pushWith({{"id", kEventId.toUpper()}}), "events[0].id",
         "events[0].id: " + kUuidExpected + ", got \"01A20BF3-C392-7292-9B71-500A86786ECD\""},
        {"UUID without dashes", push, pushWith({{"id", "01a20bf3c3927292 9b71500a86786ecd"}}), "events[0].id",
         "events[0].id: " + kUuidExpected + ", got \"01a20bf3c3927292 9b71500a86786ecd\""},
        {"UUID in braces", push, pushWith({{"id", "{" + kEventId + "}"}}), "events[0].id",
         "events[0].id: " + kUuidExpected + ", got \"{01a20bf3-c392-7292-9b71-500a86786ecd}\""},
        {"UUID as a number", push, pushWith({{"id", 12}}), "events[0].id",
         "events[0].id: " + kUuidExpected + ", got 12"},
        {"a very long id is cut short in the message", push, pushWith({{"id", QString(1000, QLatin1Char('z'))}}),
         "events[0].id", "events[0].id: " + kUuidExpected + ", got \"" + QString(60, QLatin1Char('z')) + "...\""},
        {"kind not a string", push, pushWith({{"kind", true}}), "events[0].kind",
         "events[0].kind: expected a non-empty string, got true"},
        {"payload a list", push, pushWith({{"payload", QJsonArray{1}}}), "events[0].payload",
         "events[0].payload: expected an object, got a list"},
        {"payload a JSON text in a string", push, pushWith({{"payload", "{}"}}), "events[0].payload",
         "events[0].payload: expected an object, got \"{}\""},

        // An event's kind and payload, as the server checks each event.
        {"unknown kind", checkFirstEvent, pushWith({{"kind", "poll"}}), "kind",
         "kind: expected \"attempt\" or \"statement\", got \"poll\""},
        {"correct as yes", checkFirstEvent, pushOfPayload("attempt", attemptWith("correct", "\"yes\"")),
         "payload.correct", "payload.correct: expected true or false, got \"yes\""},
        {"payload with another id", checkFirstEvent,
         pushOfPayload("attempt", attemptWith("id", "\"01a20bf3-c392-7292-9b71-500a86786ece\"")), "payload.id",
         "payload.id: expected the event's id \"01a20bf3-c392-7292-9b71-500a86786ecd\", got "
         "\"01a20bf3-c392-7292-9b71-500a86786ece\""},
        {"statement without a verb", checkFirstEvent,
         pushOfPayload("statement", replace(documentedStatement(), "\"verb\"", "\"verbs\"")), "payload.verb",
         "payload.verb: missing; expected an object"},
        {"statement with a local time", checkFirstEvent,
         pushOfPayload("statement", replace(documentedStatement(), "03.114Z", "03.114+01:00")), "payload.timestamp",
         "payload.timestamp: expected a UTC time like \"2026-11-24T05:12:03.114Z\", got "
         "\"2026-11-24T05:12:03.114+01:00\""},
        {"statement with an actor as text", checkFirstEvent,
         pushOfPayload("statement", R"({"id": ")" + kEventId.toLatin1() + R"(", "actor": "Ada"})"), "payload.actor",
         "payload.actor: expected an object, got \"Ada\""},

        // An attempt payload on its own.
        {"correct as a number", attempt, attemptWith("correct", "1"), "correct",
         "correct: expected true or false, got 1"},
        {"score as NaN text", attempt, attemptWith("score", "\"NaN\""), "score",
         "score: expected a number from 0 to 1, got \"NaN\""},
        {"score as Infinity text", attempt, attemptWith("score", "\"Infinity\""), "score",
         "score: expected a number from 0 to 1, got \"Infinity\""},
        {"score over 1", attempt, attemptWith("score", "1.5"), "score",
         "score: expected a number from 0 to 1, got 1.5"},
        {"score null", attempt, attemptWith("score", "null"), "score",
         "score: expected a number from 0 to 1, got null"},
        {"negative hints", attempt, attemptWith("hints_used", "-1"), "hints_used",
         "hints_used: expected a whole number from 0 to 2147483647, got -1"},
        {"huge duration", attempt, attemptWith("duration_ms", "1e20"), "duration_ms",
         "duration_ms: expected a whole number from 0 to 9007199254740991, got 1e+20"},
        {"course version zero", attempt, attemptWith("course_version", "0"), "course_version",
         "course_version: expected a whole number from 1 to 2147483647, got 0"},
        {"blank item", attempt, attemptWith("item", "\"  \""), "item", "item: expected a non-empty string, got \"  \""},
        {"no learner", attempt, attemptWith("learner", ""), "learner", "learner: missing; " + kUuidExpected},
        {"answered at in local time", attempt, attemptWith("answered_at", "\"2026-11-24T06:12:03.114+01:00\""),
         "answered_at",
         "answered_at: expected a UTC time like \"2026-11-24T05:12:03.114Z\", got \"2026-11-24T06:12:03.114+01:00\""},
        {"answered at as Unix ms", attempt, attemptWith("answered_at", "1795497123114"), "answered_at",
         "answered_at: expected a UTC time like \"2026-11-24T05:12:03.114Z\", got 1795497123114"},
        {"answered at on no such day", attempt, attemptWith("answered_at", "\"2026-02-30T05:12:03.114Z\""),
         "answered_at",
         "answered_at: expected a UTC time like \"2026-11-24T05:12:03.114Z\", got \"2026-02-30T05:12:03.114Z\""},
        {"a skill that is not text", attempt, attemptWith("skills", "[\"parts\", 3]"), "skills[1]",
         "skills[1]: expected a non-empty string, got 3"},
        {"response as text", attempt, attemptWith("response", "\"2\""), "response",
         "response: expected an object, got \"2\""},
        {"mastery over 1", attempt, attemptWith("mastery", R"({"parts-of-a-whole": 1.2, "naming-fractions": 0.5})"),
         "mastery.parts-of-a-whole", "mastery.parts-of-a-whole: expected a number from 0 to 1, got 1.2"},
        {"mastery of a skill the item does not have", attempt, attemptWith("mastery", R"({"geometry": 0.5})"),
         "mastery.geometry", "mastery.geometry: expected one of the skills in \"skills\", got \"geometry\""},
        {"a key that is not a plain name is quoted", attempt, attemptWith("mastery", R"({"a.b c": 0.5})"),
         "mastery[\"a.b c\"]", "mastery[\"a.b c\"]: expected one of the skills in \"skills\", got \"a.b c\""},

        // Replies.
        {"rejection with a bad id", failureOf(parsePushReply),
         R"({"accepted": 0, "duplicate": 0, "max_seq": 0, "rejected": [{"id": "x", "reason": "r"}]})", "rejected[0].id",
         "rejected[0].id: " + kUuidExpected + ", got \"x\""},
        {"negative max_seq", failureOf(parsePushReply),
         R"({"accepted": 0, "duplicate": 0, "rejected": [], "max_seq": -1})", "max_seq",
         "max_seq: expected a whole number from 0 to 9007199254740991, got -1"},
        {"enrollment without a device name", failureOf(parseEnrollRequest), R"({"enrollment_code": "K7Q4"})",
         "device_name", "device_name: missing; expected a non-empty string"},
        {"enrolled school that is not a UUID", failureOf(parseEnrollReply),
         R"({"device_id": ")" + kDeviceId.toLatin1() + R"(", "token": "t", "school_id": 7})", "school_id",
         "school_id: " + kUuidExpected + ", got 7"},
        {"error reply without an error", failureOf(parseErrorReply), R"({"message": "m"})", "error",
         "error: missing; expected a non-empty string"},
        {"dkt mastery with p_known", pull, pullOf(replace(kMasteryChange, "p_correct", "p_known")),
         "changes[0].p_correct", "changes[0].p_correct: missing; expected a number from 0 to 1"},
        {"a change kind that is not text", pull, pullOf(R"({"kind": 3})"), "changes[0].kind",
         "changes[0].kind: expected \"mastery\", \"bkt_params\", \"course\" or \"learner\", got 3"},
        {"bkt guess over 1", pull,
         pullOf(R"({"kind": "bkt_params", "course": "f", "skill": "s", "prior": 0.4, "learn": 0.2, "forget": 0,
                    "guess": 2, "slip": 0.1})"),
         "changes[0].guess", "changes[0].guess: expected a number from 0 to 1, got 2"},
        {"course with an uppercase hash", pull,
         pullOf(R"({"kind": "course", "id": "f", "version": 2, "size": 1, "sha256": ")" + QByteArray(64, 'A') + "\"}"),
         "changes[0].sha256",
         "changes[0].sha256: expected a SHA-256 as 64 lowercase hex digits, got \"" + QString(60, QLatin1Char('A')) +
             "...\""},
        {"learner with a named colour", pull,
         pullOf(R"({"kind": "learner", "id": ")" + kLearnerId.toLatin1() + R"(", "name": "Ada", "colour": "blue"})"),
         "changes[0].colour", "changes[0].colour: expected a colour like \"#2a7ab0\", got \"blue\""},
        {"learner with a PIN of another scheme", pull,
         pullOf(R"({"kind": "learner", "id": ")" + kLearnerId.toLatin1() +
                R"(", "name": "Ada", "colour": "#2a7ab0", "has_pin": true, "pin_hash": "abc$def"})"),
         "changes[0].pin_hash",
         "changes[0].pin_hash: expected a PIN hash \"pbkdf2-sha256$ITERATIONS$SALT$KEY\", got \"abc$def\""},
        {"learner with a PIN but no hash", pull,
         pullOf(R"({"kind": "learner", "id": ")" + kLearnerId.toLatin1() +
                R"(", "name": "Ada", "colour": "#2a7ab0", "has_pin": true})"),
         "changes[0].pin_hash", "changes[0].pin_hash: missing; expected a PIN hash \"pbkdf2-sha256$ITERATIONS$SALT$KEY\""},
        {"more as text", failureOf(parsePullReply), R"({"changes": [], "cursor": "c", "more": "false"})", "more",
         "more: expected true or false, got \"false\""},
        {"no cursor", failureOf(parsePullReply), R"({"changes": [], "more": false})", "cursor",
         "cursor: missing; expected a string"},
    };
}

TEST(WireMalformed, EachInputNamesItsFieldAndSaysWhatWasWrong) {
    for (const Malformed& m : malformedInputs()) {
        SCOPED_TRACE(m.name);
        const Parsed<Done> parsed = m.parse(m.body);
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error().field, m.field);
        EXPECT_EQ(parsed.error().message, m.message);
        EXPECT_EQ(parsed.error().status, m.status);
    }
}

TEST(WireMalformed, ErrorsBecomeTheProtocolsErrorReplies) {
    auto bad = parsePushRequest(pushWith({{"seq", -2}}));
    ASSERT_FALSE(bad.ok());
    const ErrorReply reply = toErrorReply(bad.error());
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(toJson(reply), (QJsonObject{{"error", "bad_request"},
                                          {"message", "events[0].seq: " + kSeqExpected + ", got -2"},
                                          {"field", "events[0].seq"}}));
    const auto big = parseBody(QByteArray(kMaxBodyBytes + 1, ' '));
    ASSERT_FALSE(big.ok());
    EXPECT_EQ(toErrorReply(big.error()).error, "too_large");
    EXPECT_EQ(toErrorReply(big.error()).status, 413);
    EXPECT_EQ(toResult(std::move(bad)).error().message, "events[0].seq: " + kSeqExpected.toStdString() + ", got -2");
}

TEST(WireMalformed, DeepNestingIsTurnedAwayWithoutParsing) {
    const QByteArray deep = QByteArray(4'000'000, '[');
    QElapsedTimer timer;
    timer.start();
    const auto parsed = parseBody(deep);
    EXPECT_FALSE(parsed.ok());
    EXPECT_LT(timer.elapsed(), 100) << "ms for a body of 4,000,000 '['";
}

TEST(WireMalformed, NestingUpToTheLimitIsAcceptedAndBracketsInStringsDoNotCount) {
    const QByteArray limit = "{\"a\":" + QByteArray(kMaxJsonDepth - 1, '[') + QByteArray(kMaxJsonDepth - 1, ']') + "}";
    EXPECT_TRUE(parseBody(limit).ok()) << describeFailure(parseBody(limit));
    const QByteArray over = "{\"a\":" + QByteArray(kMaxJsonDepth, '[') + QByteArray(kMaxJsonDepth, ']') + "}";
    EXPECT_FALSE(parseBody(over).ok());
    const QByteArray inStrings = "{\"[[[\\\"{{{\": \"" + QByteArray(1000, '[') + "\\\\\"}";
    EXPECT_TRUE(parseBody(inStrings).ok()) << describeFailure(parseBody(inStrings));
}

TEST(WireMalformed, AFullPushOfLargeEventsFitsTheLimits) {
    PushRequest request;
    for (int i = 1; i <= kMaxEventsPerPush; ++i) request.events.append(sampleEvent(i));
    const QByteArray body = text(toJson(request));
    EXPECT_LT(body.size(), kMaxBodyBytes);
    const auto parsed = parsePushRequest(body);
    ASSERT_TRUE(parsed.ok()) << describeFailure(parsed);
    EXPECT_EQ(parsed->events.size(), kMaxEventsPerPush);
}

TEST(WirePull, ChangesFromANewerServerAreSkipped) {
    const QByteArray body = pullOf(R"({"kind": "poll", "question": "?"}, )" + kMasteryChange + ", " +
                                   replace(kMasteryChange, "\"dkt\"", "\"irt\""));
    const auto reply = parsePullReply(body);
    ASSERT_TRUE(reply.ok()) << describeFailure(reply);
    ASSERT_EQ(reply->changes.size(), 1);
    ASSERT_TRUE(std::holds_alternative<MasteryChange>(reply->changes[0]));
    EXPECT_EQ(std::get<MasteryChange>(reply->changes[0]).model, MasteryModel::Dkt);
    EXPECT_DOUBLE_EQ(std::get<MasteryChange>(reply->changes[0]).probability, 0.7);
}

TEST(WirePush, UnknownMembersAreIgnoredForNewerPeers) {
    QJsonObject body = toJson(PushRequest{{sampleEvent(3)}});
    body.insert(QStringLiteral("compression_hint"), QStringLiteral("zstd"));
    const auto parsed = parsePushRequest(text(body));
    ASSERT_TRUE(parsed.ok()) << describeFailure(parsed);
    EXPECT_EQ(parsed->events.size(), 1);
}

// ------------------------------------------------------------------ what the device's store sends

TEST(WireDevicePayloads, TheDocumentedPayloadsAreAccepted) {
    const auto attempt = parseAttemptPayload(documentedAttempt());
    ASSERT_TRUE(attempt.ok()) << describeFailure(attempt);
    EXPECT_EQ(attempt->item, "parts-03");
    EXPECT_EQ(attempt->answered_at, kAnsweredAt);
    EXPECT_DOUBLE_EQ(attempt->score, 1.0);
    EXPECT_DOUBLE_EQ(attempt->mastery.value(QStringLiteral("parts-of-a-whole")), 0.61);
    const QJsonObject sent{{QStringLiteral("seq"), 1},
                           {QStringLiteral("id"), kEventId},
                           {QStringLiteral("kind"), QStringLiteral("attempt")},
                           {QStringLiteral("payload"), QJsonDocument::fromJson(documentedAttempt()).object()}};
    const auto event = parsePushEvent(text(sent));
    ASSERT_TRUE(event.ok()) << describeFailure(event);
    EXPECT_TRUE(checkPayload(*event).ok()) << describeFailure(checkPayload(*event));
    EXPECT_TRUE(parseStatementPayload(documentedStatement()).ok());
}

TEST(WireDevicePayloads, WhatTheStoreRecordsIsAcceptedAsSent) {
    const course::CheckReport report =
        course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
    ASSERT_TRUE(report.ok());
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto opened = store::Store::open(dir.filePath(QStringLiteral("kite.db")));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store::Store& store = *opened.value();
    ASSERT_TRUE(store.importCourse(*report.course).ok());
    auto learner = store.addLearner(QStringLiteral("Ada"), QStringLiteral("#2a7ab0"));
    ASSERT_TRUE(learner.ok()) << learner.error().message;

    const course::Item& item = report.course->items.at(0);
    store::AttemptRecord a;
    a.learner = learner->id;
    a.course = report.course->id;
    a.item = item.id;
    a.response = R"({"choice": 2})";
    a.correct = false;
    a.score = 0.25;
    a.hints_used = 2;
    a.duration_ms = 8120;
    a.answered_at = kAnsweredAt;
    for (const QString& skill : item.skills) a.mastery.append(store::Mastery{skill, 0.61, 1, 0, kAnsweredAt});
    auto recorded = store.recordAttempt(a);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
    store::StatementRecord st;
    st.learner = learner->id;
    st.verb = store::Verb::HintRequested;
    st.course = report.course->id;
    st.item = item.id;
    st.hint_index = 0;
    st.at = kAnsweredAt + 5;
    ASSERT_TRUE(store.recordStatement(st).ok());

    auto pending = store.pendingEvents(10);
    ASSERT_TRUE(pending.ok()) << pending.error().message;
    ASSERT_EQ(pending->size(), 2);
    PushRequest request;
    for (const store::OutboxEvent& e : *pending)
        request.events.append(PushEvent{e.seq, e.id, e.kind, QJsonDocument::fromJson(e.payload).object()});

    const auto received = parsePushRequest(text(toJson(request)));
    ASSERT_TRUE(received.ok()) << describeFailure(received);
    for (const PushEvent& event : received->events)
        EXPECT_TRUE(checkPayload(event).ok()) << describeFailure(checkPayload(event));
    const auto attempt = parseAttemptPayload(received->events.at(0).payload);
    ASSERT_TRUE(attempt.ok()) << describeFailure(attempt);
    EXPECT_EQ(attempt->id, recorded->event_id);
    EXPECT_EQ(attempt->device, store.deviceId());
    EXPECT_EQ(attempt->learner, learner->uid);
    EXPECT_EQ(attempt->item, item.id);
    EXPECT_EQ(attempt->skills, item.skills);
    EXPECT_EQ(attempt->response, (QJsonObject{{QStringLiteral("choice"), 2}}));
    EXPECT_FALSE(attempt->correct);
    EXPECT_DOUBLE_EQ(attempt->score, 0.25);
    EXPECT_EQ(attempt->hints_used, 2);
    EXPECT_EQ(attempt->duration_ms, 8120);
    EXPECT_EQ(attempt->answered_at, kAnsweredAt);
    EXPECT_DOUBLE_EQ(attempt->mastery.value(item.skills.at(0)), 0.61);
}

}  // namespace
}  // namespace kite::wire
