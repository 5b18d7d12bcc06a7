#include "kite/wire.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLatin1String>
#include <QRegularExpression>
#include <QTime>
#include <algorithm>
#include <cmath>
#include <limits>

#include "kite/pin_hash.h"

namespace kite::wire {
namespace {

// ------------------------------------------------------------------ paths and messages

bool isPlainKey(const QString& key) {
    if (key.isEmpty()) return false;
    for (const QChar c : key) {
        const char16_t u = c.unicode();
        const bool plain =
            (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '-';
        if (!plain) return false;
    }
    return true;
}

// The JSON text of `value`, as a message shows it.
QString jsonText(const QJsonValue& value) {
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));  // without the list's brackets
}

// `text` as a JSON string, cut short so that a huge value cannot swamp a message.
QString quoted(const QString& text) {
    constexpr qsizetype kMaxShown = 60;
    if (text.size() <= kMaxShown) return jsonText(text);
    QString shown = jsonText(text.left(kMaxShown));
    shown.insert(shown.size() - 1, QStringLiteral("..."));
    return shown;
}

// What a message says was there: `"yes"`, `-2`, `null`, `a list`.
QString describe(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::String: return quoted(value.toString());
        case QJsonValue::Array: return QStringLiteral("a list");
        case QJsonValue::Object: return QStringLiteral("an object");
        case QJsonValue::Undefined: return QStringLiteral("nothing");
        case QJsonValue::Null:
        case QJsonValue::Bool:
        case QJsonValue::Double: break;
    }
    return jsonText(value);
}

QString memberPath(const QString& at, const QString& key) {
    if (!isPlainKey(key)) return at + QLatin1Char('[') + quoted(key) + QLatin1Char(']');
    return at.isEmpty() ? key : at + QLatin1Char('.') + key;
}

QString elementPath(const QString& at, qsizetype index) {
    return at + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

WireError errorAt(const QString& at, const QString& what, int status = 400) {
    return WireError{at, at.isEmpty() ? what : at + QStringLiteral(": ") + what, status};
}

// "seq: expected a whole number from 1 to ..., got -2"; "seq: missing; expected ...".
WireError mismatch(const QString& at, const QString& expected, const QJsonValue& got) {
    if (got.isUndefined()) return errorAt(at, QStringLiteral("missing; expected ") + expected);
    return errorAt(at, QStringLiteral("expected %1, got %2").arg(expected, describe(got)));
}

// ------------------------------------------------------------------ shapes of values
// Each says in words what it accepts (expected()) and converts an accepted
// value (read(), false when the value does not fit).

struct Text {  // a string with something in it besides spaces
    QString expected() const { return QStringLiteral("a non-empty string"); }
    bool read(const QJsonValue& v, QString& out) const {
        if (!v.isString() || v.toString().trimmed().isEmpty()) return false;
        out = v.toString();
        return true;
    }
};

struct AnyText {  // any string, "" included
    QString expected() const { return QStringLiteral("a string"); }
    bool read(const QJsonValue& v, QString& out) const {
        if (!v.isString()) return false;
        out = v.toString();
        return true;
    }
};

bool isLowerHex(QChar c) {
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
}

// 8-4-4-4-12 lowercase hex digits; any version, as ids from other tools may not be v7.
bool isUuid(const QString& s) {
    if (s.size() != 36) return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != QLatin1Char('-') : !isLowerHex(s[i])) return false;
    }
    return true;
}

struct Uuid {
    QString expected() const {
        return QStringLiteral("a lowercase UUID like \"01a20bf3-c392-7292-9b71-500a86786ecd\"");
    }
    bool read(const QJsonValue& v, QString& out) const {
        if (!v.isString() || !isUuid(v.toString())) return false;
        out = v.toString();
        return true;
    }
};

struct Time {
    QString expected() const { return QStringLiteral("a UTC time like \"2026-11-24T05:12:03.114Z\""); }
    bool read(const QJsonValue& v, std::int64_t& out) const {
        const auto ms = v.isString() ? parseIsoTime(v.toString()) : std::nullopt;
        if (!ms) return false;
        out = *ms;
        return true;
    }
};

struct Boolean {
    QString expected() const { return QStringLiteral("true or false"); }
    bool read(const QJsonValue& v, bool& out) const {
        if (!v.isBool()) return false;
        out = v.toBool();
        return true;
    }
};

struct Probability {
    QString expected() const { return QStringLiteral("a number from 0 to 1"); }
    bool read(const QJsonValue& v, double& out) const {
        const double d = v.toDouble();
        if (!v.isDouble() || !(d >= 0.0 && d <= 1.0)) return false;  // also false for NaN
        out = d;
        return true;
    }
};

// Whole numbers within [min, max], max at most kMaxWholeNumber so that the
// double Qt hands over is exact. 1.0 counts as whole: JSON does not tell them apart.
struct Whole {
    std::int64_t min = 0;
    std::int64_t max = kMaxWholeNumber;

    QString expected() const { return QStringLiteral("a whole number from %1 to %2").arg(min).arg(max); }
    template <class Int>
    bool read(const QJsonValue& v, Int& out) const {
        const double d = v.toDouble();
        if (!v.isDouble() || !(d >= static_cast<double>(min) && d <= static_cast<double>(max)) || d != std::floor(d))
            return false;
        out = static_cast<Int>(d);
        return true;
    }
};

constexpr Whole kCount{0, std::numeric_limits<int>::max()};  // hints, accepted events, ...

struct Object {
    QString expected() const { return QStringLiteral("an object"); }
    bool read(const QJsonValue& v, QJsonObject& out) const {
        if (!v.isObject()) return false;
        out = v.toObject();
        return true;
    }
};

struct List {
    QString expected() const { return QStringLiteral("a list"); }
    bool read(const QJsonValue& v, QJsonArray& out) const {
        if (!v.isArray()) return false;
        out = v.toArray();
        return true;
    }
};

struct Sha256 {
    QString expected() const { return QStringLiteral("a SHA-256 as 64 lowercase hex digits"); }
    bool read(const QJsonValue& v, QString& out) const {
        const QString s = v.toString();
        if (!v.isString() || s.size() != 64 || !std::all_of(s.cbegin(), s.cend(), isLowerHex)) return false;
        out = s;
        return true;
    }
};

struct Colour {
    QString expected() const { return QStringLiteral("a colour like \"#2a7ab0\""); }
    bool read(const QJsonValue& v, QString& out) const {
        static const QRegularExpression rgb(QStringLiteral("^#[0-9a-fA-F]{6}$"));
        if (!v.isString() || !rgb.match(v.toString()).hasMatch()) return false;
        out = v.toString();
        return true;
    }
};

struct PinHash {
    QString expected() const { return QStringLiteral("a PIN hash \"pbkdf2-sha256$ITERATIONS$SALT$KEY\""); }
    bool read(const QJsonValue& v, QString& out) const {
        if (!v.isString() || !isPinHash(v.toString())) return false;
        out = v.toString();
        return true;
    }
};

QString toString(MasteryModel model) {
    return model == MasteryModel::Bkt ? QStringLiteral("bkt") : QStringLiteral("dkt");
}

std::optional<MasteryModel> masteryModelFromString(const QString& model) {
    if (model == QLatin1String("bkt")) return MasteryModel::Bkt;
    if (model == QLatin1String("dkt")) return MasteryModel::Dkt;
    return std::nullopt;
}

struct ModelOfMastery {
    QString expected() const { return QStringLiteral("\"bkt\" or \"dkt\""); }
    bool read(const QJsonValue& v, MasteryModel& out) const {
        const auto model = masteryModelFromString(v.toString());
        if (!v.isString() || !model) return false;
        out = *model;
        return true;
    }
};

// ------------------------------------------------------------------ reading one object

// Reads the members of one JSON object at path `at`. The first problem is
// kept and every later read does nothing, so a parser reads member after
// member and asks finish() once at the end.
class Reader {
public:
    Reader(const QJsonObject& object, QString at) : object_(object), at_(std::move(at)) {}

    bool failed() const { return failed_; }
    QString path(QLatin1String key) const { return memberPath(at_, key); }

    template <class Shape, class T>
    bool read(const char* key, T& out, const Shape& shape) {
        return readValue(object_.value(QLatin1String(key)), path(QLatin1String(key)), out, shape);
    }

    // An absent member (or null) leaves `out` as it is.
    template <class Shape, class T>
    bool readOptional(const char* key, T& out, const Shape& shape) {
        const QJsonValue value = object_.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull()) return !failed_;
        return readValue(value, path(QLatin1String(key)), out, shape);
    }

    template <class Shape, class T>
    bool readValue(const QJsonValue& value, const QString& at, T& out, const Shape& shape) {
        if (failed_) return false;
        if (shape.read(value, out)) return true;
        fail(mismatch(at, shape.expected(), value));
        return false;
    }

    // A list of non-blank strings.
    bool readTextList(const char* key, QStringList& out) {
        QJsonArray list;
        if (!read(key, list, List{})) return false;
        const QString at = path(QLatin1String(key));
        out.clear();
        for (qsizetype i = 0; i < list.size(); ++i) {
            QString text;
            if (!readValue(list.at(i), elementPath(at, i), text, Text{})) return false;
            out.append(text);
        }
        return true;
    }

    // A list of objects, each handed to `each(object, path)`, which returns
    // a Parsed<Done>. At most `maxSize` elements (else a 413 error).
    template <class Each>
    bool readObjects(const char* key, Each each, qsizetype maxSize = std::numeric_limits<qsizetype>::max()) {
        QJsonArray list;
        if (!read(key, list, List{})) return false;
        const QString at = path(QLatin1String(key));
        if (list.size() > maxSize) {
            fail(errorAt(
                at, QStringLiteral("%1 entries; at most %2 are accepted at once").arg(list.size()).arg(maxSize), 413));
            return false;
        }
        for (qsizetype i = 0; i < list.size(); ++i) {
            QJsonObject element;
            if (!readValue(list.at(i), elementPath(at, i), element, Object{})) return false;
            if (Parsed<Done> done = each(element, elementPath(at, i)); !done) {
                fail(done.error());
                return false;
            }
        }
        return true;
    }

    void fail(WireError error) {
        if (failed_) return;
        error_ = std::move(error);
        failed_ = true;
    }

    template <class T>
    Parsed<T> finish(T value) const {
        if (failed_) return error_;
        return value;
    }

private:
    QJsonObject object_;
    QString at_;
    bool failed_ = false;
    WireError error_;
};

// Appends a parsed value to `list`, for Reader::readObjects.
template <class T>
Parsed<Done> append(Parsed<T> parsed, QList<T>& list) {
    if (!parsed) return parsed.error();
    list.append(std::move(parsed).value());
    return Done{};
}

// parseX(body) for every parseX(json).
template <class T>
Parsed<T> parseFromBody(const QByteArray& body, Parsed<T> (*parse)(const QJsonObject&)) {
    Parsed<QJsonObject> json = parseBody(body);
    if (!json) return json.error();
    return parse(json.value());
}

// ------------------------------------------------------------------ the body as a whole

// The offset of the first '[' or '{' that nests deeper than kMaxJsonDepth,
// or -1. One pass with a counter and no recursion, so that any depth costs
// only its length; brackets inside strings do not count. Malformed text is
// left for the JSON parser to report.
qsizetype tooDeepAt(const QByteArray& json) {
    const char* const text = json.constData();
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return -1;
}

// The first character that is not JSON white space, or 0 when there is none.
char firstNonSpace(const QByteArray& json) {
    for (const char c : json)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
    return 0;
}

// For a body that is valid JSON but not an object (Qt 6.4 refuses a bare
// value at the top, calling it an "illegal value"): what it is, or nothing.
std::optional<QString> describeTopLevelValue(const QByteArray& body) {
    const char first = firstNonSpace(body);
    if (first == '{') return std::nullopt;
    if (first == '[') return QStringLiteral("a list");
    const QJsonArray wrapped = QJsonDocument::fromJson('[' + body + ']').array();
    if (wrapped.size() != 1) return std::nullopt;
    return describe(wrapped.at(0));
}

// ------------------------------------------------------------------ times

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr qint64 kUnixEpochJulianDay = 2'440'588;  // 1970-01-01

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// ------------------------------------------------------------------ messages with a path prefix

Parsed<PushEvent> parsePushEventAt(const QJsonObject& json, const QString& at) {
    Reader r(json, at);
    PushEvent event;
    r.read("seq", event.seq, Whole{1, kMaxWholeNumber});
    r.read("id", event.id, Uuid{});
    r.read("kind", event.kind, Text{});  // which kinds: checkPayload()
    r.read("payload", event.payload, Object{});
    return r.finish(std::move(event));
}

Parsed<Rejection> parseRejectionAt(const QJsonObject& json, const QString& at) {
    Reader r(json, at);
    Rejection rejection;
    r.read("id", rejection.id, Uuid{});
    r.read("reason", rejection.reason, AnyText{});
    return r.finish(std::move(rejection));
}

// Every key of `mastery` is one of the item's skills, with a probability.
void readMastery(Reader& r, const QStringList& skills, QMap<QString, double>& out) {
    QJsonObject mastery;
    if (!r.read("mastery", mastery, Object{})) return;
    const QString at = r.path(QLatin1String("mastery"));
    for (auto it = mastery.constBegin(); it != mastery.constEnd(); ++it) {
        const QString skillAt = memberPath(at, it.key());
        if (!skills.contains(it.key())) {
            r.fail(errorAt(skillAt,
                           QStringLiteral("expected one of the skills in \"skills\", got %1").arg(quoted(it.key()))));
            return;
        }
        double p = 0.0;
        if (!r.readValue(it.value(), skillAt, p, Probability{})) return;
        out.insert(it.key(), p);
    }
}

Parsed<AttemptPayload> parseAttemptPayloadAt(const QJsonObject& json, const QString& at) {
    Reader r(json, at);
    AttemptPayload a;
    r.read("id", a.id, Uuid{});
    r.read("device", a.device, Uuid{});
    r.read("learner", a.learner, Uuid{});
    r.read("course", a.course, Text{});
    r.read("course_version", a.course_version, Whole{1, std::numeric_limits<int>::max()});
    r.read("item", a.item, Text{});
    r.readTextList("skills", a.skills);
    r.read("response", a.response, Object{});
    r.read("correct", a.correct, Boolean{});
    r.read("score", a.score, Probability{});
    r.read("hints_used", a.hints_used, kCount);
    r.read("duration_ms", a.duration_ms, Whole{0, kMaxWholeNumber});
    r.read("answered_at", a.answered_at, Time{});
    if (!r.failed()) readMastery(r, a.skills, a.mastery);
    return r.finish(std::move(a));
}

Parsed<QJsonObject> parseStatementPayloadAt(const QJsonObject& json, const QString& at) {
    // Only the shape is checked; the statement itself is passed on untouched.
    Reader r(json, at);
    QString id;
    QJsonObject actor, verb, object;
    std::int64_t timestamp = 0;
    r.read("id", id, Uuid{});
    r.read("actor", actor, Object{});
    r.read("verb", verb, Object{});
    r.read("object", object, Object{});
    r.read("timestamp", timestamp, Time{});
    return r.finish(json);
}

// ------------------------------------------------------------------ pull changes

QJsonObject changeJson(const MasteryChange& c) {
    const bool bkt = c.model == MasteryModel::Bkt;
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("mastery")},
        {QStringLiteral("learner"), c.learner},
        {QStringLiteral("course"), c.course},
        {QStringLiteral("skill"), c.skill},
        {QStringLiteral("model"), toString(c.model)},
        {bkt ? QStringLiteral("p_known") : QStringLiteral("p_correct"), c.probability},
        {QStringLiteral("covers_seq"), static_cast<qint64>(c.covers_seq)},
        {QStringLiteral("at"), isoTime(c.at)},
    };
}

QJsonObject changeJson(const BktParamsChange& c) {
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("bkt_params")},
        {QStringLiteral("course"), c.course},
        {QStringLiteral("skill"), c.skill},
        {QStringLiteral("prior"), c.prior},
        {QStringLiteral("learn"), c.learn},
        {QStringLiteral("forget"), c.forget},
        {QStringLiteral("guess"), c.guess},
        {QStringLiteral("slip"), c.slip},
    };
}

QJsonObject changeJson(const CourseChange& c) {
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("course")},
        {QStringLiteral("id"), c.id},
        {QStringLiteral("version"), c.version},
        {QStringLiteral("sha256"), c.sha256},
        {QStringLiteral("size"), static_cast<qint64>(c.size)},
    };
}

QJsonObject changeJson(const LearnerChange& c) {
    QJsonObject o{
        {QStringLiteral("kind"), QStringLiteral("learner")},
        {QStringLiteral("id"), c.id},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("colour"), c.colour},
        {QStringLiteral("has_pin"), !c.pin_hash.isEmpty()},
        {QStringLiteral("removed"), c.removed},
    };
    if (!c.pin_hash.isEmpty()) o.insert(QStringLiteral("pin_hash"), c.pin_hash);
    return o;
}

Parsed<PullChange> parseMasteryChange(Reader& r) {
    MasteryChange c;
    r.read("learner", c.learner, Uuid{});
    r.read("course", c.course, Text{});
    r.read("skill", c.skill, Text{});
    r.read("model", c.model, ModelOfMastery{});
    r.read(c.model == MasteryModel::Bkt ? "p_known" : "p_correct", c.probability, Probability{});
    r.read("covers_seq", c.covers_seq, Whole{0, kMaxWholeNumber});
    r.read("at", c.at, Time{});
    return r.finish(PullChange{std::move(c)});
}

Parsed<PullChange> parseBktParamsChange(Reader& r) {
    BktParamsChange c;
    r.read("course", c.course, Text{});
    r.read("skill", c.skill, Text{});
    r.read("prior", c.prior, Probability{});
    r.read("learn", c.learn, Probability{});
    r.read("forget", c.forget, Probability{});
    r.read("guess", c.guess, Probability{});
    r.read("slip", c.slip, Probability{});
    return r.finish(PullChange{std::move(c)});
}

Parsed<PullChange> parseCourseChange(Reader& r) {
    CourseChange c;
    r.read("id", c.id, Text{});
    r.read("version", c.version, Whole{1, std::numeric_limits<int>::max()});
    r.read("sha256", c.sha256, Sha256{});
    r.read("size", c.size, Whole{0, kMaxWholeNumber});
    return r.finish(PullChange{std::move(c)});
}

Parsed<PullChange> parseLearnerChange(Reader& r) {
    LearnerChange c;
    r.read("id", c.id, Uuid{});
    r.read("name", c.name, Text{});
    r.read("colour", c.colour, Colour{});
    // Both absent from servers before PINs: no PIN, not removed.
    bool hasPin = false;
    r.readOptional("has_pin", hasPin, Boolean{});
    if (hasPin) r.read("pin_hash", c.pin_hash, PinHash{});
    r.readOptional("removed", c.removed, Boolean{});
    return r.finish(PullChange{std::move(c)});
}

const QStringList& changeKinds() {
    static const QStringList kinds{QStringLiteral("mastery"), QStringLiteral("bkt_params"), QStringLiteral("course"),
                                   QStringLiteral("learner")};
    return kinds;
}

struct KindOfChange {
    QString expected() const { return QStringLiteral("\"mastery\", \"bkt_params\", \"course\" or \"learner\""); }
    bool read(const QJsonValue& v, QString& out) const {
        if (!v.isString() || !changeKinds().contains(v.toString())) return false;
        out = v.toString();
        return true;
    }
};

Parsed<PullChange> parsePullChangeAt(const QJsonObject& json, const QString& at) {
    Reader r(json, at);
    QString kind;
    if (!r.read("kind", kind, KindOfChange{})) return r.finish(PullChange{});
    if (kind == QLatin1String("mastery")) return parseMasteryChange(r);
    if (kind == QLatin1String("bkt_params")) return parseBktParamsChange(r);
    if (kind == QLatin1String("course")) return parseCourseChange(r);
    return parseLearnerChange(r);
}

// A change from a newer server that this version cannot use: a kind, or a
// mastery model, it does not know. Mistyped members are not "newer": those
// are errors.
bool isNewerChange(const QJsonObject& json) {
    const QJsonValue kind = json.value(QLatin1String("kind"));
    if (kind.isString() && !changeKinds().contains(kind.toString())) return true;
    const QJsonValue model = json.value(QLatin1String("model"));
    return kind.toString() == QLatin1String("mastery") && model.isString() && !masteryModelFromString(model.toString());
}

// ------------------------------------------------------------------ error codes

struct ErrorCode {
    const char* error;
    int status;
};

// docs/protocol.md, "Conventions".
constexpr ErrorCode kErrorCodes[] = {
    {"bad_request", 400}, {"unauthorized", 401},       {"forbidden", 403},
    {"not_found", 404},   {"method_not_allowed", 405}, {"conflict", 409},
    {"too_large", 413},   {"rate_limited", 429},       {"unavailable", 503},
    {"unsupported_media_type", 415},
};

int statusOf(const QString& error) {
    for (const ErrorCode& code : kErrorCodes)
        if (error == QLatin1String(code.error)) return code.status;
    return 0;
}

}  // namespace

QString errorCodeOf(int status) {
    for (const ErrorCode& code : kErrorCodes)
        if (status == code.status) return QLatin1String(code.error);
    return QStringLiteral("internal");
}

// ------------------------------------------------------------------ body

Parsed<QJsonObject> parseBody(const QByteArray& body) {
    if (body.size() > kMaxBodyBytes)
        return errorAt(
            QString(),
            QStringLiteral("the body is %1 bytes; at most %2 are accepted").arg(body.size()).arg(kMaxBodyBytes), 413);
    if (firstNonSpace(body) == 0)
        return errorAt(QString(), QStringLiteral("the body is empty; expected a JSON object"));
    if (const qsizetype at = tooDeepAt(body); at >= 0)
        return errorAt(QString(), QStringLiteral("the body nests lists and objects more than %1 deep (at byte %2)")
                                      .arg(kMaxJsonDepth)
                                      .arg(at));
    if (const auto other = describeTopLevelValue(body))
        return errorAt(QString(), QStringLiteral("expected a JSON object, got %1").arg(*other));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return errorAt(
            QString(),
            QStringLiteral("the body is not valid JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset));
    return document.object();
}

// ------------------------------------------------------------------ errors

ErrorReply toErrorReply(const WireError& error) {
    const bool tooLarge = error.status == 413;
    return ErrorReply{tooLarge ? 413 : 400, tooLarge ? QStringLiteral("too_large") : QStringLiteral("bad_request"),
                      error.message, error.field};
}

QJsonObject toJson(const ErrorReply& reply) {
    QJsonObject json{{QStringLiteral("error"), reply.error}, {QStringLiteral("message"), reply.message}};
    if (!reply.field.isEmpty()) json.insert(QStringLiteral("field"), reply.field);
    return json;
}

Parsed<ErrorReply> parseErrorReply(const QJsonObject& json) {
    Reader r(json, QString());
    ErrorReply reply;
    r.read("error", reply.error, Text{});
    r.read("message", reply.message, AnyText{});
    r.readOptional("field", reply.field, AnyText{});
    reply.status = statusOf(reply.error);
    return r.finish(std::move(reply));
}

Parsed<ErrorReply> parseErrorReply(const QByteArray& body) {
    return parseFromBody<ErrorReply>(body, parseErrorReply);
}

// ------------------------------------------------------------------ enrollment

QJsonObject toJson(const EnrollRequest& request) {
    return QJsonObject{{QStringLiteral("enrollment_code"), request.enrollment_code},
                       {QStringLiteral("device_name"), request.device_name}};
}

Parsed<EnrollRequest> parseEnrollRequest(const QJsonObject& json) {
    Reader r(json, QString());
    EnrollRequest request;
    r.read("enrollment_code", request.enrollment_code, Text{});
    r.read("device_name", request.device_name, Text{});
    return r.finish(std::move(request));
}

Parsed<EnrollRequest> parseEnrollRequest(const QByteArray& body) {
    return parseFromBody<EnrollRequest>(body, parseEnrollRequest);
}

QJsonObject toJson(const EnrollReply& reply) {
    return QJsonObject{{QStringLiteral("device_id"), reply.device_id},
                       {QStringLiteral("token"), reply.token},
                       {QStringLiteral("school_id"), reply.school_id}};
}

Parsed<EnrollReply> parseEnrollReply(const QJsonObject& json) {
    Reader r(json, QString());
    EnrollReply reply;
    r.read("device_id", reply.device_id, Uuid{});
    r.read("token", reply.token, Text{});
    r.read("school_id", reply.school_id, Uuid{});
    return r.finish(std::move(reply));
}

Parsed<EnrollReply> parseEnrollReply(const QByteArray& body) {
    return parseFromBody<EnrollReply>(body, parseEnrollReply);
}

// ------------------------------------------------------------------ push

QJsonObject toJson(const PushEvent& event) {
    return QJsonObject{{QStringLiteral("seq"), static_cast<qint64>(event.seq)},
                       {QStringLiteral("id"), event.id},
                       {QStringLiteral("kind"), event.kind},
                       {QStringLiteral("payload"), event.payload}};
}

Parsed<PushEvent> parsePushEvent(const QJsonObject& json) {
    return parsePushEventAt(json, QString());
}

Parsed<PushEvent> parsePushEvent(const QByteArray& body) {
    return parseFromBody<PushEvent>(body, parsePushEvent);
}

QJsonObject toJson(const PushRequest& request) {
    QJsonArray events;
    for (const PushEvent& event : request.events) events.append(toJson(event));
    return QJsonObject{{QStringLiteral("events"), events}};
}

Parsed<PushRequest> parsePushRequest(const QJsonObject& json) {
    Reader r(json, QString());
    PushRequest request;
    r.readObjects(
        "events",
        [&](const QJsonObject& event, const QString& at) {
            return append(parsePushEventAt(event, at), request.events);
        },
        kMaxEventsPerPush);
    return r.finish(std::move(request));
}

Parsed<PushRequest> parsePushRequest(const QByteArray& body) {
    return parseFromBody<PushRequest>(body, parsePushRequest);
}

QJsonObject toJson(const PushReply& reply) {
    QJsonArray rejected;
    for (const Rejection& r : reply.rejected)
        rejected.append(QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("reason"), r.reason}});
    return QJsonObject{{QStringLiteral("accepted"), reply.accepted},
                       {QStringLiteral("duplicate"), reply.duplicate},
                       {QStringLiteral("rejected"), rejected},
                       {QStringLiteral("max_seq"), static_cast<qint64>(reply.max_seq)}};
}

Parsed<PushReply> parsePushReply(const QJsonObject& json) {
    Reader r(json, QString());
    PushReply reply;
    r.read("accepted", reply.accepted, kCount);
    r.read("duplicate", reply.duplicate, kCount);
    r.readObjects("rejected", [&](const QJsonObject& rejection, const QString& at) {
        return append(parseRejectionAt(rejection, at), reply.rejected);
    });
    r.read("max_seq", reply.max_seq, Whole{0, kMaxWholeNumber});
    return r.finish(std::move(reply));
}

Parsed<PushReply> parsePushReply(const QByteArray& body) {
    return parseFromBody<PushReply>(body, parsePushReply);
}

// ------------------------------------------------------------------ payloads

QJsonObject toJson(const AttemptPayload& a) {
    QJsonObject mastery;
    for (auto it = a.mastery.constBegin(); it != a.mastery.constEnd(); ++it) mastery.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("id"), a.id},
        {QStringLiteral("device"), a.device},
        {QStringLiteral("learner"), a.learner},
        {QStringLiteral("course"), a.course},
        {QStringLiteral("course_version"), a.course_version},
        {QStringLiteral("item"), a.item},
        {QStringLiteral("skills"), QJsonArray::fromStringList(a.skills)},
        {QStringLiteral("response"), a.response},
        {QStringLiteral("correct"), a.correct},
        {QStringLiteral("score"), a.score},
        {QStringLiteral("hints_used"), a.hints_used},
        {QStringLiteral("duration_ms"), static_cast<qint64>(a.duration_ms)},
        {QStringLiteral("answered_at"), isoTime(a.answered_at)},
        {QStringLiteral("mastery"), mastery},
    };
}

Parsed<AttemptPayload> parseAttemptPayload(const QJsonObject& json) {
    return parseAttemptPayloadAt(json, QString());
}

Parsed<AttemptPayload> parseAttemptPayload(const QByteArray& body) {
    return parseFromBody<AttemptPayload>(body, parseAttemptPayload);
}

Parsed<QJsonObject> parseStatementPayload(const QJsonObject& json) {
    return parseStatementPayloadAt(json, QString());
}

Parsed<QJsonObject> parseStatementPayload(const QByteArray& body) {
    return parseFromBody<QJsonObject>(body, parseStatementPayload);
}

Parsed<Done> checkPayload(const PushEvent& event) {
    const QString at = QStringLiteral("payload");
    if (event.kind == QLatin1String("attempt")) {
        if (auto attempt = parseAttemptPayloadAt(event.payload, at); !attempt) return attempt.error();
    } else if (event.kind == QLatin1String("statement")) {
        if (auto statement = parseStatementPayloadAt(event.payload, at); !statement) return statement.error();
    } else {
        return mismatch(QStringLiteral("kind"), QStringLiteral("\"attempt\" or \"statement\""), event.kind);
    }
    // Both kinds carry the event's id; a payload with another id would be
    // recorded under the wrong event.
    const QJsonValue id = event.payload.value(QLatin1String("id"));
    if (id.toString() != event.id)
        return mismatch(memberPath(at, QStringLiteral("id")), QStringLiteral("the event's id ") + quoted(event.id), id);
    return Done{};
}

// ------------------------------------------------------------------ pull

QJsonObject toJson(const PullChange& change) {
    return std::visit([](const auto& c) { return changeJson(c); }, change);
}

Parsed<PullChange> parsePullChange(const QJsonObject& json) {
    return parsePullChangeAt(json, QString());
}

Parsed<PullChange> parsePullChange(const QByteArray& body) {
    return parseFromBody<PullChange>(body, parsePullChange);
}

QJsonObject toJson(const PullReply& reply) {
    QJsonArray changes;
    for (const PullChange& change : reply.changes) changes.append(toJson(change));
    return QJsonObject{{QStringLiteral("changes"), changes},
                       {QStringLiteral("cursor"), reply.cursor},
                       {QStringLiteral("more"), reply.more}};
}

Parsed<PullReply> parsePullReply(const QJsonObject& json) {
    Reader r(json, QString());
    PullReply reply;
    r.readObjects("changes", [&](const QJsonObject& change, const QString& at) -> Parsed<Done> {
        if (isNewerChange(change)) return Done{};
        return append(parsePullChangeAt(change, at), reply.changes);
    });
    r.read("cursor", reply.cursor, AnyText{});
    r.read("more", reply.more, Boolean{});
    return r.finish(std::move(reply));
}

Parsed<PullReply> parsePullReply(const QByteArray& body) {
    return parseFromBody<PullReply>(body, parsePullReply);
}

// ------------------------------------------------------------------ times

QString isoTime(std::int64_t unixMs) {
    const std::int64_t days = floorDiv(unixMs, kMsPerDay);
    const QDate date = QDate::fromJulianDay(kUnixEpochJulianDay + days);
    const QTime time = QTime::fromMSecsSinceStartOfDay(static_cast<int>(unixMs - days * kMsPerDay));
    return QString::asprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year(), date.month(), date.day(), time.hour(),
                             time.minute(), time.second(), time.msec());
}

std::optional<std::int64_t> parseIsoTime(const QString& text) {
    static const QRegularExpression iso(
        QStringLiteral("^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?Z$"));
    const QRegularExpressionMatch m = iso.match(text);
    if (!m.hasMatch()) return std::nullopt;
    const auto number = [&](int group) { return m.capturedView(group).toInt(); };
    const QDate date(number(1), number(2), number(3));
    const int ms = m.capturedView(7).left(3).toString().leftJustified(3, QLatin1Char('0')).toInt();
    const QTime time(number(4), number(5), number(6), ms);
    if (!date.isValid() || !time.isValid()) return std::nullopt;  // 2026-02-30, 24:00:00, leap seconds
    return (date.toJulianDay() - kUnixEpochJulianDay) * kMsPerDay + time.msecsSinceStartOfDay();
}

}  // namespace kite::wire
