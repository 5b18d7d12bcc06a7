// The courses a server hands out: each imported version of a course with its
// .kitepack bytes, behind a small interface (SQLite here, in the server's
// database, as its own "courses" schema part). docs/server.md, "Courses".
//
// A course id is one name on the whole server. A course is server-wide
// (every school sees it) unless its first import limited it to one school;
// its later versions keep that scope. Versions only move forward.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>

#include "kite/result.h"

namespace kite::server {

// One stored version of a course, without its package bytes.
struct CourseVersion {
    QString id;
    int version = 0;
    QString title;
    QString school;          // empty: every school sees it
    QString sha256;          // of the package bytes: its ETag, and the pull's "sha256"
    QString content_sha256;  // of the course files (the manifest's): the same content, the same hash
    std::int64_t size = 0;   // package bytes
    bool announced = false;  // its change-log entries are written
};

struct NewCourseVersion {
    CourseVersion course;  // `announced` is ignored
    QByteArray package;
};

struct StoreOutcome {
    enum class Kind { Imported, AlreadyImported, Refused };
    Kind kind = Kind::Refused;
    CourseVersion course;  // what is stored (Imported, AlreadyImported)
    QString refusal;       // why not, for people (Refused)
};

class CourseStore {
public:
    virtual ~CourseStore() = default;

    // Stores a version, unless: `school` is not a school of this server, the
    // course's earlier versions have another scope, or its version is not
    // above the latest with other content (Refused). The same content as a
    // stored version is AlreadyImported, and nothing changes.
    virtual Result<StoreOutcome> store(const NewCourseVersion& version) = 0;
    virtual Status markAnnounced(const QString& id, int version) = 0;

    // The latest version of each course `school` sees, by id.
    virtual Result<QList<CourseVersion>> latest(const QString& school) = 0;
    // One course `school` sees: `version`, or with 0 its latest.
    virtual Result<std::optional<CourseVersion>> find(const QString& school, const QString& id, int version) = 0;
    virtual Result<QByteArray> package(const QString& id, int version) = 0;
    // The schools that see `course`: its own, or every school of the server.
    virtual Result<QStringList> schoolsSeeing(const CourseVersion& course) = 0;
};

// The embedded default, in DIR/kite-server.db (kite/sql.h): one connection,
// used by the thread that opened it.
Result<std::unique_ptr<CourseStore>> openSqliteCourseStore(const QString& dataDir, const QString& purpose);

}  // namespace kite::server
