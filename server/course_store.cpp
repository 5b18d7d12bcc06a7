// CourseStore on SQLite: the embedded default.

#include "kite/course_store.h"

#include <QSqlQuery>
#include <QVariant>

#include "kite/sql.h"

namespace kite::server {

namespace {

// The courses part. A package is a few MB: it is kept as a BLOB in the same
// file as everything else, so that a backup of the data folder is whole. It
// is the last column, so that reading the others does not read it.
const std::initializer_list<std::initializer_list<const char*>> kCoursesSchema = {
    {
        // school NULL: every school sees the course. sha256 is of the package
        // bytes, content_sha256 of the course files (the manifest's).
        "CREATE TABLE courses(id TEXT NOT NULL, version INTEGER NOT NULL, school TEXT, title TEXT NOT NULL, "
        "sha256 TEXT NOT NULL, content_sha256 TEXT NOT NULL, size INTEGER NOT NULL, "
        "announced INTEGER NOT NULL DEFAULT 0, imported_at INTEGER NOT NULL, package BLOB NOT NULL, "
        "PRIMARY KEY(id, version))",
        "CREATE INDEX courses_by_school ON courses(school, id)",
    },
};

const QString kColumns = QStringLiteral("id, version, title, school, sha256, content_sha256, size, announced");

CourseVersion courseFrom(const QSqlQuery& q) {
    CourseVersion c;
    c.id = q.value(0).toString();
    c.version = q.value(1).toInt();
    c.title = q.value(2).toString();
    c.school = q.value(3).toString();
    c.sha256 = q.value(4).toString();
    c.content_sha256 = q.value(5).toString();
    c.size = q.value(6).toLongLong();
    c.announced = q.value(7).toBool();
    return c;
}

QVariant schoolOrNull(const QString& school) {
    return school.isEmpty() ? QVariant() : QVariant(school);
}

// Why `course` may not be stored beside `stored` (its versions, newest
// first), or "" when it may.
QString refusalOf(const CourseVersion& course, const QList<CourseVersion>& stored) {
    if (stored.isEmpty()) return {};
    const QString scope = stored.front().school;
    if (scope != course.school) {
        return scope.isEmpty()
                   ? QStringLiteral("course '%1' is server-wide (every school sees it): import it without --school")
                         .arg(course.id)
                   : QStringLiteral("course '%1' belongs to school %2: import it with --school %2")
                         .arg(course.id, scope);
    }
    const int latest = stored.front().version;
    if (course.version < latest)
        return QStringLiteral(
                   "course '%1' version %2 is older than the imported version %3, and versions only "
                   "move forward: raise \"version\" in course.json above %3")
            .arg(course.id)
            .arg(course.version)
            .arg(latest);
    if (course.version == latest)
        return QStringLiteral(
                   "course '%1' version %2 is already imported with other content: raise \"version\" in "
                   "course.json above %2 for a change to reach the devices")
            .arg(course.id)
            .arg(course.version);
    return {};
}

class SqliteCourseStore final : public CourseStore {
public:
    explicit SqliteCourseStore(std::unique_ptr<SqlConnection> connection) : connection_(std::move(connection)) {}

    Result<StoreOutcome> store(const NewCourseVersion& version) override;
    Status markAnnounced(const QString& id, int version) override;
    Result<QList<CourseVersion>> latest(const QString& school) override;
    Result<std::optional<CourseVersion>> find(const QString& school, const QString& id, int version) override;
    Result<QByteArray> package(const QString& id, int version) override;
    Result<QStringList> schoolsSeeing(const CourseVersion& course) override;

private:
    QSqlDatabase db() const { return connection_->db(); }
    std::unique_ptr<SqlConnection> connection_;
};

Result<StoreOutcome> SqliteCourseStore::store(const NewCourseVersion& version) {
    const CourseVersion& c = version.course;
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("importing a course"), d.lastError());
    auto fail = [](const QSqlError& e) { return sqlError(QStringLiteral("importing a course"), e); };
    if (!c.school.isEmpty()) {
        QSqlQuery school(d);
        school.prepare(QStringLiteral("SELECT 1 FROM schools WHERE id = ?"));
        school.addBindValue(c.school);
        if (!school.exec()) return fail(school.lastError());
        if (!school.next())
            return StoreOutcome{StoreOutcome::Kind::Refused,
                                {},
                                QStringLiteral("--school: no school '%1' on this server").arg(c.school)};
    }
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT %1 FROM courses WHERE id = ? ORDER BY version DESC").arg(kColumns));
    q.addBindValue(c.id);
    if (!q.exec()) return fail(q.lastError());
    QList<CourseVersion> stored;
    while (q.next()) stored.push_back(courseFrom(q));
    q.finish();
    for (const CourseVersion& s : stored) {
        if (s.content_sha256 == c.content_sha256 && s.school == c.school)
            return StoreOutcome{StoreOutcome::Kind::AlreadyImported, s, {}};
    }
    if (const QString refusal = refusalOf(c, stored); !refusal.isEmpty())
        return StoreOutcome{StoreOutcome::Kind::Refused, {}, refusal};

    QSqlQuery insert(d);
    insert.prepare(QStringLiteral(
        "INSERT INTO courses(id, version, school, title, sha256, content_sha256, size, imported_at, package) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(c.id);
    insert.addBindValue(c.version);
    insert.addBindValue(schoolOrNull(c.school));
    insert.addBindValue(c.title);
    insert.addBindValue(c.sha256);
    insert.addBindValue(c.content_sha256);
    insert.addBindValue(static_cast<qint64>(c.size));
    insert.addBindValue(static_cast<qint64>(nowMs()));
    insert.addBindValue(version.package);
    if (!insert.exec()) return fail(insert.lastError());
    if (!tx.commit()) return fail(d.lastError());
    StoreOutcome out{StoreOutcome::Kind::Imported, c, {}};
    out.course.announced = false;
    return out;
}

Status SqliteCourseStore::markAnnounced(const QString& id, int version) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("UPDATE courses SET announced = 1 WHERE id = ? AND version = ?"));
    q.addBindValue(id);
    q.addBindValue(version);
    if (!q.exec()) return sqlError(QStringLiteral("recording a course's announcement"), q.lastError());
    return success();
}

Result<QList<CourseVersion>> SqliteCourseStore::latest(const QString& school) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT %1 FROM courses c WHERE (school IS NULL OR school = ?) AND "
                             "version = (SELECT max(version) FROM courses WHERE id = c.id) ORDER BY id")
                  .arg(kColumns));
    q.addBindValue(school);
    if (!q.exec()) return sqlError(QStringLiteral("listing courses"), q.lastError());
    QList<CourseVersion> out;
    while (q.next()) out.push_back(courseFrom(q));
    return out;
}

Result<std::optional<CourseVersion>> SqliteCourseStore::find(const QString& school, const QString& id, int version) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT %1 FROM courses WHERE id = ? AND (school IS NULL OR school = ?) AND "
                             "(? = 0 OR version = ?) ORDER BY version DESC LIMIT 1")
                  .arg(kColumns));
    q.addBindValue(id);
    q.addBindValue(school);
    q.addBindValue(version);
    q.addBindValue(version);
    if (!q.exec()) return sqlError(QStringLiteral("finding a course"), q.lastError());
    if (!q.next()) return std::optional<CourseVersion>();
    return std::optional<CourseVersion>(courseFrom(q));
}

Result<QByteArray> SqliteCourseStore::package(const QString& id, int version) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT package FROM courses WHERE id = ? AND version = ?"));
    q.addBindValue(id);
    q.addBindValue(version);
    if (!q.exec()) return sqlError(QStringLiteral("reading a course package"), q.lastError());
    if (!q.next()) return Error{"no package of course '" + id.toStdString() + "' version " + std::to_string(version)};
    return q.value(0).toByteArray();
}

Result<QStringList> SqliteCourseStore::schoolsSeeing(const CourseVersion& course) {
    if (!course.school.isEmpty()) return QStringList{course.school};
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("SELECT id FROM schools ORDER BY created_at, id")))
        return sqlError(QStringLiteral("listing schools"), q.lastError());
    QStringList out;
    while (q.next()) out << q.value(0).toString();
    return out;
}

}  // namespace

Result<std::unique_ptr<CourseStore>> openSqliteCourseStore(const QString& dataDir, const QString& purpose) {
    auto connection = SqlConnection::open(dataDir, purpose);
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("courses"), kCoursesSchema); !s) return s.error();
    return std::unique_ptr<CourseStore>(new SqliteCourseStore(std::move(*connection)));
}

}  // namespace kite::server
