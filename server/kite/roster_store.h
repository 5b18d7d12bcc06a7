// Who is in a school besides its devices: teachers, learners and classes,
// which classes each device serves (its roster), and the mastery views built
// on them (a class × skill grid for teachers, a learner's own rows). Behind
// one small interface like ServerStore, so that PostgreSQL is a second
// implementation. Every call is scoped to one school: an id of another
// school is "not found", exactly as an id that does not exist.
//
// Learners are the core `learners` rows (pushes add the ones they meet);
// removing one hides it and keeps its events, which are an immutable log.
// Every change that alters what a device's roster holds adds, in the same
// transaction, a "learner" change per learner concerned to the change log
// devices pull (docs/protocol.md, "Learners, classes and roles").
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>

#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

// Why a roster call was refused, by what the client can do about it.
struct RosterError {
    enum class Kind {
        NotFound,  // no such object in this school (404)
        Conflict,  // the request clashes with what is held (409)
        Store,     // the store failed (503)
    };
    Kind kind = Kind::Store;
    QString message;
    QString field;  // the request member at fault, if one is
};

template <class T>
using RosterResult = Result<T, RosterError>;

struct Teacher {
    QString id;
    QString name;
    std::int64_t created_at = 0;  // Unix ms
    bool active = false;          // holds at least one token not revoked
};

// A token just made: shown once, only its hash is kept.
struct IssuedToken {
    QString subject;  // the teacher or learner it speaks for
    QString token;
};

struct Learner {
    QString id;
    QString name;      // "" for a learner known only from pushes, until named
    QString colour;    // "#rrggbb"; a default from the id when none was chosen
    QString pin_hash;  // "" when no PIN; the scheme of kite/pin_hash.h
    std::int64_t created_at = 0;
    bool removed = false;
};

struct NewLearner {
    QString id;  // "" for a new UUIDv7
    QString name;
    QString colour;    // "" for the default
    QString pin_hash;  // "" for none
};

// What a PATCH changes; a member left empty stays as it is.
struct LearnerPatch {
    std::optional<QString> name;
    std::optional<QString> colour;
    std::optional<QString> pin_hash;  // "" removes the PIN
};

struct Class {
    QString id;
    QString name;
    std::int64_t created_at = 0;
    QStringList learners;  // ids, sorted
    QStringList devices;   // the devices the class is assigned to, sorted
};

struct Device {
    QString id;
    QString name;
    QStringList classes;
};

// What a device serves: the learners of its classes.
struct Roster {
    struct Entry {
        Learner learner;
        QStringList classes;  // which of the device's classes they are in
    };
    QList<Class> classes;  // without members and devices
    QList<Entry> learners;
};

// One row of the core mastery table.
struct MasteryCell {
    QString learner;
    QString course;
    QString skill;
    QString model;   // "bkt" or "dkt"
    double p = 0.0;  // probability in [0, 1]
    int attempts = 0;
    std::int64_t updated_at = 0;  // Unix ms
};

struct ClassMastery {
    Class klass;
    QList<Learner> learners;   // the members, by name
    QList<MasteryCell> cells;  // by learner, course, skill, model
};

class RosterStore {
public:
    virtual ~RosterStore() = default;

    // Teachers and tokens. `revokeTokens` revokes every live token of
    // `subject` whose role is one of `roles`: NotFound when there is none.
    virtual RosterResult<IssuedToken> createTeacher(const QString& school, const QString& name) = 0;
    virtual RosterResult<QList<Teacher>> teachers(const QString& school) = 0;
    virtual RosterResult<IssuedToken> issueTeacherToken(const QString& school, const QString& teacher) = 0;
    virtual RosterResult<IssuedToken> issueLearnerToken(const QString& school, const QString& learner) = 0;
    virtual RosterResult<int> revokeTokens(const QString& school, const QString& subject, QList<Role> roles) = 0;

    // Learners. createLearner with an id the school holds is a Conflict,
    // unless the learner is known only from pushes (no name yet): then it
    // takes the name. removeLearner also takes them out of their classes and
    // revokes their tokens.
    virtual RosterResult<Learner> createLearner(const QString& school, const NewLearner& learner) = 0;
    virtual RosterResult<QList<Learner>> learners(const QString& school) = 0;  // not removed, by name
    virtual RosterResult<Learner> learner(const QString& school, const QString& id) = 0;
    virtual RosterResult<Learner> updateLearner(const QString& school, const QString& id,
                                                const LearnerPatch& patch) = 0;
    virtual RosterResult<Done> removeLearner(const QString& school, const QString& id) = 0;

    // Classes. Members must be learners of the school with a name (a
    // NotFound or Conflict names the offending "learners[i]"). createClass
    // with an id the school holds is a Conflict; `id` "" for a new UUIDv7.
    virtual RosterResult<Class> createClass(const QString& school, const QString& id, const QString& name,
                                            const QStringList& learners) = 0;
    virtual RosterResult<QList<Class>> classes(const QString& school) = 0;  // by name
    virtual RosterResult<Class> klass(const QString& school, const QString& id) = 0;
    virtual RosterResult<Class> renameClass(const QString& school, const QString& id, const QString& name) = 0;
    virtual RosterResult<Done> removeClass(const QString& school, const QString& id) = 0;
    virtual RosterResult<Class> setMembers(const QString& school, const QString& klass,
                                           const QStringList& learners) = 0;
    virtual RosterResult<Class> addMember(const QString& school, const QString& klass, const QString& learner) = 0;
    virtual RosterResult<Class> removeMember(const QString& school, const QString& klass, const QString& learner) = 0;

    // Devices and what they serve. Assigning a class lets the device pull
    // its members' changes (the core device_learners).
    virtual RosterResult<QList<Device>> devices(const QString& school) = 0;
    virtual RosterResult<Device> setDeviceClasses(const QString& school, const QString& device,
                                                  const QStringList& classes) = 0;
    virtual RosterResult<Roster> roster(const QString& school, const QString& device) = 0;

    // Mastery views: one learner's rows (every model), and a class's.
    // `course` "" for every course.
    virtual RosterResult<QList<MasteryCell>> learnerMastery(const QString& school, const QString& learner) = 0;
    virtual RosterResult<ClassMastery> classMastery(const QString& school, const QString& klass,
                                                    const QString& course) = 0;
};

// The SQLite implementation: its own connection to DIR/kite-server.db, used
// by the thread that opened it, with its tables in the migration part
// "roster".
Result<std::unique_ptr<RosterStore>> openSqliteRosterStore(const QString& dataDir, const QString& purpose);

}  // namespace kite::server
