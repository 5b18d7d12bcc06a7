// What `kite-server course import` does: read and check a course with the
// course reader, store its canonical package, and tell every school that sees
// it through the change log devices pull. docs/server.md, "Courses".
#pragma once

#include <QString>
#include <QStringList>

#include "kite/course_store.h"
#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

// What `kite-server course import` did.
struct CourseImport {
    StoreOutcome::Kind kind = StoreOutcome::Kind::Refused;
    CourseVersion course;
    QStringList problems;  // Refused: the reader's "FILE:LINE: message" lines, or why
    QStringList warnings;  // the reader's warnings (the course is imported all the same)
};

// Reads a course folder or a .kitepack with the course reader, refuses a
// course with errors, stores the version's canonical package (packed from the
// checked files, so the same content is the same bytes whatever file it came
// in), and adds a "course" change for every school that sees it. `school`
// empty: server-wide. A failure of a store is an Error; the rest is in the
// outcome.
Result<CourseImport> importCourse(ServerStore& server, CourseStore& courses, const QString& path,
                                  const QString& school);

// Adds a "course" change to `school`'s log for the latest version of each
// course it sees: for a school added after the courses were imported.
Status announceCoursesTo(ServerStore& server, CourseStore& courses, const QString& school);

}  // namespace kite::server
