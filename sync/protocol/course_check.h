// The pieces of course checking (docs/formats.md, "Courses") that the files
// of kite_protocol share: where problems go, the readers of each kind of
// course file, and the state of one check. Internal to kite_protocol.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <optional>

#include "json_lines.h"
#include "kite/course.h"

namespace kite::course::detail {

inline constexpr qint64 kMaxFileBytes = qint64(32) << 20;     // one course file
inline constexpr qint64 kMaxCourseBytes = qint64(256) << 20;  // a whole course, unpacked

// Problems found so far, in the order found; taken sorted by file and line.
class Problems {
public:
    void error(const QString& file, int line, const QString& message);
    void warning(const QString& file, int line, const QString& message);
    int errorCount() const { return errors_; }

    // All problems, sorted by file and then line; the order found within a line.
    QList<Problem> sorted() const;

private:
    QList<Problem> list_;
    int errors_ = 0;
};

// The problems of one JSON file, each at the line of the value it is about.
class JsonReport {
public:
    JsonReport(Problems& problems, QString file, JsonLines lines)
        : problems_(problems), file_(std::move(file)), lines_(std::move(lines)) {}

    void error(const QString& pointer, const QString& message);
    int line(const QString& pointer) const { return lines_.line(pointer); }
    const QString& file() const { return file_; }
    int errorCount() const { return problems_.errorCount(); }

    // Reports each key that appears twice in one object.
    void reportDuplicateKeys();

private:
    Problems& problems_;
    QString file_;
    JsonLines lines_;
};

// Parses a JSON file, reporting a syntax error at its line.
std::optional<QJsonDocument> parseJsonFile(const QByteArray& bytes, const QString& file, Problems& problems);

// A use of a name that is defined elsewhere (a skill id, an image path),
// checked once every file has been read.
struct Reference {
    QString file;
    int line = 0;
    QString target;   // the skill id, or the image link as written
    QString user;     // who refers, for messages: "lesson 'parts'"
    QString baseDir;  // images: the folder the link is relative to ("" = course root)
};

struct References {
    QList<Reference> skills;
    QList<Reference> images;
};

// course.json: fills the course's own fields and skills, checking
// prerequisites among them. Returns the ids of the skills that lessons and
// items may use, each with the line it is on, or nothing when course.json
// could not be read far enough to know them.
std::optional<QHash<QString, int>> readCourseJson(const QByteArray& bytes, Problems& problems, Course& course);

// One lesson file. Returns the lesson, or nothing when it has an error.
struct ParsedLesson {
    Lesson lesson;
    int idLine = 0;
    int orderLine = 0;
};
std::optional<ParsedLesson> readLesson(const QString& path, const QString& text, Problems& problems,
                                       References& references);

// One items file: the items without errors, in file order.
struct ParsedItem {
    Item item;
    QString file;
    int idLine = 0;
};
QList<ParsedItem> readItemsFile(const QString& path, const QByteArray& bytes, Problems& problems,
                                References& references);

// Files present beside the course's own, so that a link to one of them gets
// a precise message. Problems about them have been reported already.
struct OtherFiles {
    QSet<QString> ignored;   // not part of a course
    QSet<QString> rejected;  // course files not read because of an error
};

// The checked course from `files`, which all have a course role (see
// FileRole): each file is read, then references between them are resolved.
CheckReport checkCourse(const QMap<QString, QByteArray>& files, const OtherFiles& others, Problems problems);

}  // namespace kite::course::detail
