#include "json_lines.h"

#include <QSet>

namespace kite::course::detail {

// A recursive-descent walk over JSON text that records where each value
// starts. It trusts the text to be valid (QJsonDocument checked it, and
// limits nesting), but never reads past the end when it is not.
class JsonScanner {
public:
    JsonScanner(const QByteArray& json, JsonLines& out)
        : p_(json.constData()), end_(json.constData() + json.size()), out_(out) {}

    void value(const QString& pointer) {
        skipSpace();
        if (p_ == end_) return;
        out_.lines_.insert(pointer, line_);
        switch (*p_) {
            case '{': object(pointer); break;
            case '[': array(pointer); break;
            case '"': string(); break;
            default: scalar(); break;
        }
    }

private:
    void object(const QString& pointer) {
        ++p_;  // '{'
        QSet<QString> seen;
        for (;;) {
            skipSpace();
            if (p_ == end_) return;
            if (*p_ == '}') {
                ++p_;
                return;
            }
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ != '"') return;  // not valid JSON: stop rather than guess
            const int keyLine = line_;
            const QString key = string();
            const QString member = childPointer(pointer, key);
            if (seen.contains(key)) out_.duplicates_.append({member, keyLine});
            seen.insert(key);
            skipSpace();
            if (p_ == end_ || *p_ != ':') return;
            ++p_;
            value(member);
        }
    }

    void array(const QString& pointer) {
        ++p_;  // '['
        qsizetype index = 0;
        for (;;) {
            skipSpace();
            if (p_ == end_) return;
            if (*p_ == ']') {
                ++p_;
                return;
            }
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            const char* before = p_;
            value(childPointer(pointer, index++));
            if (p_ == before) return;  // no progress: not valid JSON
        }
    }

    // Reads a string literal and returns its decoded text (needed for keys).
    QString string() {
        ++p_;  // opening quote
        QString text;
        const char* run = p_;
        auto flush = [&] { text += QString::fromUtf8(run, p_ - run); };
        while (p_ != end_ && *p_ != '"') {
            if (*p_ != '\\') {
                ++p_;
                continue;
            }
            flush();
            ++p_;
            if (p_ == end_) break;
            text += escape();
            run = p_;
        }
        flush();
        if (p_ != end_) ++p_;  // closing quote
        return text;
    }

    // After a backslash: one escaped character. A \uXXXX half of a surrogate
    // pair yields one UTF-16 unit; the next escape supplies the other.
    QChar escape() {
        const char c = *p_++;
        switch (c) {
            case 'b': return QChar(u'\b');
            case 'f': return QChar(u'\f');
            case 'n': return QChar(u'\n');
            case 'r': return QChar(u'\r');
            case 't': return QChar(u'\t');
            case 'u': {
                if (end_ - p_ < 4) {
                    p_ = end_;
                    return QChar();
                }
                bool ok = false;
                const ushort unit = QByteArray(p_, 4).toUShort(&ok, 16);
                p_ += 4;
                return QChar(unit);
            }
            default: return QChar::fromLatin1(c);  // '"', '\\', '/'
        }
    }

    void scalar() {
        while (p_ != end_ && *p_ != ',' && *p_ != ']' && *p_ != '}' && !isSpace(*p_)) ++p_;
    }

    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    void skipSpace() {
        while (p_ != end_ && isSpace(*p_)) {
            if (*p_ == '\n') ++line_;
            ++p_;
        }
    }

    const char* p_;
    const char* end_;
    int line_ = 1;
    JsonLines& out_;
};

JsonLines JsonLines::scan(const QByteArray& json) {
    JsonLines lines;
    JsonScanner(json, lines).value(QString());
    return lines;
}

int JsonLines::line(const QString& pointer) const {
    QString p = pointer;
    for (;;) {
        const auto found = lines_.constFind(p);
        if (found != lines_.constEnd()) return found.value();
        if (p.isEmpty()) return 1;
        p.truncate(p.lastIndexOf(u'/'));
    }
}

QString childPointer(const QString& parent, const QString& key) {
    QString escaped = key;
    escaped.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
    return parent + u'/' + escaped;
}

QString childPointer(const QString& parent, qsizetype index) {
    return parent + u'/' + QString::number(index);
}

int lineAtOffset(const QByteArray& text, qsizetype offset) {
    offset = qBound(qsizetype(0), offset, text.size());
    return 1 + static_cast<int>(QByteArrayView(text.constData(), offset).count('\n'));
}

}  // namespace kite::course::detail
