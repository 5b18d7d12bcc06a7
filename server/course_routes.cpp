#include "kite/course_routes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaObject>
#include <limits>
#include <utility>
#include <variant>

#include "kite/compression.h"

namespace kite::server {

namespace {

constexpr std::initializer_list<Role> kAnyRole = {Role::Device, Role::Learner, Role::Teacher, Role::Admin};

QString packageUrl(const CourseVersion& c) {
    // Pinned to the version, so that what is downloaded is what was listed.
    return QStringLiteral("/v1/courses/%1/package?version=%2").arg(c.id).arg(c.version);
}

// Whether an If-None-Match header names `etag` (weak comparison, RFC 9110
// 13.1.2: a W/ prefix does not matter), or is "*".
bool noneMatchNames(const QByteArray& header, const QByteArray& etag) {
    for (QByteArray tag : header.split(',')) {
        tag = tag.trimmed();
        if (tag.startsWith("W/")) tag = tag.mid(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

Reply list(ServerStore& store, CourseStore& courses, const Request& request) {
    auto who = authenticate(store, request, kAnyRole, "list courses");
    if (auto* error = std::get_if<Reply>(&who)) return *error;
    auto latest = courses.latest(std::get<Principal>(who).school);
    if (!latest) return errorReply(503, QString::fromStdString(latest.error().message));
    QJsonArray out;
    for (const CourseVersion& c : *latest) {
        out.append(QJsonObject{{QStringLiteral("id"), c.id},
                               {QStringLiteral("version"), c.version},
                               {QStringLiteral("title"), c.title},
                               {QStringLiteral("sha256"), c.sha256},
                               {QStringLiteral("content_sha256"), c.content_sha256},
                               {QStringLiteral("size"), static_cast<double>(c.size)},
                               {QStringLiteral("package_url"), packageUrl(c)}});
    }
    Reply reply = jsonReply(200, {{QStringLiteral("courses"), out}});
    gzipIfAccepted(request, reply);
    return reply;
}

// The version a package request asks for (`version`, or with 0 the
// latest) among those `school` sees, and whether it is the latest; or the
// 404 or 503 to send. Another school's course is as unknown as one that does
// not exist.
std::variant<std::pair<CourseVersion, PackageCache::Keep>, Reply> findAsked(CourseStore& courses, const QString& school,
                                                                            const QString& id, int version) {
    auto latest = courses.find(school, id, 0);
    if (!latest) return errorReply(503, QString::fromStdString(latest.error().message));
    if (!*latest)
        return errorReply(404, QStringLiteral("no course '%1' in this school").arg(id.left(100)), QStringLiteral("id"));
    if (version == 0 || version == (*latest)->version) return std::pair{**latest, PackageCache::Keep::Latest};
    auto older = courses.find(school, id, version);
    if (!older) return errorReply(503, QString::fromStdString(older.error().message));
    if (!*older)
        return errorReply(404,
                          QStringLiteral("course '%1' has no version %2 (the latest is %3)")
                              .arg(id)
                              .arg(version)
                              .arg((*latest)->version),
                          QStringLiteral("version"));
    return std::pair{**older, PackageCache::Keep::No};
}

// Devices revalidate with the ETag rather than trust a copy.
const std::pair<QByteArray, QByteArray> kRevalidate{"Cache-Control", "no-cache"};

QByteArray etagOf(const CourseVersion& course) {
    return '"' + course.sha256.toLatin1() + '"';
}

Reply notModified(const CourseVersion& course) {
    Reply reply;
    reply.status = 304;
    reply.content_type.clear();
    reply.headers = {{"ETag", etagOf(course)}, kRevalidate};
    return reply;
}

Reply packageReply(const CourseVersion& course, const QByteArray& bytes) {
    Reply reply;
    reply.body = bytes;
    // A .kitepack is gzip already: it goes as it is, without Content-Encoding.
    reply.content_type = "application/vnd.kite.pack";
    const QString file = QStringLiteral("%1-v%2.kitepack").arg(course.id).arg(course.version);
    reply.headers = {{"ETag", etagOf(course)},
                     kRevalidate,
                     {"Content-Disposition", "attachment; filename=\"" + file.toUtf8() + '"'}};
    return reply;
}

void package(ServerStore& store, CourseStore& courses, PackageCache& packages, const Request& request,
             Responder responder) {
    auto who = authenticate(store, request, kAnyRole, "download courses");
    if (auto* error = std::get_if<Reply>(&who)) return responder.send(*error);
    const auto version = queryNumber(request, QStringLiteral("version"), 0, 1, std::numeric_limits<int>::max());
    if (auto* error = std::get_if<Reply>(&version)) return responder.send(*error);
    auto found = findAsked(courses, std::get<Principal>(who).school, request.param(QStringLiteral("id")),
                           static_cast<int>(std::get<std::int64_t>(version)));
    if (auto* error = std::get_if<Reply>(&found)) return responder.send(*error);
    const auto& [course, keep] = std::get<std::pair<CourseVersion, PackageCache::Keep>>(found);
    if (noneMatchNames(request.header("If-None-Match"), etagOf(course))) return responder.send(notModified(course));
    packages.get(course, keep, [responder, course = course](const Result<QByteArray>& bytes) {
        responder.send(bytes ? packageReply(course, *bytes)
                             : errorReply(503, QString::fromStdString(bytes.error().message)));
    });
}

}  // namespace

// ---------------------------------------------------------------- PackageCache

PackageCache::PackageCache(QString dataDir) : data_dir_(std::move(dataDir)) {
    readers_.setMaxThreadCount(2);
}

void PackageCache::get(const CourseVersion& course, Keep keep, Done done) {
    if (const auto kept = kept_.constFind(course.id); kept != kept_.constEnd() && kept->first == course.sha256)
        return done(kept->second);
    auto waiting = waiting_.find(course.sha256);
    if (waiting != waiting_.end()) {
        waiting->push_back(std::move(done));
        return;
    }
    waiting_.insert(course.sha256, {std::move(done)});
    readers_.start([this, course, keep, dataDir = data_dir_] {
        Result<QByteArray> bytes = Error{};
        if (auto store = openSqliteCourseStore(dataDir, QStringLiteral("package-read")); !store)
            bytes = store.error();
        else
            bytes = (*store)->package(course.id, course.version);
        // Back on the server thread; dropped if the cache is gone by then.
        QMetaObject::invokeMethod(
            &context_, [this, course, keep, bytes] { loaded(course, keep, bytes); }, Qt::QueuedConnection);
    });
}

void PackageCache::loaded(const CourseVersion& course, Keep keep, const Result<QByteArray>& bytes) {
    if (bytes && keep == Keep::Latest) kept_.insert(course.id, {course.sha256, *bytes});
    const QList<Done> waiting = waiting_.take(course.sha256);
    for (const Done& done : waiting) done(bytes);
}

// ---------------------------------------------------------------- routes

void addCourseRoutes(Router& router, ServerStore& store, CourseStore& courses, PackageCache& packages) {
    router.add(Method::Get, QStringLiteral("/v1/courses"),
               [&store, &courses](const Request& r) { return list(store, courses, r); });
    router.addAsync(Method::Get, QStringLiteral("/v1/courses/{id}/package"),
                    [&store, &courses, &packages](const Request& r, Responder responder) {
                        package(store, courses, packages, r, std::move(responder));
                    });
}

}  // namespace kite::server
