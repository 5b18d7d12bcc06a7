#include "kite/roster_routes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <optional>
#include <set>

#include "kite/pin_hash.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

constexpr int kMaxNameLength = 100;
constexpr int kMaxListLength = 1000;  // learners of a class, classes of a device

// Who may call a route.
enum class Callers { Admin, Staff, Device, Learner };  // Staff: admins and teachers

std::variant<Principal, Reply> authenticateAs(ServerStore& store, const Request& request, Callers callers,
                                              const char* what) {
    switch (callers) {
        case Callers::Admin: return authenticate(store, request, {Role::Admin}, what);
        case Callers::Staff: return authenticate(store, request, {Role::Admin, Role::Teacher}, what);
        case Callers::Device: return authenticate(store, request, {Role::Device}, what);
        case Callers::Learner: break;
    }
    return authenticate(store, request, {Role::Learner}, what);
}

// ---------------------------------------------------------------- reading bodies

// "42", "\"x\"", "[…]": what a client sent, shortened for a message.
QString describe(const QJsonValue& v) {
    QString text = QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
    text = text.mid(1, text.size() - 2);
    return text.size() > 40 ? text.left(37) + QStringLiteral("...") : text;
}

bool isLowerUuid(const QString& s) {
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return uuid.match(s).hasMatch();
}

// Reads members of a request body, keeping the first mistake: its reply
// names the member ("learners[2]: expected a lowercase UUID, got 7").
class BodyReader {
public:
    explicit BodyReader(QJsonObject body) : body_(std::move(body)) {}

    bool has(const char* key) const { return body_.contains(QLatin1String(key)); }
    const std::optional<Reply>& error() const { return error_; }

    // A name: a string with something besides spaces, at most 100 characters; trimmed.
    QString name(const char* key) {
        const QJsonValue v = body_.value(QLatin1String(key));
        const QString text = v.toString().trimmed();
        if (!v.isString() || text.isEmpty() || text.size() > kMaxNameLength)
            fail(QString::fromLatin1(key), QStringLiteral("a name of 1 to %1 characters").arg(kMaxNameLength), v);
        return text;
    }
    // A lowercase UUID, or "" when the member is absent.
    QString optionalUuid(const char* key) {
        const QJsonValue v = body_.value(QLatin1String(key));
        if (v.isUndefined()) return {};
        if (!v.isString() || !isLowerUuid(v.toString())) fail(QString::fromLatin1(key), kUuid, v);
        return v.toString();
    }
    // "#rrggbb" (lower-cased), or "" when absent.
    QString optionalColour(const char* key) {
        static const QRegularExpression rgb(QStringLiteral("^#[0-9a-fA-F]{6}$"));
        const QJsonValue v = body_.value(QLatin1String(key));
        if (v.isUndefined()) return {};
        if (!v.isString() || !rgb.match(v.toString()).hasMatch())
            fail(QString::fromLatin1(key), QStringLiteral("a colour like \"#2a7ab0\""), v);
        return v.toString().toLower();
    }
    // A PIN's hash: nothing when absent, "" for null (no PIN), the hash of 4 to 8 digits.
    std::optional<QString> optionalPinHash(const char* key) {
        const QJsonValue v = body_.value(QLatin1String(key));
        if (v.isUndefined()) return std::nullopt;
        if (v.isNull()) return QString();
        if (!v.isString() || !isPin(v.toString())) {
            fail(QString::fromLatin1(key), QStringLiteral("a PIN of 4 to 8 digits as a string, or null"), v);
            return std::nullopt;
        }
        return hashPin(v.toString());
    }
    // A list of distinct lowercase UUIDs, at most 1000.
    QStringList uuids(const char* key) {
        const QString at = QString::fromLatin1(key);
        const QJsonValue v = body_.value(QLatin1String(key));
        if (!v.isArray() || v.toArray().size() > kMaxListLength) {
            fail(at, QStringLiteral("a list of at most %1 ids").arg(kMaxListLength), v);
            return {};
        }
        QStringList out;
        std::set<QString> seen;
        const QJsonArray list = v.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString item = QStringLiteral("%1[%2]").arg(at).arg(i);
            if (!list[i].isString() || !isLowerUuid(list[i].toString())) {
                fail(item, kUuid, list[i]);
                return {};
            }
            if (!seen.insert(list[i].toString()).second) {
                fail(item, QStringLiteral("an id not already in the list"), list[i]);
                return {};
            }
            out << list[i].toString();
        }
        return out;
    }

private:
    inline static const QString kUuid =
        QStringLiteral("a lowercase UUID like \"01a20bf3-c392-7292-9b71-500a86786ecd\"");

    void fail(const QString& field, const QString& expected, const QJsonValue& got) {
        if (error_) return;
        const QString message = got.isUndefined()
                                    ? QStringLiteral("%1: missing; expected %2").arg(field, expected)
                                    : QStringLiteral("%1: expected %2, got %3").arg(field, expected, describe(got));
        error_ = errorReply(400, message, field);
    }

    QJsonObject body_;
    std::optional<Reply> error_;
};

// The request's body as a JSON object, or the 400/413 that says why not.
std::variant<BodyReader, Reply> readBody(const Request& request) {
    auto parsed = wire::parseBody(request.body());
    if (!parsed) return errorReply(parsed.error().status, parsed.error().message, parsed.error().field);
    return BodyReader(std::move(parsed).value());
}

Reply fromRoster(const RosterError& e) {
    switch (e.kind) {
        case RosterError::Kind::NotFound: return errorReply(404, e.message, e.field);
        case RosterError::Kind::Conflict: return errorReply(409, e.message, e.field);
        case RosterError::Kind::Store: break;
    }
    return errorReply(503, e.message);
}

// ---------------------------------------------------------------- JSON out

QJsonArray toArray(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

QJsonObject toJson(const Learner& l) {
    return QJsonObject{{QStringLiteral("id"), l.id},
                       {QStringLiteral("name"), l.name},
                       {QStringLiteral("colour"), l.colour},
                       {QStringLiteral("has_pin"), !l.pin_hash.isEmpty()},
                       {QStringLiteral("created_at"), wire::isoTime(l.created_at)}};
}

QJsonObject toJson(const Class& c) {
    return QJsonObject{{QStringLiteral("id"), c.id},
                       {QStringLiteral("name"), c.name},
                       {QStringLiteral("learners"), toArray(c.learners)},
                       {QStringLiteral("devices"), toArray(c.devices)},
                       {QStringLiteral("created_at"), wire::isoTime(c.created_at)}};
}

QJsonObject toJson(const Device& d) {
    return QJsonObject{{QStringLiteral("id"), d.id},
                       {QStringLiteral("name"), d.name},
                       {QStringLiteral("classes"), toArray(d.classes)}};
}

// As in a pulled "mastery" change: BKT's P(known) is "p_known", DKT's
// P(correct at the next answer) "p_correct".
QJsonObject toJson(const MasteryCell& m) {
    return QJsonObject{{QStringLiteral("learner"), m.learner},
                       {QStringLiteral("course"), m.course},
                       {QStringLiteral("skill"), m.skill},
                       {QStringLiteral("model"), m.model},
                       {m.model == QLatin1String("dkt") ? QStringLiteral("p_correct") : QStringLiteral("p_known"), m.p},
                       {QStringLiteral("attempts"), m.attempts},
                       {QStringLiteral("updated_at"), wire::isoTime(m.updated_at)}};
}

template <class T>
QJsonArray toJsonArray(const QList<T>& items) {
    QJsonArray out;
    for (const T& item : items) out.append(toJson(item));
    return out;
}

// ---------------------------------------------------------------- teachers and tokens

Reply createTeacher(RosterStore& roster, const Principal& admin, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    const QString name = in.name("name");
    if (in.error()) return *in.error();
    auto issued = roster.createTeacher(admin.school, name);
    if (!issued) return fromRoster(issued.error());
    return jsonReply(201, {{QStringLiteral("teacher_id"), issued->subject},
                           {QStringLiteral("name"), name},
                           {QStringLiteral("token"), issued->token}});
}

Reply listTeachers(RosterStore& roster, const Principal& admin, const Request& /*request*/) {
    auto teachers = roster.teachers(admin.school);
    if (!teachers) return fromRoster(teachers.error());
    QJsonArray out;
    for (const Teacher& t : *teachers)
        out.append(QJsonObject{{QStringLiteral("id"), t.id},
                               {QStringLiteral("name"), t.name},
                               {QStringLiteral("active"), t.active},
                               {QStringLiteral("created_at"), wire::isoTime(t.created_at)}});
    return jsonReply(200, {{QStringLiteral("teachers"), out}});
}

Reply issueTeacherToken(RosterStore& roster, const Principal& admin, const Request& request) {
    auto issued = roster.issueTeacherToken(admin.school, request.param(QStringLiteral("id")));
    if (!issued) return fromRoster(issued.error());
    return jsonReply(201, {{QStringLiteral("teacher_id"), issued->subject}, {QStringLiteral("token"), issued->token}});
}

Reply issueLearnerToken(RosterStore& roster, const Principal& staff, const Request& request) {
    auto issued = roster.issueLearnerToken(staff.school, request.param(QStringLiteral("id")));
    if (!issued) return fromRoster(issued.error());
    return jsonReply(201, {{QStringLiteral("learner_id"), issued->subject}, {QStringLiteral("token"), issued->token}});
}

// An admin revokes teachers', learners' and devices' tokens; a teacher
// learners' only. The admin token itself is not revoked here.
Reply revokeTokens(RosterStore& roster, const Principal& staff, const Request& request) {
    const QList<Role> roles = staff.role == Role::Admin ? QList<Role>{Role::Teacher, Role::Learner, Role::Device}
                                                        : QList<Role>{Role::Learner};
    const QString subject = request.param(QStringLiteral("subject"));
    auto revoked = roster.revokeTokens(staff.school, subject, roles);
    if (!revoked) return fromRoster(revoked.error());
    return jsonReply(200, {{QStringLiteral("subject"), subject}, {QStringLiteral("revoked"), *revoked}});
}

// ---------------------------------------------------------------- learners

Reply createLearner(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    NewLearner l;
    l.id = in.optionalUuid("id");
    l.name = in.name("name");
    l.colour = in.optionalColour("colour");
    l.pin_hash = in.optionalPinHash("pin").value_or(QString());
    if (in.error()) return *in.error();
    auto created = roster.createLearner(staff.school, l);
    if (!created) return fromRoster(created.error());
    return jsonReply(201, toJson(*created));
}

Reply listLearners(RosterStore& roster, const Principal& staff, const Request& /*request*/) {
    auto learners = roster.learners(staff.school);
    if (!learners) return fromRoster(learners.error());
    return jsonReply(200, {{QStringLiteral("learners"), toJsonArray(*learners)}});
}

Reply getLearner(RosterStore& roster, const Principal& staff, const Request& request) {
    auto l = roster.learner(staff.school, request.param(QStringLiteral("id")));
    if (!l) return fromRoster(l.error());
    return jsonReply(200, toJson(*l));
}

Reply updateLearner(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    LearnerPatch patch;
    if (in.has("name")) patch.name = in.name("name");
    if (in.has("colour")) patch.colour = in.optionalColour("colour");
    patch.pin_hash = in.optionalPinHash("pin");
    if (in.error()) return *in.error();
    auto l = roster.updateLearner(staff.school, request.param(QStringLiteral("id")), patch);
    if (!l) return fromRoster(l.error());
    return jsonReply(200, toJson(*l));
}

Reply removeLearner(RosterStore& roster, const Principal& staff, const Request& request) {
    const QString id = request.param(QStringLiteral("id"));
    if (auto done = roster.removeLearner(staff.school, id); !done) return fromRoster(done.error());
    return jsonReply(200, {{QStringLiteral("id"), id}, {QStringLiteral("removed"), true}});
}

// ---------------------------------------------------------------- classes

Reply createClass(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    const QString id = in.optionalUuid("id");
    const QString name = in.name("name");
    const QStringList learners = in.has("learners") ? in.uuids("learners") : QStringList();
    if (in.error()) return *in.error();
    auto created = roster.createClass(staff.school, id, name, learners);
    if (!created) return fromRoster(created.error());
    return jsonReply(201, toJson(*created));
}

Reply listClasses(RosterStore& roster, const Principal& staff, const Request& /*request*/) {
    auto classes = roster.classes(staff.school);
    if (!classes) return fromRoster(classes.error());
    return jsonReply(200, {{QStringLiteral("classes"), toJsonArray(*classes)}});
}

Reply getClass(RosterStore& roster, const Principal& staff, const Request& request) {
    auto c = roster.klass(staff.school, request.param(QStringLiteral("id")));
    if (!c) return fromRoster(c.error());
    return jsonReply(200, toJson(*c));
}

Reply renameClass(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    const QString name = in.name("name");
    if (in.error()) return *in.error();
    auto c = roster.renameClass(staff.school, request.param(QStringLiteral("id")), name);
    if (!c) return fromRoster(c.error());
    return jsonReply(200, toJson(*c));
}

Reply removeClass(RosterStore& roster, const Principal& staff, const Request& request) {
    const QString id = request.param(QStringLiteral("id"));
    if (auto done = roster.removeClass(staff.school, id); !done) return fromRoster(done.error());
    return jsonReply(200, {{QStringLiteral("id"), id}, {QStringLiteral("removed"), true}});
}

Reply setMembers(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    const QStringList learners = in.uuids("learners");
    if (in.error()) return *in.error();
    auto c = roster.setMembers(staff.school, request.param(QStringLiteral("id")), learners);
    if (!c) return fromRoster(c.error());
    return jsonReply(200, toJson(*c));
}

Reply addMember(RosterStore& roster, const Principal& staff, const Request& request) {
    auto c =
        roster.addMember(staff.school, request.param(QStringLiteral("id")), request.param(QStringLiteral("learner")));
    if (!c) return fromRoster(c.error());
    return jsonReply(200, toJson(*c));
}

Reply removeMember(RosterStore& roster, const Principal& staff, const Request& request) {
    auto c = roster.removeMember(staff.school, request.param(QStringLiteral("id")),
                                 request.param(QStringLiteral("learner")));
    if (!c) return fromRoster(c.error());
    return jsonReply(200, toJson(*c));
}

// ---------------------------------------------------------------- devices and rosters

Reply listDevices(RosterStore& roster, const Principal& staff, const Request& /*request*/) {
    auto devices = roster.devices(staff.school);
    if (!devices) return fromRoster(devices.error());
    return jsonReply(200, {{QStringLiteral("devices"), toJsonArray(*devices)}});
}

Reply setDeviceClasses(RosterStore& roster, const Principal& staff, const Request& request) {
    auto body = readBody(request);
    if (auto* error = std::get_if<Reply>(&body)) return *error;
    BodyReader& in = std::get<BodyReader>(body);
    const QStringList classes = in.uuids("classes");
    if (in.error()) return *in.error();
    auto d = roster.setDeviceClasses(staff.school, request.param(QStringLiteral("id")), classes);
    if (!d) return fromRoster(d.error());
    return jsonReply(200, toJson(*d));
}

Reply getRoster(RosterStore& roster, const Principal& device, const Request& /*request*/) {
    auto r = roster.roster(device.school, device.subject);
    if (!r) return fromRoster(r.error());
    QJsonArray classes;
    for (const Class& c : r->classes)
        classes.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name}});
    QJsonArray learners;
    for (const Roster::Entry& e : r->learners) {
        QJsonObject o{{QStringLiteral("id"), e.learner.id},
                      {QStringLiteral("name"), e.learner.name},
                      {QStringLiteral("colour"), e.learner.colour},
                      {QStringLiteral("has_pin"), !e.learner.pin_hash.isEmpty()},
                      {QStringLiteral("classes"), toArray(e.classes)}};
        if (!e.learner.pin_hash.isEmpty()) o.insert(QStringLiteral("pin_hash"), e.learner.pin_hash);
        learners.append(o);
    }
    return jsonReply(200, {{QStringLiteral("classes"), classes}, {QStringLiteral("learners"), learners}});
}

// ---------------------------------------------------------------- mastery views

Reply myMastery(RosterStore& roster, const Principal& learner, const Request& /*request*/) {
    auto me = roster.learner(learner.school, learner.subject);
    if (!me) return fromRoster(me.error());
    auto cells = roster.learnerMastery(learner.school, learner.subject);
    if (!cells) return fromRoster(cells.error());
    QJsonArray out;
    for (const MasteryCell& m : *cells) {
        QJsonObject o = toJson(m);
        o.remove(QStringLiteral("learner"));
        out.append(o);
    }
    return jsonReply(200, {{QStringLiteral("learner"),
                            QJsonObject{{QStringLiteral("id"), me->id}, {QStringLiteral("name"), me->name}}},
                           {QStringLiteral("mastery"), out}});
}

Reply classMastery(RosterStore& roster, const Principal& staff, const Request& request) {
    const QString course = request.query().queryItemValue(QStringLiteral("course"));
    auto grid = roster.classMastery(staff.school, request.param(QStringLiteral("id")), course);
    if (!grid) return fromRoster(grid.error());
    QJsonArray learners;
    for (const Learner& l : grid->learners)
        learners.append(QJsonObject{{QStringLiteral("id"), l.id}, {QStringLiteral("name"), l.name}});
    std::set<std::pair<QString, QString>> skills;
    for (const MasteryCell& m : grid->cells) skills.emplace(m.course, m.skill);
    QJsonArray skillList;
    for (const auto& [c, s] : skills)
        skillList.append(QJsonObject{{QStringLiteral("course"), c}, {QStringLiteral("skill"), s}});
    return jsonReply(200, {{QStringLiteral("class"), QJsonObject{{QStringLiteral("id"), grid->klass.id},
                                                                 {QStringLiteral("name"), grid->klass.name}}},
                           {QStringLiteral("learners"), learners},
                           {QStringLiteral("skills"), skillList},
                           {QStringLiteral("cells"), toJsonArray(grid->cells)}});
}

}  // namespace

void addRosterRoutes(Router& router, ServerStore& store, RosterStore& roster) {
    using RouteHandler = Reply (*)(RosterStore&, const Principal&, const Request&);
    // Every route: who may call it (`what` completes "only ... may"), then the handler.
    const auto add = [&](Method method, const char* pattern, Callers callers, const char* what, RouteHandler handler) {
        router.add(method, QString::fromLatin1(pattern), [&store, &roster, callers, what, handler](const Request& r) {
            auto who = authenticateAs(store, r, callers, what);
            if (auto* error = std::get_if<Reply>(&who)) return *error;
            return handler(roster, std::get<Principal>(who), r);
        });
    };
    constexpr Callers admin = Callers::Admin;
    constexpr Callers staff = Callers::Staff;
    add(Method::Post, "/v1/teachers", admin, "add teachers", createTeacher);
    add(Method::Get, "/v1/teachers", admin, "list teachers", listTeachers);
    add(Method::Post, "/v1/teachers/{id}/token", admin, "issue teacher tokens", issueTeacherToken);
    add(Method::Delete, "/v1/tokens/{subject}", staff, "revoke tokens", revokeTokens);

    add(Method::Post, "/v1/learners", staff, "add learners", createLearner);
    add(Method::Get, "/v1/learners", staff, "list learners", listLearners);
    add(Method::Get, "/v1/learners/{id}", staff, "read learners", getLearner);
    add(Method::Patch, "/v1/learners/{id}", staff, "change learners", updateLearner);
    add(Method::Delete, "/v1/learners/{id}", staff, "remove learners", removeLearner);
    add(Method::Post, "/v1/learners/{id}/token", staff, "issue learner tokens", issueLearnerToken);

    add(Method::Post, "/v1/classes", staff, "add classes", createClass);
    add(Method::Get, "/v1/classes", staff, "list classes", listClasses);
    add(Method::Get, "/v1/classes/{id}", staff, "read classes", getClass);
    add(Method::Patch, "/v1/classes/{id}", staff, "rename classes", renameClass);
    add(Method::Delete, "/v1/classes/{id}", staff, "remove classes", removeClass);
    add(Method::Put, "/v1/classes/{id}/learners", staff, "change a class's learners", setMembers);
    add(Method::Post, "/v1/classes/{id}/learners/{learner}", staff, "change a class's learners", addMember);
    add(Method::Delete, "/v1/classes/{id}/learners/{learner}", staff, "change a class's learners", removeMember);
    add(Method::Get, "/v1/classes/{id}/mastery", staff, "read a class's mastery", classMastery);

    add(Method::Get, "/v1/devices", staff, "list devices", listDevices);
    add(Method::Put, "/v1/devices/{id}/classes", staff, "assign classes to devices", setDeviceClasses);
    add(Method::Get, "/v1/roster", Callers::Device, "read its roster", getRoster);
    add(Method::Get, "/v1/me/mastery", Callers::Learner, "read a learner's own mastery", myMastery);
}

}  // namespace kite::server
