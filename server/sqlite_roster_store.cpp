// RosterStore on SQLite: the "roster" migration part (teachers, learner
// profiles, classes, members, device assignments) on top of the core tables
// it shares (learners, tokens, device_learners, changes, mastery).

#include <QHash>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <set>

#include "kite/roster_store.h"
#include "kite/sql.h"
#include "kite/sqlite_core.h"
#include "kite/uuid.h"

namespace kite::server {

namespace {

const std::initializer_list<std::initializer_list<const char*>> kRosterSchema = {
    {
        "CREATE TABLE teachers(school TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, "
        "created_at INTEGER NOT NULL, PRIMARY KEY(school, id)) WITHOUT ROWID",
        // What a learner has besides the core row: colour and PIN hash for
        // kiosks; removed_at hides them (their events stay).
        "CREATE TABLE learner_profiles(school TEXT NOT NULL, learner TEXT NOT NULL, colour TEXT, pin_hash TEXT, "
        "removed_at INTEGER, PRIMARY KEY(school, learner)) WITHOUT ROWID",
        "CREATE TABLE classes(school TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, "
        "created_at INTEGER NOT NULL, PRIMARY KEY(school, id)) WITHOUT ROWID",
        "CREATE TABLE class_members(school TEXT NOT NULL, class TEXT NOT NULL, learner TEXT NOT NULL, "
        "PRIMARY KEY(school, class, learner)) WITHOUT ROWID",
        "CREATE INDEX class_members_by_learner ON class_members(school, learner)",
        "CREATE TABLE device_classes(school TEXT NOT NULL, device TEXT NOT NULL, class TEXT NOT NULL, "
        "PRIMARY KEY(school, device, class)) WITHOUT ROWID",
        "CREATE INDEX device_classes_by_class ON device_classes(school, class)",
        // Revoking finds a subject's tokens without a scan.
        "CREATE INDEX roster_tokens_by_subject ON tokens(school, subject)",
    },
};

// Kiosks show a learner by colour; one is picked from the id until a
// teacher chooses another.
QString defaultColour(const QString& learner) {
    static const char* const kPalette[] = {"#2a7ab0", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085",
                                           "#2c3e50", "#b7950b", "#e84393", "#6c5ce7", "#00838f", "#7f8c8d"};
    constexpr auto n = sizeof kPalette / sizeof kPalette[0];
    return QString::fromLatin1(kPalette[qHash(learner, 0) % n]);
}

RosterError notFound(const QString& message, const QString& field = {}) {
    return RosterError{RosterError::Kind::NotFound, message, field};
}

RosterError conflict(const QString& message, const QString& field = {}) {
    return RosterError{RosterError::Kind::Conflict, message, field};
}

RosterError storeFailed(const QString& what, const QSqlError& e) {
    return RosterError{RosterError::Kind::Store, QString::fromStdString(sqlError(what, e).message), {}};
}

RosterError storeFailed(const Error& e) {
    return RosterError{RosterError::Kind::Store, QString::fromStdString(e.message), {}};
}

// Prepares and runs `sql` with `values` bound in order.
bool run(QSqlQuery& q, const QString& sql, const QVariantList& values) {
    if (!q.prepare(sql)) return false;
    for (const QVariant& v : values) q.addBindValue(v);
    return q.exec();
}

const QString kLearnerColumns = QStringLiteral(
    "SELECT l.id, l.name, p.colour, p.pin_hash, l.created_at, p.removed_at FROM learners l LEFT JOIN "
    "learner_profiles p ON p.school = l.school AND p.learner = l.id ");

Learner learnerFrom(const QSqlQuery& q) {
    Learner l;
    l.id = q.value(0).toString();
    l.name = q.value(1).toString();
    l.colour = q.value(2).isNull() ? defaultColour(l.id) : q.value(2).toString();
    l.pin_hash = q.value(3).toString();
    l.created_at = q.value(4).toLongLong();
    l.removed = !q.value(5).isNull();
    return l;
}

// The change devices pull for a learner: the "learner" kind of
// docs/protocol.md, with the kiosk's PIN hash and the removal.
QJsonObject changeBody(const Learner& l) {
    QJsonObject o{{QStringLiteral("kind"), QStringLiteral("learner")},
                  {QStringLiteral("id"), l.id},
                  {QStringLiteral("name"), l.name},
                  {QStringLiteral("colour"), l.colour},
                  {QStringLiteral("has_pin"), !l.pin_hash.isEmpty()},
                  {QStringLiteral("removed"), l.removed}};
    if (!l.pin_hash.isEmpty()) o.insert(QStringLiteral("pin_hash"), l.pin_hash);
    return o;
}

QString placeholders(qsizetype n) {
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i) marks << QStringLiteral("?");
    return marks.join(QLatin1Char(','));
}

class SqliteRosterStore final : public RosterStore {
public:
    explicit SqliteRosterStore(std::unique_ptr<SqlConnection> connection) : connection_(std::move(connection)) {}

    RosterResult<IssuedToken> createTeacher(const QString& school, const QString& name) override;
    RosterResult<QList<Teacher>> teachers(const QString& school) override;
    RosterResult<IssuedToken> issueTeacherToken(const QString& school, const QString& teacher) override;
    RosterResult<IssuedToken> issueLearnerToken(const QString& school, const QString& learner) override;
    RosterResult<int> revokeTokens(const QString& school, const QString& subject, QList<Role> roles) override;

    RosterResult<Learner> createLearner(const QString& school, const NewLearner& learner) override;
    RosterResult<QList<Learner>> learners(const QString& school) override;
    RosterResult<Learner> learner(const QString& school, const QString& id) override;
    RosterResult<Learner> updateLearner(const QString& school, const QString& id, const LearnerPatch& patch) override;
    RosterResult<Done> removeLearner(const QString& school, const QString& id) override;

    RosterResult<Class> createClass(const QString& school, const QString& id, const QString& name,
                                    const QStringList& learners) override;
    RosterResult<QList<Class>> classes(const QString& school) override;
    RosterResult<Class> klass(const QString& school, const QString& id) override;
    RosterResult<Class> renameClass(const QString& school, const QString& id, const QString& name) override;
    RosterResult<Done> removeClass(const QString& school, const QString& id) override;
    RosterResult<Class> setMembers(const QString& school, const QString& klass, const QStringList& learners) override;
    RosterResult<Class> addMember(const QString& school, const QString& klass, const QString& learner) override;
    RosterResult<Class> removeMember(const QString& school, const QString& klass, const QString& learner) override;

    RosterResult<QList<Device>> devices(const QString& school) override;
    RosterResult<Device> setDeviceClasses(const QString& school, const QString& device,
                                          const QStringList& classes) override;
    RosterResult<Roster> roster(const QString& school, const QString& device) override;

    RosterResult<QList<MasteryCell>> learnerMastery(const QString& school, const QString& learner) override;
    RosterResult<ClassMastery> classMastery(const QString& school, const QString& klass,
                                            const QString& course) override;

private:
    QSqlDatabase db() const { return connection_->db(); }
    // A learner of the school, removed or not; NotFound names `field`.
    RosterResult<Learner> findLearner(const QString& school, const QString& id, const QString& field = {});
    RosterResult<Learner> liveLearner(const QString& school, const QString& id, const QString& field = {});
    // A learner who may join a class: live and named.
    RosterResult<Done> checkMember(const QString& school, const QString& id, const QString& field);
    RosterResult<Class> findClass(const QString& school, const QString& id, const QString& field = {});
    RosterResult<QStringList> members(const QString& school, const QString& klass);
    // Makes `learners` the members of `klass` (whose members were `before`),
    // links them to the class's devices and announces who joined or left.
    RosterResult<Done> writeMembers(const QString& school, const QString& klass, const QStringList& before,
                                    const QStringList& learners);
    // Lets the devices that serve `klass` (or, with `device`, that one
    // device's classes) pull their learners' changes.
    RosterResult<Done> linkClass(const QString& school, const QString& klass);
    RosterResult<Done> linkDevice(const QString& school, const QString& device);
    // Adds a change for each of `learners` that has a name.
    RosterResult<Done> announce(const QString& school, const QStringList& learners);
    RosterResult<IssuedToken> issueToken(const QString& school, Role role, const QString& subject);
    // Runs `body` in one transaction, committed if it succeeds.
    template <class T, class F>
    RosterResult<T> inTransaction(const QString& what, F&& body);

    std::unique_ptr<SqlConnection> connection_;
};

template <class T, class F>
RosterResult<T> SqliteRosterStore::inTransaction(const QString& what, F&& body) {
    QSqlDatabase d = db();
    Transaction tx(d, Transaction::Begin::Immediate);  // each reads before it writes
    if (!tx.begun()) return storeFailed(what, tx.error());
    RosterResult<T> out = body();
    if (!out) return out;
    if (!tx.commit()) return storeFailed(what, tx.error());
    return out;
}

// ---------------------------------------------------------------- lookups

RosterResult<Learner> SqliteRosterStore::findLearner(const QString& school, const QString& id, const QString& field) {
    QSqlQuery q(db());
    if (!run(q, kLearnerColumns + QStringLiteral("WHERE l.school = ? AND l.id = ?"), {school, id}))
        return storeFailed(QStringLiteral("reading a learner"), q.lastError());
    if (!q.next()) return notFound(QStringLiteral("no learner '%1' in this school").arg(id), field);
    return learnerFrom(q);
}

RosterResult<Learner> SqliteRosterStore::liveLearner(const QString& school, const QString& id, const QString& field) {
    auto l = findLearner(school, id, field);
    if (l && l->removed) return notFound(QStringLiteral("no learner '%1' in this school").arg(id), field);
    return l;
}

RosterResult<Done> SqliteRosterStore::checkMember(const QString& school, const QString& id, const QString& field) {
    auto l = liveLearner(school, id, field);
    if (!l) return l.error();
    if (l->name.isEmpty())
        return conflict(QStringLiteral("learner '%1' has no name yet: name them (PATCH /v1/learners/%1) first").arg(id),
                        field);
    return Done{};
}

RosterResult<QStringList> SqliteRosterStore::members(const QString& school, const QString& klass) {
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT learner FROM class_members WHERE school = ? AND class = ? ORDER BY learner"),
             {school, klass}))
        return storeFailed(QStringLiteral("reading a class"), q.lastError());
    QStringList out;
    while (q.next()) out << q.value(0).toString();
    return out;
}

RosterResult<Class> SqliteRosterStore::findClass(const QString& school, const QString& id, const QString& field) {
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT id, name, created_at FROM classes WHERE school = ? AND id = ?"), {school, id}))
        return storeFailed(QStringLiteral("reading a class"), q.lastError());
    if (!q.next()) return notFound(QStringLiteral("no class '%1' in this school").arg(id), field);
    Class c{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), {}, {}};
    q.finish();
    auto m = members(school, id);
    if (!m) return m.error();
    c.learners = *m;
    if (!run(q, QStringLiteral("SELECT device FROM device_classes WHERE school = ? AND class = ? ORDER BY device"),
             {school, id}))
        return storeFailed(QStringLiteral("reading a class"), q.lastError());
    while (q.next()) c.devices << q.value(0).toString();
    return c;
}

// ---------------------------------------------------------------- change log

RosterResult<Done> SqliteRosterStore::linkClass(const QString& school, const QString& klass) {
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral(
                 "INSERT OR IGNORE INTO device_learners(school, device, learner) SELECT d.school, d.device, "
                 "m.learner FROM device_classes d JOIN class_members m ON m.school = d.school AND m.class = d.class "
                 "WHERE d.school = ? AND d.class = ?"),
             {school, klass}))
        return storeFailed(QStringLiteral("assigning learners to devices"), q.lastError());
    return Done{};
}

RosterResult<Done> SqliteRosterStore::linkDevice(const QString& school, const QString& device) {
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral(
                 "INSERT OR IGNORE INTO device_learners(school, device, learner) SELECT d.school, d.device, "
                 "m.learner FROM device_classes d JOIN class_members m ON m.school = d.school AND m.class = d.class "
                 "WHERE d.school = ? AND d.device = ?"),
             {school, device}))
        return storeFailed(QStringLiteral("assigning learners to devices"), q.lastError());
    return Done{};
}

RosterResult<Done> SqliteRosterStore::announce(const QString& school, const QStringList& learners) {
    for (const QString& id : learners) {
        auto l = findLearner(school, id);
        if (!l) return l.error();
        // A learner without a name is nothing a device can show (and the
        // "learner" change needs one).
        if (l->name.isEmpty()) continue;
        if (auto seq = insertChange(db(), school, id, QStringLiteral("roster"), changeBody(*l)); !seq)
            return storeFailed(seq.error());
    }
    return Done{};
}

// ---------------------------------------------------------------- teachers and tokens

RosterResult<IssuedToken> SqliteRosterStore::issueToken(const QString& school, Role role, const QString& subject) {
    IssuedToken out{subject, newToken()};
    if (auto s = insertToken(db(), out.token, school, role, subject); !s) return storeFailed(s.error());
    return out;
}

RosterResult<IssuedToken> SqliteRosterStore::createTeacher(const QString& school, const QString& name) {
    return inTransaction<IssuedToken>(QStringLiteral("adding a teacher"), [&]() -> RosterResult<IssuedToken> {
        const QString id = newUuidV7();
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("INSERT INTO teachers(school, id, name, created_at) VALUES (?, ?, ?, ?)"),
                 {school, id, name, static_cast<qint64>(nowMs())}))
            return storeFailed(QStringLiteral("adding a teacher"), q.lastError());
        return issueToken(school, Role::Teacher, id);
    });
}

RosterResult<QList<Teacher>> SqliteRosterStore::teachers(const QString& school) {
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral(
                 "SELECT t.id, t.name, t.created_at, EXISTS(SELECT 1 FROM tokens k WHERE k.school = t.school AND "
                 "k.subject = t.id AND k.role = 'teacher' AND k.revoked_at IS NULL) FROM teachers t "
                 "WHERE t.school = ? ORDER BY t.name, t.id"),
             {school}))
        return storeFailed(QStringLiteral("listing teachers"), q.lastError());
    QList<Teacher> out;
    while (q.next())
        out.push_back(
            Teacher{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toBool()});
    return out;
}

RosterResult<IssuedToken> SqliteRosterStore::issueTeacherToken(const QString& school, const QString& teacher) {
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT 1 FROM teachers WHERE school = ? AND id = ?"), {school, teacher}))
        return storeFailed(QStringLiteral("finding a teacher"), q.lastError());
    if (!q.next()) return notFound(QStringLiteral("no teacher '%1' in this school").arg(teacher));
    q.finish();
    return issueToken(school, Role::Teacher, teacher);
}

RosterResult<IssuedToken> SqliteRosterStore::issueLearnerToken(const QString& school, const QString& learner) {
    auto l = liveLearner(school, learner);
    if (!l) return l.error();
    return issueToken(school, Role::Learner, learner);
}

RosterResult<int> SqliteRosterStore::revokeTokens(const QString& school, const QString& subject, QList<Role> roles) {
    QVariantList values{static_cast<qint64>(nowMs()), school, subject};
    for (Role r : roles) values << toString(r);
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE school = ? AND subject = ? AND revoked_at IS NULL "
                            "AND role IN (%1)")
                 .arg(placeholders(roles.size())),
             values))
        return storeFailed(QStringLiteral("revoking tokens"), q.lastError());
    const int n = q.numRowsAffected();
    if (n == 0) return notFound(QStringLiteral("no live token of '%1' that you may revoke").arg(subject));
    return n;
}

// ---------------------------------------------------------------- learners

RosterResult<Learner> SqliteRosterStore::createLearner(const QString& school, const NewLearner& learner) {
    return inTransaction<Learner>(QStringLiteral("adding a learner"), [&]() -> RosterResult<Learner> {
        const QString id = learner.id.isEmpty() ? newUuidV7() : learner.id;
        if (auto held = findLearner(school, id); held) {
            if (held->removed)
                return conflict(QStringLiteral("learner '%1' was removed").arg(id), QStringLiteral("id"));
            if (!held->name.isEmpty())
                return conflict(QStringLiteral("this school already has learner '%1'").arg(id), QStringLiteral("id"));
        } else if (held.error().kind != RosterError::Kind::NotFound) {
            return held.error();
        }
        // A learner known from pushes takes the name; a new one is added.
        QSqlQuery q(db());
        if (!run(q,
                 QStringLiteral("INSERT INTO learners(school, id, name, created_at) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT(school, id) DO UPDATE SET name = excluded.name"),
                 {school, id, learner.name, static_cast<qint64>(nowMs())}))
            return storeFailed(QStringLiteral("adding a learner"), q.lastError());
        if (!run(q,
                 QStringLiteral("INSERT INTO learner_profiles(school, learner, colour, pin_hash) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT(school, learner) DO UPDATE SET colour = excluded.colour, "
                                "pin_hash = excluded.pin_hash"),
                 {school, id, learner.colour.isEmpty() ? QVariant() : QVariant(learner.colour),
                  learner.pin_hash.isEmpty() ? QVariant() : QVariant(learner.pin_hash)}))
            return storeFailed(QStringLiteral("adding a learner"), q.lastError());
        if (auto a = announce(school, {id}); !a) return a.error();
        return findLearner(school, id);
    });
}

RosterResult<QList<Learner>> SqliteRosterStore::learners(const QString& school) {
    QSqlQuery q(db());
    if (!run(q, kLearnerColumns + QStringLiteral("WHERE l.school = ? AND p.removed_at IS NULL ORDER BY l.name, l.id"),
             {school}))
        return storeFailed(QStringLiteral("listing learners"), q.lastError());
    QList<Learner> out;
    while (q.next()) out.push_back(learnerFrom(q));
    return out;
}

RosterResult<Learner> SqliteRosterStore::learner(const QString& school, const QString& id) {
    return liveLearner(school, id);
}

RosterResult<Learner> SqliteRosterStore::updateLearner(const QString& school, const QString& id,
                                                       const LearnerPatch& patch) {
    return inTransaction<Learner>(QStringLiteral("changing a learner"), [&]() -> RosterResult<Learner> {
        auto l = liveLearner(school, id);
        if (!l) return l.error();
        QSqlQuery q(db());
        if (patch.name && !run(q, QStringLiteral("UPDATE learners SET name = ? WHERE school = ? AND id = ?"),
                               {*patch.name, school, id}))
            return storeFailed(QStringLiteral("renaming a learner"), q.lastError());
        const QString colour = patch.colour.value_or(l->colour);
        const QString pin = patch.pin_hash.value_or(l->pin_hash);
        if (!run(q,
                 QStringLiteral("INSERT INTO learner_profiles(school, learner, colour, pin_hash) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT(school, learner) DO UPDATE SET colour = excluded.colour, "
                                "pin_hash = excluded.pin_hash"),
                 {school, id, colour, pin.isEmpty() ? QVariant() : QVariant(pin)}))
            return storeFailed(QStringLiteral("changing a learner"), q.lastError());
        if (auto a = announce(school, {id}); !a) return a.error();
        return findLearner(school, id);
    });
}

RosterResult<Done> SqliteRosterStore::removeLearner(const QString& school, const QString& id) {
    return inTransaction<Done>(QStringLiteral("removing a learner"), [&]() -> RosterResult<Done> {
        auto l = liveLearner(school, id);
        if (!l) return l.error();
        const qint64 now = nowMs();
        QSqlQuery q(db());
        if (!run(q,
                 QStringLiteral("INSERT INTO learner_profiles(school, learner, removed_at) VALUES (?, ?, ?) "
                                "ON CONFLICT(school, learner) DO UPDATE SET removed_at = excluded.removed_at"),
                 {school, id, now}) ||
            !run(q, QStringLiteral("DELETE FROM class_members WHERE school = ? AND learner = ?"), {school, id}) ||
            !run(q,
                 QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE school = ? AND subject = ? AND "
                                "role = 'learner' AND revoked_at IS NULL"),
                 {now, school, id}))
            return storeFailed(QStringLiteral("removing a learner"), q.lastError());
        return announce(school, {id});
    });
}

// ---------------------------------------------------------------- classes

RosterResult<Class> SqliteRosterStore::createClass(const QString& school, const QString& id, const QString& name,
                                                   const QStringList& learners) {
    return inTransaction<Class>(QStringLiteral("adding a class"), [&]() -> RosterResult<Class> {
        const QString klass = id.isEmpty() ? newUuidV7() : id;
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("INSERT OR IGNORE INTO classes(school, id, name, created_at) VALUES (?, ?, ?, ?)"),
                 {school, klass, name, static_cast<qint64>(nowMs())}))
            return storeFailed(QStringLiteral("adding a class"), q.lastError());
        if (q.numRowsAffected() == 0)
            return conflict(QStringLiteral("this school already has class '%1'").arg(klass), QStringLiteral("id"));
        if (auto m = writeMembers(school, klass, {}, learners); !m) return m.error();
        return findClass(school, klass);
    });
}

RosterResult<QList<Class>> SqliteRosterStore::classes(const QString& school) {
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT id FROM classes WHERE school = ? ORDER BY name, id"), {school}))
        return storeFailed(QStringLiteral("listing classes"), q.lastError());
    QStringList ids;
    while (q.next()) ids << q.value(0).toString();
    QList<Class> out;
    for (const QString& id : ids) {
        auto c = findClass(school, id);
        if (!c) return c.error();
        out.push_back(*c);
    }
    return out;
}

RosterResult<Class> SqliteRosterStore::klass(const QString& school, const QString& id) {
    return findClass(school, id);
}

RosterResult<Class> SqliteRosterStore::renameClass(const QString& school, const QString& id, const QString& name) {
    return inTransaction<Class>(QStringLiteral("renaming a class"), [&]() -> RosterResult<Class> {
        auto c = findClass(school, id);
        if (!c) return c;
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("UPDATE classes SET name = ? WHERE school = ? AND id = ?"), {name, school, id}))
            return storeFailed(QStringLiteral("renaming a class"), q.lastError());
        if (auto a = announce(school, c->learners); !a) return a.error();
        c->name = name;
        return c;
    });
}

RosterResult<Done> SqliteRosterStore::removeClass(const QString& school, const QString& id) {
    return inTransaction<Done>(QStringLiteral("removing a class"), [&]() -> RosterResult<Done> {
        auto c = findClass(school, id);
        if (!c) return c.error();
        QSqlQuery q(db());
        for (const char* sql : {"DELETE FROM class_members WHERE school = ? AND class = ?",
                                "DELETE FROM device_classes WHERE school = ? AND class = ?",
                                "DELETE FROM classes WHERE school = ? AND id = ?"}) {
            if (!run(q, QString::fromLatin1(sql), {school, id}))
                return storeFailed(QStringLiteral("removing a class"), q.lastError());
        }
        return announce(school, c->learners);
    });
}

RosterResult<Done> SqliteRosterStore::writeMembers(const QString& school, const QString& klass,
                                                   const QStringList& before, const QStringList& learners) {
    for (qsizetype i = 0; i < learners.size(); ++i) {
        if (auto ok = checkMember(school, learners[i], QStringLiteral("learners[%1]").arg(i)); !ok) return ok.error();
    }
    const std::set<QString> was(before.begin(), before.end());
    const std::set<QString> is(learners.begin(), learners.end());
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("DELETE FROM class_members WHERE school = ? AND class = ?"), {school, klass}))
        return storeFailed(QStringLiteral("setting a class's learners"), q.lastError());
    for (const QString& id : is) {
        if (!run(q, QStringLiteral("INSERT INTO class_members(school, class, learner) VALUES (?, ?, ?)"),
                 {school, klass, id}))
            return storeFailed(QStringLiteral("setting a class's learners"), q.lastError());
    }
    if (auto linked = linkClass(school, klass); !linked) return linked.error();
    QStringList changed;  // joined or left
    for (const QString& id : is)
        if (!was.count(id)) changed << id;
    for (const QString& id : was)
        if (!is.count(id)) changed << id;
    return announce(school, changed);
}

RosterResult<Class> SqliteRosterStore::setMembers(const QString& school, const QString& klass,
                                                  const QStringList& learners) {
    return inTransaction<Class>(QStringLiteral("setting a class's learners"), [&]() -> RosterResult<Class> {
        auto c = findClass(school, klass);
        if (!c) return c;
        if (auto m = writeMembers(school, klass, c->learners, learners); !m) return m.error();
        return findClass(school, klass);
    });
}

RosterResult<Class> SqliteRosterStore::addMember(const QString& school, const QString& klass, const QString& learner) {
    return inTransaction<Class>(QStringLiteral("adding a learner to a class"), [&]() -> RosterResult<Class> {
        auto c = findClass(school, klass);
        if (!c) return c;
        if (auto ok = checkMember(school, learner, {}); !ok) return ok.error();
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("INSERT OR IGNORE INTO class_members(school, class, learner) VALUES (?, ?, ?)"),
                 {school, klass, learner}))
            return storeFailed(QStringLiteral("adding a learner to a class"), q.lastError());
        if (q.numRowsAffected() > 0) {
            if (auto linked = linkClass(school, klass); !linked) return linked.error();
            if (auto a = announce(school, {learner}); !a) return a.error();
        }
        return findClass(school, klass);
    });
}

RosterResult<Class> SqliteRosterStore::removeMember(const QString& school, const QString& klass,
                                                    const QString& learner) {
    return inTransaction<Class>(QStringLiteral("taking a learner out of a class"), [&]() -> RosterResult<Class> {
        auto c = findClass(school, klass);
        if (!c) return c;
        if (!c->learners.contains(learner))
            return notFound(QStringLiteral("learner '%1' is not in class '%2'").arg(learner, klass));
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("DELETE FROM class_members WHERE school = ? AND class = ? AND learner = ?"),
                 {school, klass, learner}))
            return storeFailed(QStringLiteral("taking a learner out of a class"), q.lastError());
        if (auto a = announce(school, {learner}); !a) return a.error();
        return findClass(school, klass);
    });
}

// ---------------------------------------------------------------- devices and rosters

RosterResult<QList<Device>> SqliteRosterStore::devices(const QString& school) {
    QSqlQuery q(db());
    if (!run(
            q,
            QStringLiteral("SELECT d.id, d.name, c.class FROM devices d LEFT JOIN device_classes c ON "
                           "c.school = d.school AND c.device = d.id WHERE d.school = ? ORDER BY d.name, d.id, c.class"),
            {school}))
        return storeFailed(QStringLiteral("listing devices"), q.lastError());
    QList<Device> out;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (out.isEmpty() || out.back().id != id) out.push_back(Device{id, q.value(1).toString(), {}});
        if (!q.value(2).isNull()) out.back().classes << q.value(2).toString();
    }
    return out;
}

RosterResult<Device> SqliteRosterStore::setDeviceClasses(const QString& school, const QString& device,
                                                         const QStringList& classes) {
    return inTransaction<Device>(QStringLiteral("assigning classes to a device"), [&]() -> RosterResult<Device> {
        QSqlQuery q(db());
        if (!run(q, QStringLiteral("SELECT name FROM devices WHERE school = ? AND id = ?"), {school, device}))
            return storeFailed(QStringLiteral("finding a device"), q.lastError());
        if (!q.next()) return notFound(QStringLiteral("no device '%1' in this school").arg(device));
        Device out{device, q.value(0).toString(), {}};
        q.finish();
        QStringList before;
        if (!run(q, QStringLiteral("SELECT class FROM device_classes WHERE school = ? AND device = ?"),
                 {school, device}))
            return storeFailed(QStringLiteral("finding a device"), q.lastError());
        while (q.next()) before << q.value(0).toString();
        std::set<QString> concerned;  // the members of every class that came or went
        for (qsizetype i = 0; i < classes.size(); ++i) {
            auto c = findClass(school, classes[i], QStringLiteral("classes[%1]").arg(i));
            if (!c) return c.error();
            if (!before.contains(classes[i])) concerned.insert(c->learners.begin(), c->learners.end());
        }
        for (const QString& gone : before) {
            if (classes.contains(gone)) continue;
            auto m = members(school, gone);
            if (!m) return m.error();
            concerned.insert(m->begin(), m->end());
        }
        if (!run(q, QStringLiteral("DELETE FROM device_classes WHERE school = ? AND device = ?"), {school, device}))
            return storeFailed(QStringLiteral("assigning classes to a device"), q.lastError());
        const std::set<QString> wanted(classes.begin(), classes.end());
        for (const QString& klass : wanted) {
            if (!run(q, QStringLiteral("INSERT INTO device_classes(school, device, class) VALUES (?, ?, ?)"),
                     {school, device, klass}))
                return storeFailed(QStringLiteral("assigning classes to a device"), q.lastError());
            out.classes << klass;
        }
        if (auto linked = linkDevice(school, device); !linked) return linked.error();
        if (auto a = announce(school, QStringList(concerned.begin(), concerned.end())); !a) return a.error();
        return out;
    });
}

RosterResult<Roster> SqliteRosterStore::roster(const QString& school, const QString& device) {
    Roster out;
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT c.id, c.name, c.created_at FROM device_classes d JOIN classes c ON "
                            "c.school = d.school AND c.id = d.class WHERE d.school = ? AND d.device = ? "
                            "ORDER BY c.name, c.id"),
             {school, device}))
        return storeFailed(QStringLiteral("reading a roster"), q.lastError());
    while (q.next())
        out.classes.push_back(Class{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), {}, {}});
    q.finish();
    // Members of the device's classes, with the classes they are in.
    if (!run(q,
             QStringLiteral(
                 "SELECT l.id, l.name, p.colour, p.pin_hash, l.created_at, p.removed_at, m.class "
                 "FROM device_classes d JOIN class_members m ON m.school = d.school AND m.class = d.class "
                 "JOIN learners l ON l.school = m.school AND l.id = m.learner "
                 "LEFT JOIN learner_profiles p ON p.school = l.school AND p.learner = l.id "
                 "WHERE d.school = ? AND d.device = ? AND p.removed_at IS NULL ORDER BY l.name, l.id, m.class"),
             {school, device}))
        return storeFailed(QStringLiteral("reading a roster"), q.lastError());
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (out.learners.isEmpty() || out.learners.back().learner.id != id)
            out.learners.push_back(Roster::Entry{learnerFrom(q), {}});
        out.learners.back().classes << q.value(6).toString();
    }
    return out;
}

// ---------------------------------------------------------------- mastery views

MasteryCell cellFrom(const QSqlQuery& q) {
    return MasteryCell{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),  q.value(3).toString(),
                       q.value(4).toDouble(), q.value(5).toInt(),    q.value(6).toLongLong()};
}

RosterResult<QList<MasteryCell>> SqliteRosterStore::learnerMastery(const QString& school, const QString& learner) {
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT learner, course, skill, model, p, attempts, updated_at FROM mastery "
                            "WHERE school = ? AND learner = ? ORDER BY course, skill, model"),
             {school, learner}))
        return storeFailed(QStringLiteral("reading mastery"), q.lastError());
    QList<MasteryCell> out;
    while (q.next()) out.push_back(cellFrom(q));
    return out;
}

RosterResult<ClassMastery> SqliteRosterStore::classMastery(const QString& school, const QString& klass,
                                                           const QString& course) {
    auto c = findClass(school, klass);
    if (!c) return c.error();
    ClassMastery out{*c, {}, {}};
    for (const QString& id : c->learners) {
        auto l = findLearner(school, id);
        if (!l) return l.error();
        out.learners.push_back(*l);
    }
    std::stable_sort(out.learners.begin(), out.learners.end(),
                     [](const Learner& a, const Learner& b) { return a.name < b.name; });
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT m.learner, m.course, m.skill, m.model, m.p, m.attempts, m.updated_at "
                            "FROM class_members c JOIN mastery m ON m.school = c.school AND m.learner = c.learner "
                            "WHERE c.school = ? AND c.class = ? AND (? OR m.course = ?) "
                            "ORDER BY m.learner, m.course, m.skill, m.model"),
             {school, klass, course.isEmpty(), course}))
        return storeFailed(QStringLiteral("reading mastery"), q.lastError());
    while (q.next()) out.cells.push_back(cellFrom(q));
    return out;
}

}  // namespace

Result<std::unique_ptr<RosterStore>> openSqliteRosterStore(const QString& dataDir, const QString& purpose) {
    auto connection = SqlConnection::open(dataDir, purpose);
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("roster"), kRosterSchema); !s) return s.error();
    return std::unique_ptr<RosterStore>(new SqliteRosterStore(std::move(*connection)));
}

}  // namespace kite::server
