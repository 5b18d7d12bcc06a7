// Paths inside a course: which files belong to it, which paths are safe,
// how links resolve, and the hashes that name its content.
// Internal to kite_protocol.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kite::course::detail {

// What a file is to a course, from its path relative to the course folder.
enum class FileRole {
    CourseJson,  // course.json
    Lesson,      // lessons/NAME.md
    Items,       // items/NAME.json
    Image,       // images/NAME.png|jpg|jpeg|gif|svg|webp
    Hidden,      // any part of the path starts with '.': skipped silently
    Other,       // anything else: ignored with a warning, not packed
};

FileRole roleOf(const QString& path);

// Why a file of role Other is not part of the course, for the warning.
QString whyIgnored(const QString& path);

// Whether every part of `path` uses only A-Z a-z 0-9 - _ . : names that are
// the same on every file system (no Unicode normalisation differences) and in
// every tar reader, whatever its locale.
bool isPortablePath(const QString& path);

// Why `path` may not name a file in a course or package (absolute, `..`,
// empty parts, backslashes), or an empty string when it is fine.
QString unsafePathReason(const QString& path);

// An image link as written in a file in `baseDir` ("" for the course
// folder), resolved to a path in the course; or why it cannot be.
struct ResolvedLink {
    QString path;
    QString problem;  // empty when `path` is set
};
ResolvedLink resolveImageLink(const QString& baseDir, const QString& link);

// The folder part of a path: "lessons" for "lessons/01.md", "" for "course.json".
QString folderOf(const QString& path);

// Paths in the order packages and content hashes use: by UTF-8 bytes.
QStringList sortedPaths(const QStringList& paths);

// Lower-case hex SHA-256.
QString sha256Hex(const QByteArray& bytes);

// The content hash of docs/formats.md: SHA-256 of "SHA256  PATH\n" lines in
// path order, given each path's SHA-256 in lower-case hex.
QString contentSha256(const QMap<QString, QString>& sha256ByPath);
QString contentSha256(const QMap<QString, QByteArray>& files);

}  // namespace kite::course::detail
