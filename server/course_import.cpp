#include "kite/course_import.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include "kite/course.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

// The pull's "course" change (kite/wire.h, CourseChange).
QJsonObject changeOf(const CourseVersion& c) {
    return wire::toJson(wire::PullChange{wire::CourseChange{c.id, c.version, c.sha256, c.size}});
}

// Adds the version's change for every school that sees it, then records
// that it did. A crash in between adds them again at the next import of the
// same content: a device may see a version twice, never miss one.
Status announce(ServerStore& server, CourseStore& courses, const CourseVersion& course) {
    auto schools = courses.schoolsSeeing(course);
    if (!schools) return schools.error();
    for (const QString& school : *schools) {
        if (auto added = server.appendChange(school, QString(), QStringLiteral("course"), changeOf(course)); !added)
            return added.error();
    }
    return courses.markAnnounced(course.id, course.version);
}

}  // namespace

Result<CourseImport> importCourse(ServerStore& server, CourseStore& courses, const QString& path,
                                  const QString& school) {
    // A file is read as a package, as devices read it; a folder as authored.
    const bool isPackage = QFileInfo(path).isFile();
    const course::CheckReport report = isPackage ? course::readPack(path) : course::readCourseDir(path);
    CourseImport out;
    for (course::Problem problem : report.problems) {
        // Paths in a folder's problems are relative to it: make them openable.
        if (!isPackage && !problem.file.isEmpty()) problem.file = QDir::cleanPath(path + u'/' + problem.file);
        (problem.warning ? out.warnings : out.problems) << problem.toString();
    }
    if (!report.ok()) return out;

    const course::Course& c = *report.course;
    auto package = course::packBytes(c);
    if (!package) {
        out.problems << QStringLiteral("%1: %2").arg(path, QString::fromStdString(package.error().message));
        return out;
    }
    NewCourseVersion version;
    version.course.id = c.id;
    version.course.version = c.version;
    version.course.title = c.title;
    version.course.school = school;
    version.course.sha256 = QString::fromLatin1(QCryptographicHash::hash(*package, QCryptographicHash::Sha256).toHex());
    version.course.content_sha256 = c.content_sha256;
    version.course.size = package->size();
    version.package = std::move(*package);

    auto stored = courses.store(version);
    if (!stored) return stored.error();
    out.kind = stored->kind;
    out.course = stored->course;
    if (stored->kind == StoreOutcome::Kind::Refused) {
        out.problems << stored->refusal;
        return out;
    }
    if (!stored->course.announced) {
        if (auto s = announce(server, courses, stored->course); !s) return s.error();
        out.course.announced = true;
    }
    return out;
}

Status announceCoursesTo(ServerStore& server, CourseStore& courses, const QString& school) {
    auto latest = courses.latest(school);
    if (!latest) return latest.error();
    for (const CourseVersion& course : *latest) {
        if (auto added = server.appendChange(school, QString(), QStringLiteral("course"), changeOf(course)); !added)
            return added.error();
    }
    return success();
}

}  // namespace kite::server
