// Checking a whole course: every file is read on its own, then the
// references between files (skills, images, unique ids) are resolved.

#include "course_check.h"

#include <QJsonParseError>
#include <algorithm>

#include "course_paths.h"
#include "course_text.h"

namespace kite::course::detail {

void Problems::error(const QString& file, int line, const QString& message) {
    list_.append({file, line, message, false});
    ++errors_;
}

void Problems::warning(const QString& file, int line, const QString& message) {
    list_.append({file, line, message, true});
}

QList<Problem> Problems::sorted() const {
    QList<Problem> sorted = list_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    return sorted;
}

void JsonReport::error(const QString& pointer, const QString& message) {
    problems_.error(file_, lines_.line(pointer), message);
}

void JsonReport::reportDuplicateKeys() {
    for (const DuplicateKey& duplicate : lines_.duplicateKeys()) {
        QString key = duplicate.pointer.mid(duplicate.pointer.lastIndexOf(u'/') + 1);
        key.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        problems_.error(file_, duplicate.line, QStringLiteral("key '%1' appears twice in the same object").arg(key));
    }
}

std::optional<QJsonDocument> parseJsonFile(const QByteArray& bytes, const QString& file, Problems& problems) {
    QJsonParseError error{};
    QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        problems.error(file, lineAtOffset(bytes, error.offset),
                       QStringLiteral("JSON syntax error: %1").arg(error.errorString()));
        return std::nullopt;
    }
    return document;
}

namespace {

// The text of a course file, or nothing (reported) when it is not UTF-8.
std::optional<QString> utf8Text(const QString& path, const QByteArray& bytes, Problems& problems) {
    if (const auto line = firstInvalidUtf8Line(bytes)) {
        problems.error(path, *line, QStringLiteral("not UTF-8 text: save the file as UTF-8"));
        return std::nullopt;
    }
    return QString::fromUtf8(bytes);
}

QStringList pathsWithRole(const QMap<QString, QByteArray>& files, FileRole role) {
    QStringList paths;
    for (const QString& path : sortedPaths(files.keys()))
        if (roleOf(path) == role) paths.append(path);
    return paths;
}

QString where(const QString& file, int line) {
    return QStringLiteral("%1:%2").arg(file).arg(line);
}

// Lessons in path order, each id and order used once.
QList<ParsedLesson> readLessons(const QMap<QString, QByteArray>& files, Problems& problems, References& references) {
    QList<ParsedLesson> lessons;
    QHash<QString, QString> idSeenAt;
    QHash<int, QString> orderSeenAt;
    for (const QString& path : pathsWithRole(files, FileRole::Lesson)) {
        const auto text = utf8Text(path, files.value(path), problems);
        if (!text) continue;
        auto parsed = readLesson(path, *text, problems, references);
        if (!parsed) continue;
        const Lesson& lesson = parsed->lesson;
        if (idSeenAt.contains(lesson.id))
            problems.error(
                path, parsed->idLine,
                QStringLiteral("duplicate lesson id '%1' (first in %2)").arg(lesson.id, idSeenAt.value(lesson.id)));
        else
            idSeenAt.insert(lesson.id, where(path, parsed->idLine));
        if (orderSeenAt.contains(lesson.order))
            problems.error(path, parsed->orderLine,
                           QStringLiteral("lesson order %1 is taken by %2: each lesson needs its own")
                               .arg(lesson.order)
                               .arg(orderSeenAt.value(lesson.order)));
        else
            orderSeenAt.insert(lesson.order, where(path, parsed->orderLine));
        lessons.append(*parsed);
    }
    return lessons;
}

// Items by file name, then file order, each id used once.
QList<ParsedItem> readItems(const QMap<QString, QByteArray>& files, Problems& problems, References& references) {
    QList<ParsedItem> items;
    QHash<QString, QString> idSeenAt;
    for (const QString& path : pathsWithRole(files, FileRole::Items)) {
        if (!utf8Text(path, files.value(path), problems)) continue;
        for (const ParsedItem& parsed : readItemsFile(path, files.value(path), problems, references)) {
            const QString& id = parsed.item.id;
            if (idSeenAt.contains(id)) {
                problems.error(path, parsed.idLine,
                               QStringLiteral("duplicate item id '%1' (first in %2)").arg(id, idSeenAt.value(id)));
                continue;
            }
            idSeenAt.insert(id, where(path, parsed.idLine));
            items.append(parsed);
        }
    }
    return items;
}

void checkSkillReferences(const QList<Reference>& references, const QHash<QString, int>& skills, Problems& problems) {
    QStringList known = skills.keys();
    known.sort();
    for (const Reference& reference : references)
        if (!skills.contains(reference.target))
            problems.error(reference.file, reference.line,
                           QStringLiteral("%1: skill '%2' is not in course.json%3")
                               .arg(reference.user, reference.target, didYouMeanSuffix(reference.target, known)));
}

// Why an image link whose resolved path is not an image of the course fails.
QString missingImageReason(const QString& link, const QString& path, const QMap<QString, QByteArray>& files,
                           const OtherFiles& others) {
    if (files.contains(path)) return QStringLiteral("'%1' is not a picture: pictures go in images/").arg(link);
    if (others.ignored.contains(path)) return QStringLiteral("image '%1' is %2").arg(link, whyIgnored(path));
    for (const QString& other : files.keys())
        if (other.compare(path, Qt::CaseInsensitive) == 0)
            return QStringLiteral("image '%1' not found: did you mean '%2'? (case matters)").arg(link, other);
    return QStringLiteral("image '%1' not found: there is no %2 in the course").arg(link, path);
}

// Returns the images that are used.
QSet<QString> checkImageReferences(const QList<Reference>& references, const QMap<QString, QByteArray>& files,
                                   const OtherFiles& others, Problems& problems) {
    QSet<QString> used;
    for (const Reference& reference : references) {
        const ResolvedLink link = resolveImageLink(reference.baseDir, reference.target);
        QString problem = link.problem;
        if (problem.isEmpty() && files.contains(link.path) && roleOf(link.path) == FileRole::Image)
            used.insert(link.path);
        else if (problem.isEmpty() && others.rejected.contains(link.path))
            continue;  // the picture's own error says what is wrong
        else if (problem.isEmpty())
            problem = missingImageReason(reference.target, link.path, files, others);
        if (!problem.isEmpty())
            problems.error(reference.file, reference.line, QStringLiteral("%1: %2").arg(reference.user, problem));
    }
    return used;
}

// Warnings for parts that are valid but probably a mistake.
void warnAboutUnused(const QMap<QString, QByteArray>& files, const QSet<QString>& usedImages,
                     const QHash<QString, int>& skills, const QList<ParsedItem>& items, Problems& problems) {
    for (const QString& path : pathsWithRole(files, FileRole::Image))
        if (!usedImages.contains(path))
            problems.warning(path, 0,
                             QStringLiteral("no lesson or item shows this picture (it is packed all the same)"));
    QSet<QString> practised;
    for (const ParsedItem& parsed : items)
        for (const QString& skill : parsed.item.skills) practised.insert(skill);
    for (auto it = skills.cbegin(); it != skills.cend(); ++it)
        if (!practised.contains(it.key()))
            problems.warning(QStringLiteral("course.json"), it.value(),
                             QStringLiteral("skill '%1' has no items, so students cannot practise it").arg(it.key()));
}

}  // namespace

CheckReport checkCourse(const QMap<QString, QByteArray>& files, const OtherFiles& others, Problems problems) {
    Course course;
    References references;
    std::optional<QHash<QString, int>> skills;
    const QString courseJson = QStringLiteral("course.json");
    if (!files.contains(courseJson)) {
        if (!others.rejected.contains(courseJson))  // else its own error says why
            problems.error(courseJson, 0,
                           QStringLiteral("missing: a course has a course.json with its id, title and skills"));
    } else if (utf8Text(courseJson, files.value(courseJson), problems)) {
        skills = readCourseJson(files.value(courseJson), problems, course);
    }

    const QList<ParsedLesson> lessons = readLessons(files, problems, references);
    const QList<ParsedItem> items = readItems(files, problems, references);
    if (skills) checkSkillReferences(references.skills, *skills, problems);
    const QSet<QString> usedImages = checkImageReferences(references.images, files, others, problems);
    if (skills && problems.errorCount() == 0) warnAboutUnused(files, usedImages, *skills, items, problems);

    CheckReport report;
    report.problems = problems.sorted();
    if (problems.errorCount() > 0) return report;

    for (const ParsedLesson& parsed : lessons) course.lessons.append(parsed.lesson);
    std::stable_sort(course.lessons.begin(), course.lessons.end(),
                     [](const Lesson& a, const Lesson& b) { return a.order < b.order; });
    for (const ParsedItem& parsed : items) course.items.append(parsed.item);
    course.files = files;
    course.content_sha256 = contentSha256(files);
    report.course = std::move(course);
    return report;
}

}  // namespace kite::course::detail
