// Text rules shared by the course file readers: identifiers, language tags,
// UTF-8, image links in Markdown, suggestions for misspelt keys.
// Internal to kite_protocol.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace kite::course::detail {

// Ids of courses, skills, lessons and items: 1-64 characters of a-z0-9-_.
bool isValidId(const QString& id);
inline constexpr const char* kIdRule = "1-64 characters from a-z, 0-9, '-', '_', '.'";

// A BCP 47 language tag in its common shape: "en", "fr", "es-MX", "zh-Hant-TW".
bool isLanguageTag(const QString& tag);

// The line (from 1) of the first byte that is not valid UTF-8, if any.
std::optional<int> firstInvalidUtf8Line(const QByteArray& bytes);

// " (did you mean 'hints'?)" when `key` is a small edit away from one of
// `known`, else "".
QString didYouMeanSuffix(const QString& key, const QStringList& known);

// An image in Markdown text: `![alt](target "title")` or `<img src="target">`,
// outside fenced code blocks and code spans.
struct MarkdownImage {
    QString target;  // as written
    int line = 0;    // from 1, within the text
};
QList<MarkdownImage> markdownImages(const QString& markdown);

}  // namespace kite::course::detail
