// The course routes: GET /v1/courses and GET /v1/courses/{id}/package, with
// ETag / If-None-Match and gzip for the list. docs/protocol.md, "Courses".
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <utility>

#include "kite/course_store.h"
#include "kite/http.h"
#include "kite/server_store.h"

namespace kite::server {

// Package bytes for the package route, kept off the server thread: the
// latest version of each course stays in memory once asked for; any other
// read goes to a thread of its own with its own store connection (a package
// may be many MB), and requests for a package already being read wait for
// that one read. Used on the server thread only.
class PackageCache {
public:
    explicit PackageCache(QString dataDir);
    PackageCache(const PackageCache&) = delete;
    PackageCache& operator=(const PackageCache&) = delete;

    // Whether to keep the bytes in memory once read: the latest version of
    // each course is kept (replacing the one before), older ones are not.
    enum class Keep { Latest, No };

    // Calls `done` on this thread with the bytes of `course`, or why they
    // cannot be read: at once when in memory, else once read.
    using Done = std::function<void(const Result<QByteArray>&)>;
    void get(const CourseVersion& course, Keep keep, Done done);

private:
    void loaded(const CourseVersion& course, Keep keep, const Result<QByteArray>& bytes);

    QString data_dir_;
    QObject context_;                                      // this thread, where reads report back
    QHash<QString, std::pair<QString, QByteArray>> kept_;  // course id -> (sha256, bytes)
    QHash<QString, QList<Done>> waiting_;                  // sha256 -> who waits for it
    QThreadPool readers_;                                  // last, so that it is destroyed first, waiting for its reads
};

// `store` and `courses` are the server thread's connections.
void addCourseRoutes(Router& router, ServerStore& store, CourseStore& courses, PackageCache& packages);

}  // namespace kite::server
