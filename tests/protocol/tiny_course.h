// A small valid course for the protocol tests, as files, and a temporary
// folder to write it into. Tests change one file and look for the message.
// Line numbers in the tests refer to these texts: keep them in step.
#pragma once

#include <gtest/gtest.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QString>
#include <QTemporaryDir>

#include "kite/course.h"

namespace kite::course::testing {

inline QMap<QString, QByteArray> tinyCourseFiles() {
    QMap<QString, QByteArray> files;
    files["course.json"] = R"file({
  "format": "kite-course",
  "format_version": 1,
  "id": "fractions",
  "title": "Fractions",
  "version": 3,
  "language": "en",
  "description": "Parts of a whole and equivalence.",
  "skills": [
    {"id": "parts", "name": "A fraction as parts of a whole"},
    {"id": "equivalent", "name": "Equivalent fractions", "prerequisites": ["parts"]},
    {"id": "compare", "name": "Comparing fractions", "prerequisites": ["equivalent"]}
  ]
}
)file";
    files["lessons/01-parts.md"] = R"file(---
id: parts
title: Parts of a whole
skills: [parts]
order: 1
---
# Parts of a whole

A fraction names equal parts of one whole. ![A pizza in 4 slices](../images/pizza.svg)
)file";
    files["lessons/02-equivalent.md"] = R"file(---
id: equivalent   # the same fraction, written differently
title: "Equivalent fractions: the same amount"
skills: [equivalent, compare]
order: 2
---
# Equivalent fractions

`![not an image](nowhere.png)` is how Markdown shows a picture.
)file";
    files["items/parts.json"] = R"file([
  {
    "id": "p-1",
    "type": "multiple_choice",
    "skills": ["parts"],
    "prompt": "Which is 1/4 of the pizza? ![pizza](images/pizza.svg)",
    "choices": ["1/2", "1/4", "3/4"],
    "answer": 1,
    "hints": ["Count the slices."],
    "explanation": "One of four equal slices."
  },
  {
    "id": "p-2",
    "type": "numeric",
    "skills": ["parts"],
    "prompt": "How much of the pizza is left after eating 1 of 4 slices?",
    "answer": 0.75,
    "tolerance": 0.001
  }
]
)file";
    files["items/equivalent.json"] = R"file([
  {
    "id": "e-1",
    "type": "multiple_select",
    "skills": ["equivalent"],
    "prompt": "Which are equal to 1/2?",
    "choices": ["2/4", "3/6", "2/3"],
    "answers": [1, 0]
  },
  {
    "id": "e-2",
    "type": "short_text",
    "skills": ["equivalent", "compare"],
    "prompt": "Write 2/4 in lowest terms.",
    "accepted": ["1/2", "one half"],
    "case_sensitive": false
  }
]
)file";
    files["images/pizza.svg"] = R"file(<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>
)file";
    return files;
}

// A course folder in a fresh temporary directory, removed at the end.
class CourseFolder {
public:
    explicit CourseFolder(const QMap<QString, QByteArray>& files = tinyCourseFiles()) {
        for (auto it = files.cbegin(); it != files.cend(); ++it) write(it.key(), it.value());
    }

    QString path() const { return temp_.path(); }
    QString path(const QString& file) const { return QDir(temp_.path()).filePath(file); }

    void write(const QString& file, const QByteArray& bytes) const {
        QDir().mkpath(QFileInfo(path(file)).path());
        QFile out(path(file));
        ASSERT_TRUE(out.open(QIODevice::WriteOnly | QIODevice::Truncate)) << file.toStdString();
        ASSERT_EQ(out.write(bytes), bytes.size());
    }

    // Replaces the one occurrence of `from` in `file` by `to`.
    void edit(const QString& file, const QByteArray& from, const QByteArray& to) const {
        QFile in(path(file));
        ASSERT_TRUE(in.open(QIODevice::ReadOnly)) << file.toStdString();
        QByteArray bytes = in.readAll();
        in.close();
        ASSERT_EQ(bytes.count(from), 1) << "'" << from.toStdString() << "' in " << file.toStdString();
        write(file, bytes.replace(from, to));
    }

    void remove(const QString& file) const { QFile::remove(path(file)); }

    CheckReport read() const { return readCourseDir(path()); }

private:
    QTemporaryDir temp_;
};

// Every problem, one per line, for failure messages.
inline std::string describe(const QList<Problem>& problems) {
    std::string text;
    for (const Problem& p : problems) text += p.toString().toStdString() + "\n";
    return text.empty() ? "(no problems)\n" : text;
}

// Whether `problems` has an error at file:line whose message contains `part`.
inline bool hasError(const QList<Problem>& problems, const QString& file, int line, const QString& part) {
    for (const Problem& p : problems)
        if (!p.warning && p.file == file && p.line == line && p.message.contains(part)) return true;
    return false;
}

inline int errorCount(const QList<Problem>& problems) {
    int n = 0;
    for (const Problem& p : problems) n += p.warning ? 0 : 1;
    return n;
}

}  // namespace kite::course::testing
