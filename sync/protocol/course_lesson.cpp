// lessons/*.md: front matter, then the lesson in Markdown.

#include <QHash>

#include "course_check.h"
#include "course_paths.h"
#include "course_text.h"

namespace kite::course::detail {
namespace {

const QStringList kKeys = {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("skills"),
                           QStringLiteral("order")};

struct FrontMatterValue {
    QString text;
    int line = 0;
};

// The front matter of a lesson and where the lesson's body starts.
struct FrontMatter {
    QHash<QString, FrontMatterValue> values;
    int closingLine = 0;      // of the second '---'
    qsizetype bodyStart = 0;  // offset of the body in the text
};

bool isDelimiter(const QString& line) {
    return line.trimmed() == u"---";
}

// The line without its comment. '#' starts a comment at the start of the
// line or after white space, as in YAML, so that "title: C# basics" stays whole.
QString withoutComment(const QString& line) {
    for (qsizetype i = 0; i < line.size(); ++i)
        if (line[i] == u'#' && (i == 0 || line[i - 1].isSpace())) return line.left(i);
    return line;
}

// Reads one front matter line into `frontMatter`, reporting what is wrong with it.
void readFrontMatterLine(const QString& path, const QString& raw, int line, FrontMatter& frontMatter,
                         Problems& problems) {
    const QString text = withoutComment(raw).trimmed();
    if (text.isEmpty()) return;
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0) {
        problems.error(path, line, QStringLiteral("front matter line must be 'key: value', not '%1'").arg(text));
        return;
    }
    const QString key = text.left(colon).trimmed();
    if (!kKeys.contains(key)) {
        problems.error(path, line,
                       QStringLiteral("unknown front matter key '%1'%2 (keys: id, title, skills, order)")
                           .arg(key, didYouMeanSuffix(key, kKeys)));
        return;
    }
    if (frontMatter.values.contains(key)) {
        problems.error(
            path, line,
            QStringLiteral("'%1' is given twice (first on line %2)").arg(key).arg(frontMatter.values.value(key).line));
        return;
    }
    frontMatter.values.insert(key, {text.mid(colon + 1).trimmed(), line});
}

// Finds and reads the front matter; nothing (reported) when the file has none.
std::optional<FrontMatter> readFrontMatter(const QString& path, const QString& text, Problems& problems) {
    const QStringList lines = text.split(u'\n');
    if (!isDelimiter(lines.first())) {
        problems.error(path, 1,
                       QStringLiteral("a lesson starts with front matter: a '---' line, then id, title, "
                                      "skills and order, then another '---' line"));
        return std::nullopt;
    }
    FrontMatter frontMatter;
    qsizetype offset = lines.first().size() + 1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        offset += lines[i].size() + 1;
        if (isDelimiter(lines[i])) {
            frontMatter.closingLine = static_cast<int>(i) + 1;
            frontMatter.bodyStart = qMin(offset, text.size());
            return frontMatter;
        }
        readFrontMatterLine(path, lines[i], static_cast<int>(i) + 1, frontMatter, problems);
    }
    problems.error(path, 1, QStringLiteral("the front matter is not closed: no second '---' line"));
    return std::nullopt;
}

// Plain text, with the quotes authors used to YAML may put around it.
QString plain(const QString& value) {
    if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') && value.back() == value.front())
        return value.mid(1, value.size() - 2);
    return value;
}

// The items of `[a, b, c]`, or nothing when `value` is not a list.
std::optional<QStringList> list(const QString& value) {
    if (!value.startsWith(u'[') || !value.endsWith(u']')) return std::nullopt;
    QStringList entries;
    const QString inside = value.mid(1, value.size() - 2).trimmed();
    if (inside.isEmpty()) return entries;
    for (const QString& entry : inside.split(u',')) entries.append(plain(entry.trimmed()));
    return entries;
}

// Checks the front matter values and fills `parsed`.
void readValues(const QString& path, const FrontMatter& frontMatter, ParsedLesson& parsed, Problems& problems,
                References& references) {
    for (const QString& key : kKeys)
        if (!frontMatter.values.contains(key))
            problems.error(path, 1, QStringLiteral("the front matter has no '%1'").arg(key));

    Lesson& lesson = parsed.lesson;
    if (const auto id = frontMatter.values.find(QStringLiteral("id")); id != frontMatter.values.end()) {
        lesson.id = plain(id->text);
        parsed.idLine = id->line;
        if (!isValidId(lesson.id))
            problems.error(path, id->line, QStringLiteral("lesson id '%1' is not %2").arg(lesson.id, kIdRule));
    }
    const QString user = QStringLiteral("lesson '%1'").arg(lesson.id);
    if (const auto title = frontMatter.values.find(QStringLiteral("title")); title != frontMatter.values.end()) {
        lesson.title = plain(title->text);
        if (lesson.title.trimmed().isEmpty()) problems.error(path, title->line, QStringLiteral("'title' is empty"));
    }
    if (const auto skills = frontMatter.values.find(QStringLiteral("skills")); skills != frontMatter.values.end()) {
        const auto ids = list(skills->text);
        if (!ids)
            problems.error(path, skills->line, QStringLiteral("'skills' must be a list like [parts, equivalent]"));
        else if (ids->isEmpty() || ids->contains(QString()))
            problems.error(path, skills->line,
                           QStringLiteral("'skills' must name at least one skill, with no empty entries"));
        else
            lesson.skills = *ids;
        for (const QString& skill : lesson.skills) references.skills.append({path, skills->line, skill, user, {}});
    }
    if (const auto order = frontMatter.values.find(QStringLiteral("order")); order != frontMatter.values.end()) {
        bool ok = false;
        lesson.order = order->text.toInt(&ok);
        parsed.orderLine = order->line;
        if (!ok || lesson.order < 0)
            problems.error(path, order->line,
                           QStringLiteral("'order' must be a whole number, not '%1'").arg(order->text));
    }
}

}  // namespace

std::optional<ParsedLesson> readLesson(const QString& path, const QString& fileText, Problems& problems,
                                       References& references) {
    const int errorsBefore = problems.errorCount();
    QString text = fileText;
    if (text.startsWith(QChar(0xFEFF))) text.remove(0, 1);  // a byte order mark some editors write
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));

    const std::optional<FrontMatter> frontMatter = readFrontMatter(path, text, problems);
    if (!frontMatter) return std::nullopt;
    ParsedLesson parsed;
    parsed.lesson.path = path;
    readValues(path, *frontMatter, parsed, problems, references);
    parsed.lesson.markdown = text.mid(frontMatter->bodyStart);

    const QString user = QStringLiteral("lesson '%1'").arg(parsed.lesson.id);
    for (const MarkdownImage& image : markdownImages(parsed.lesson.markdown))
        references.images.append({path, frontMatter->closingLine + image.line, image.target, user, folderOf(path)});

    if (problems.errorCount() != errorsBefore) return std::nullopt;
    return parsed;
}

}  // namespace kite::course::detail
