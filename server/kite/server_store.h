// The server's durable state behind one small interface, so that the
// embedded default (SQLite, here) and PostgreSQL for many instances are two
// implementations of the same thing. Every row carries its school and every
// call is scoped to one.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

#include "kite/result.h"

namespace kite::server {

enum class Role { Admin, Teacher, Device, Learner };
QString toString(Role role);

// Who a request comes from: what its token says.
struct Principal {
    QString school;
    Role role = Role::Device;
    QString subject;  // the device id for a device token; the user for others
};

struct NewSchool {
    QString school_id;
    QString admin_token;      // shown once; only its hash is kept
    QString enrollment_code;  // for devices to enroll with
};

struct Enrolled {
    QString device_id;
    QString token;  // shown once
    QString school_id;
};

// One event of a push, already validated as far as its own content goes.
struct IncomingEvent {
    std::int64_t seq = 0;
    QString id;
    QString kind;  // "attempt" or "statement"
    QString learner;
    QByteArray payload;  // compact JSON
};

struct PushOutcome {
    int accepted = 0;
    int duplicate = 0;
    std::int64_t max_seq = 0;  // the highest device sequence now held for this device
};

struct Stats {
    std::int64_t attempts = 0;
    std::int64_t events = 0;
    std::int64_t learners = 0;
    std::int64_t devices = 0;
    std::int64_t queue_depth = 0;
    std::int64_t dead_letter = 0;
    QString model_version;  // empty until a DKT model is active
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    // Schools and access.
    virtual Result<NewSchool> createSchool(const QString& name) = 0;
    virtual Result<Enrolled> enroll(const QString& enrollmentCode, const QString& deviceName) = 0;
    // The principal of a bearer token, or nothing for an unknown or revoked one.
    virtual Result<std::optional<Principal>> authenticate(const QString& token) = 0;

    // Commits the new events and one work item per new event in ONE
    // transaction; ids already held are counted as duplicates.
    virtual Result<PushOutcome> push(const Principal& device, const QList<IncomingEvent>& events) = 0;

    // Whole-server counts (`kite-server stats`), or one school's.
    virtual Result<Stats> stats(const QString& school = {}) = 0;
};

// The embedded default: one SQLite file in the data folder. `connection` names
// the Qt SQL connection, so that each thread can open its own.
Result<std::unique_ptr<ServerStore>> openSqliteStore(const QString& dataDir, const QString& connection);

// Random secrets: tokens are 256 bits in base64url; enrollment codes are 12
// characters from an alphabet without look-alikes, grouped "XXXX-XXXX-XXXX".
QString newToken();
QString newEnrollmentCode();
QString sha256Hex(const QString& text);

}  // namespace kite::server
