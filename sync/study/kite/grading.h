// Grading of every item type (docs/formats.md, "Items"). Pure functions of the
// item and the response: no state, no I/O.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

#include "kite/course.h"
#include "kite/result.h"

namespace kite::study {

// What the learner answered. Which fields count depends on the item type.
struct Response {
    int choice = -1;      // multiple_choice: the chosen index
    QList<int> choices;   // multiple_select: the chosen indexes
    QString text;         // numeric and short_text: what was typed

    // {"choice": 2} / {"choices": [0, 3]} / {"text": "3/4"}: what the store keeps.
    QByteArray toJson(course::ItemType type) const;
};

struct Grade {
    bool correct = false;
    double score = 0.0;  // 0..1; partial credit for multiple_select, else 0 or 1
    // A short message beyond right/wrong when the response itself was the
    // problem, e.g. "Give the answer in cm." or "That is not a number."
    QString feedback;
};

Grade grade(const course::Item& item, const Response& response);

// A number as a learner types it: "0.75", ".75", "0,75", "3/4", "1 1/2",
// "-2", "−2". Nothing else around it.
std::optional<double> parseNumber(const QString& text);

// short_text comparison form: NFKC, trimmed, inner white space collapsed, a
// final '.' dropped, case folded unless caseSensitive.
QString normaliseText(const QString& text, bool caseSensitive);

}  // namespace kite::study
