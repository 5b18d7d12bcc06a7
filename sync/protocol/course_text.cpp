#include "course_text.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringDecoder>
#include <algorithm>
#include <vector>

namespace kite::course::detail {

bool isValidId(const QString& id) {
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9._-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

bool isLanguageTag(const QString& tag) {
    // Language (2-3 letters, or 4-8 registered), then subtags of 1-8 letters
    // or digits: the shape of BCP 47 without its registry.
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"));
    return pattern.match(tag).hasMatch();
}

namespace {

bool isUtf8(QByteArrayView bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);  // decoding is what sets hasError()
    return !decoder.hasError();
}

}  // namespace

std::optional<int> firstInvalidUtf8Line(const QByteArray& bytes) {
    if (isUtf8(bytes)) return std::nullopt;
    int line = 1;
    for (qsizetype start = 0; start <= bytes.size(); ++line) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0) end = bytes.size();
        if (!isUtf8(QByteArrayView(bytes.constData() + start, end - start))) return line;
        start = end + 1;
    }
    return line;  // not reached: some line holds the bad byte
}

namespace {

int editDistance(const QString& a, const QString& b) {
    std::vector<int> row(static_cast<std::size_t>(b.size()) + 1);
    for (std::size_t j = 0; j < row.size(); ++j) row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const auto uj = static_cast<std::size_t>(j);
            const int substitute = diagonal + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            diagonal = row[uj];
            row[uj] = std::min({row[uj] + 1, row[uj - 1] + 1, substitute});
        }
    }
    return row.back();
}

// `line` with its code spans blanked, so that `![x](y)` shown as code is
// not taken for an image. A span opens with a run of backticks and closes
// at the next run of the same length (CommonMark). Linear in the length of
// the line, even for hostile text full of unclosed runs.
QString withoutCodeSpans(const QString& line) {
    struct Run {
        qsizetype start;
        qsizetype length;
    };
    QList<Run> runs;
    QHash<qsizetype, QList<qsizetype>> runsOfLength;  // length -> indexes into `runs`, ascending
    for (qsizetype i = 0; i < line.size();) {
        if (line[i] != u'`') {
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < line.size() && line[end] == u'`') ++end;
        runsOfLength[end - i].append(runs.size());
        runs.append({i, end - i});
        i = end;
    }
    QString out = line;
    QHash<qsizetype, qsizetype> next;  // length -> first entry of runsOfLength not yet passed
    for (qsizetype r = 0; r < runs.size();) {
        const QList<qsizetype>& same = runsOfLength[runs[r].length];
        qsizetype& cursor = next[runs[r].length];
        while (cursor < same.size() && same[cursor] <= r) ++cursor;
        if (cursor == same.size()) {  // never closed: literal backticks
            ++r;
            continue;
        }
        const Run& close = runs[same[cursor]];
        for (qsizetype i = runs[r].start; i < close.start + close.length; ++i) out[i] = u' ';
        r = same[cursor] + 1;
    }
    return out;
}

bool isFence(const QString& line) {
    const QString trimmed = line.trimmed();
    return trimmed.startsWith(QStringLiteral("```")) || trimmed.startsWith(QStringLiteral("~~~"));
}

}  // namespace

QString didYouMeanSuffix(const QString& key, const QStringList& known) {
    // Suggest only what is a few edits away: two, or a third of a long word.
    const int limit = std::max(2, static_cast<int>(key.size() / 3));
    QString best;
    int bestDistance = limit + 1;
    for (const QString& candidate : known) {
        const int d = editDistance(key.toLower(), candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(best);
}

QList<MarkdownImage> markdownImages(const QString& markdown) {
    // ![alt](<target> "title") or ![alt](target 'title'), and raw HTML
    // <img src="target">. No nested brackets in the alt text and no
    // parentheses in a bare target (course file names have none), and bounded
    // repeats, so that hostile text cannot make matching slow.
    static const QRegularExpression image(QStringLiteral(
        R"re(!\[(?:[^\[\]\\]|\\.){0,1000}\]\(\s*(?:<([^<>\n]{0,2048})>|([^\s()<>]{1,2048}))(?:\s+(?:"[^"]{0,1000}"|'[^']{0,1000}'))?\s*\))re"));
    static const QRegularExpression htmlImage(
        QStringLiteral(R"re(<img\b[^<>]{0,1000}?\bsrc\s*=\s*(?:"([^"<>]{0,2048})"|'([^'<>]{0,2048})'))re"),
        QRegularExpression::CaseInsensitiveOption);

    QList<MarkdownImage> images;
    bool inFence = false;
    const QStringList lines = markdown.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (isFence(lines[i])) {
            inFence = !inFence;
            continue;
        }
        if (inFence) continue;
        const QString line = withoutCodeSpans(lines[i]);
        for (const QRegularExpression* pattern : {&image, &htmlImage}) {
            QRegularExpressionMatchIterator it = pattern->globalMatch(line);
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                const QString target = m.hasCaptured(1) ? m.captured(1) : m.captured(2);
                images.append({target, static_cast<int>(i) + 1});
            }
        }
    }
    return images;
}

}  // namespace kite::course::detail
