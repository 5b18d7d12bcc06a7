#include "course_paths.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

namespace kite::course::detail {
namespace {

const QStringList kImageExtensions = {"png", "jpg", "jpeg", "gif", "svg", "webp"};

// Whether `path` names a file directly in `folder` ("lessons/01.md" in
// "lessons", but not "lessons/old/01.md").
bool isDirectlyIn(const QString& path, QStringView folder) {
    return path.size() > folder.size() + 1 && path.startsWith(folder) && path.at(folder.size()) == u'/' &&
           path.indexOf(u'/', folder.size() + 1) < 0;
}

QString extensionOf(const QString& path) {
    const qsizetype dot = path.lastIndexOf(u'.');
    const qsizetype slash = path.lastIndexOf(u'/');
    return dot > slash + 1 ? path.mid(dot + 1).toLower() : QString();
}

}  // namespace

FileRole roleOf(const QString& path) {
    for (const QString& part : path.split(u'/'))
        if (part.startsWith(u'.')) return FileRole::Hidden;
    if (path == u"course.json") return FileRole::CourseJson;
    if (isDirectlyIn(path, u"lessons") && extensionOf(path) == u"md") return FileRole::Lesson;
    if (isDirectlyIn(path, u"items") && extensionOf(path) == u"json") return FileRole::Items;
    if (isDirectlyIn(path, u"images") && kImageExtensions.contains(extensionOf(path))) return FileRole::Image;
    return FileRole::Other;
}

QString whyIgnored(const QString& path) {
    const QString where = QStringLiteral("ignored and not packed: ");
    if (isDirectlyIn(path, u"images"))
        return where + QStringLiteral("pictures must be ") + kImageExtensions.join(u", ") + QStringLiteral(" files");
    if (isDirectlyIn(path, u"lessons")) return where + QStringLiteral("lessons are .md files");
    if (isDirectlyIn(path, u"items")) return where + QStringLiteral("items are .json files");
    return where + QStringLiteral("a course holds course.json, lessons/*.md, items/*.json and images/*");
}

bool isPortablePath(const QString& path) {
    static const QRegularExpression portable(QStringLiteral("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$"));
    return portable.match(path).hasMatch();
}

QString unsafePathReason(const QString& path) {
    if (path.isEmpty()) return QStringLiteral("empty path");
    if (path.startsWith(u'/')) return QStringLiteral("absolute path");
    if (path.contains(u'\\')) return QStringLiteral("path with '\\' (use '/')");
    for (const QString& part : path.split(u'/')) {
        if (part.isEmpty()) return QStringLiteral("path with an empty part");
        if (part == u"." || part == u"..") return QStringLiteral("path with '.' or '..'");
    }
    return {};
}

ResolvedLink resolveImageLink(const QString& baseDir, const QString& link) {
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    const QString trimmed = link.trimmed();
    if (trimmed.isEmpty()) return {{}, QStringLiteral("image link is empty")};
    if (scheme.match(trimmed).hasMatch())
        return {{},
                QStringLiteral("image '%1' is a URL: Kite works offline, so copy the picture into images/ "
                               "and link to it by its path")
                    .arg(trimmed)};
    if (trimmed.startsWith(u'/'))
        return {{},
                QStringLiteral("image '%1' has an absolute path: link by a path relative to %2")
                    .arg(trimmed,
                         baseDir.isEmpty() ? QStringLiteral("the course folder") : QStringLiteral("the lesson file"))};
    if (trimmed.contains(u'\\')) return {{}, QStringLiteral("image '%1': use '/' in paths").arg(trimmed)};

    // Markdown links may be percent-encoded ("my%20pizza.svg").
    const QString decoded = QUrl::fromPercentEncoding(trimmed.toUtf8());
    QStringList parts = baseDir.isEmpty() ? QStringList() : baseDir.split(u'/');
    for (const QString& part : decoded.split(u'/')) {
        if (part.isEmpty() || part == u".") continue;
        if (part != u"..") {
            parts.append(part);
        } else if (parts.isEmpty()) {
            return {{}, QStringLiteral("image '%1' is outside the course folder").arg(trimmed)};
        } else {
            parts.removeLast();
        }
    }
    if (parts.isEmpty()) return {{}, QStringLiteral("image '%1' names a folder, not a file").arg(trimmed)};
    return {parts.join(u'/'), {}};
}

QString folderOf(const QString& path) {
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash);
}

QStringList sortedPaths(const QStringList& paths) {
    QStringList sorted = paths;
    std::sort(sorted.begin(), sorted.end(), [](const QString& a, const QString& b) { return a.toUtf8() < b.toUtf8(); });
    return sorted;
}

QString sha256Hex(const QByteArray& bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString contentSha256(const QMap<QString, QString>& sha256ByPath) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& path : sortedPaths(sha256ByPath.keys()))
        hash.addData((sha256ByPath.value(path) + QStringLiteral("  ") + path + u'\n').toUtf8());
    return QString::fromLatin1(hash.result().toHex());
}

QString contentSha256(const QMap<QString, QByteArray>& files) {
    QMap<QString, QString> hashes;
    for (auto it = files.cbegin(); it != files.cend(); ++it) hashes.insert(it.key(), sha256Hex(it.value()));
    return contentSha256(hashes);
}

}  // namespace kite::course::detail
