// The bundled sample course (resources/courses/fractions), for the programs
// that install it on a new profile: installed next to the program
// (PREFIX/share/kite/courses/fractions), else the one in the source tree
// (KITE_SAMPLE_COURSE, defined by app/CMakeLists.txt).
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QString>

namespace kite::app {

inline QString sampleCourse() {
    const QString installed =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/kite/courses/fractions"));
    if (QFileInfo::exists(installed + QStringLiteral("/course.json"))) return QDir::cleanPath(installed);
    return QStringLiteral(KITE_SAMPLE_COURSE);
}

}  // namespace kite::app
