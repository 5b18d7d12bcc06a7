// A course as authored (docs/formats.md, "Courses"): skills, lessons and
// practice items, read from a folder or a .kitepack file. The one definition
// of course content that the device, the server and kite-pack share.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

#include "kite/result.h"

namespace kite::course {

struct Skill {
    QString id;
    QString name;
    QStringList prerequisites;  // ids of skills of the same course
};

struct Lesson {
    QString id;
    QString title;
    QStringList skills;
    int order = 0;
    QString path;      // e.g. "lessons/01-parts.md", relative to the course folder
    QString markdown;  // the body after the front matter
};

enum class ItemType { MultipleChoice, MultipleSelect, Numeric, ShortText };

QString toString(ItemType type);  // "multiple_choice", ...

struct Item {
    QString id;
    ItemType type = ItemType::MultipleChoice;
    QStringList skills;
    QString prompt;
    QStringList hints;
    QString explanation;

    // multiple_choice and multiple_select
    QStringList choices;
    int answer = -1;     // multiple_choice: the correct choice
    QList<int> answers;  // multiple_select: all correct choices, ascending

    // numeric
    double value = 0.0;
    double tolerance = 0.0;
    QString unit;
    QStringList unit_aliases;

    // short_text
    QStringList accepted;
    bool case_sensitive = false;

    QByteArray json;  // the item's JSON object as authored (compact), as the store keeps it
};

struct Course {
    QString id;
    QString title;
    int version = 0;
    QString language;
    QString description;
    QList<Skill> skills;    // in file order
    QList<Lesson> lessons;  // by `order`
    QList<Item> items;      // by file name, then file order
    // Every file that belongs to the course (course.json, lessons, items,
    // images), by path relative to the course folder: what a package holds.
    QMap<QString, QByteArray> files;
    QString content_sha256;  // docs/formats.md, ".kitepack"
};

// One problem found in a course, pointing at a file and line (line 0: the
// file as a whole).
struct Problem {
    QString file;
    int line = 0;
    QString message;
    bool warning = false;

    QString toString() const;  // "items/parts.json:12: multiple_choice item 'p-3' has no answer"
};

struct CheckReport {
    std::optional<Course> course;  // set only when there is no error (warnings allowed)
    QList<Problem> problems;       // errors and warnings, by file and line

    bool ok() const { return course.has_value(); }
};

// Reads and checks a course folder. Every problem is reported, not just the first.
CheckReport readCourseDir(const QString& dir);

// The same checks over files already in memory (path relative to the course
// folder -> bytes), as unpacked from a package.
CheckReport readCourseFiles(const QMap<QString, QByteArray>& files);

// Parses one item from its JSON object as kept by the store (Item::json).
Result<Item> parseItem(const QByteArray& json);

// The bytes of `course` as a .kitepack (docs/formats.md): the same course
// always gives the same bytes.
Result<QByteArray> packBytes(const Course& course);

// Writes `course` as a .kitepack (docs/formats.md), atomically.
Status writePack(const Course& course, const QString& path);

// Reads a .kitepack: verifies its manifest and hashes, then checks the course.
CheckReport readPack(const QString& path);
CheckReport readPackBytes(const QByteArray& bytes, const QString& nameForMessages);

}  // namespace kite::course
