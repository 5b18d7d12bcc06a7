// Reading a course from a folder or from files in memory: which files
// belong to it, and size limits; the checks themselves are in course_check.cpp.

#include "kite/course.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "course_check.h"
#include "course_paths.h"

namespace kite::course {

QString Problem::toString() const {
    QString text = file;
    if (line > 0) text += QStringLiteral(":%1").arg(line);
    if (!text.isEmpty()) text += QStringLiteral(": ");
    if (warning) text += QStringLiteral("warning: ");
    return text + message;
}

namespace {

using detail::FileRole;
using detail::Problems;

// The files of a course as they are collected: those that belong to it, and
// those that are present but ignored.
struct Collected {
    QMap<QString, QByteArray> files;
    detail::OtherFiles others;
    qint64 bytes = 0;
    Problems problems;
};

const QStringList kCourseFolders = {QStringLiteral("lessons"), QStringLiteral("items"), QStringLiteral("images")};

QString megabytes(qint64 bytes) {
    return QStringLiteral("%1 MB").arg(bytes >> 20);
}

// Decides whether the file at `path` (`size` bytes) is taken into the
// course; if so, the caller adds its bytes with add().
bool admit(const QString& path, qint64 size, Collected& collected) {
    const FileRole role = detail::roleOf(path);
    if (role == FileRole::Hidden) return false;
    if (role == FileRole::Other) {
        collected.problems.warning(path, 0, detail::whyIgnored(path));
        collected.others.ignored.insert(path);
        return false;
    }
    if (!detail::isPortablePath(path)) {
        collected.problems.error(path, 0,
                                 QStringLiteral("file names in a course may use only A-Z, a-z, 0-9, '-', "
                                                "'_' and '.', so that they are the same on every system"));
        collected.others.rejected.insert(path);
        return false;
    }
    if (size > detail::kMaxFileBytes) {
        collected.problems.error(path, 0,
                                 QStringLiteral("file is larger than %1, the most a course file may be")
                                     .arg(megabytes(detail::kMaxFileBytes)));
        collected.others.rejected.insert(path);
        return false;
    }
    return true;
}

void add(const QString& path, const QByteArray& bytes, Collected& collected) {
    collected.files.insert(path, bytes);
    collected.bytes += bytes.size();
}

CheckReport check(Collected collected) {
    if (collected.bytes > detail::kMaxCourseBytes)
        collected.problems.error(QString(), 0,
                                 QStringLiteral("the course is larger than %1, the most a package may hold")
                                     .arg(megabytes(detail::kMaxCourseBytes)));
    return detail::checkCourse(collected.files, collected.others, std::move(collected.problems));
}

void readFile(const QString& absolute, const QString& path, Collected& collected) {
    QFile file(absolute);
    if (!file.open(QIODevice::ReadOnly)) {
        collected.problems.error(path, 0, QStringLiteral("cannot read the file: %1").arg(file.errorString()));
        collected.others.rejected.insert(path);
        return;
    }
    add(path, file.readAll(), collected);
}

// Collects the files of `folder` (relative to the course folder `root`,
// "" for the root itself). Only the root's lessons/, items/ and images/ are
// entered: courses have no deeper folders, and this also keeps symbolic
// links from leading the walk in circles.
void collectFolder(const QDir& root, const QString& folder, Collected& collected) {
    const QDir dir(folder.isEmpty() ? root.path() : root.filePath(folder));
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& entry : entries) {
        const QString path = folder.isEmpty() ? entry.fileName() : folder + u'/' + entry.fileName();
        if (entry.fileName().startsWith(u'.')) continue;
        if (entry.isDir() && folder.isEmpty() && kCourseFolders.contains(entry.fileName())) {
            collectFolder(root, path, collected);
        } else if (entry.isDir()) {
            collected.problems.warning(path + u'/', 0,
                                       QStringLiteral("folder ignored and not packed: a course holds course.json, "
                                                      "lessons/*.md, items/*.json and images/*"));
        } else if (admit(path, entry.size(), collected)) {
            readFile(entry.filePath(), path, collected);
        }
    }
}

}  // namespace

CheckReport readCourseDir(const QString& dir) {
    if (!QFileInfo(dir).isDir()) {
        CheckReport report;
        report.problems.append({QString(), 0, QStringLiteral("'%1' is not a folder").arg(dir), false});
        return report;
    }
    Collected collected;
    collectFolder(QDir(dir), QString(), collected);
    return check(std::move(collected));
}

CheckReport readCourseFiles(const QMap<QString, QByteArray>& files) {
    Collected collected;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString reason = detail::unsafePathReason(it.key());
        if (!reason.isEmpty())
            collected.problems.error(it.key(), 0, QStringLiteral("%1: not allowed in a course").arg(reason));
        else if (admit(it.key(), it.value().size(), collected))
            add(it.key(), it.value(), collected);
    }
    return check(std::move(collected));
}

}  // namespace kite::course
