// Line numbers for the values of a JSON text, so that a problem found in a
// parsed QJsonDocument can point at the line an author has to fix. Qt's JSON
// parser keeps no positions, so this scans the text a second time.
// Internal to kite_protocol.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace kite::course::detail {

// A key that appears twice in one object: QJsonDocument silently keeps one
// of them, which would hide an authoring mistake.
struct DuplicateKey {
    QString pointer;  // of the repeated member, e.g. "/3/answer"
    int line = 0;     // of its second appearance
};

class JsonLines {
public:
    // Scans `json`, which QJsonDocument has already accepted. On text it
    // would not have accepted the result is incomplete but safe to use.
    static JsonLines scan(const QByteArray& json);

    // The line (from 1) where the value at `pointer` (RFC 6901, "" for the
    // whole document) starts. An unknown pointer falls back to its nearest
    // known ancestor, and then to line 1.
    int line(const QString& pointer) const;

    const QList<DuplicateKey>& duplicateKeys() const { return duplicates_; }

private:
    friend class JsonScanner;
    QHash<QString, int> lines_;
    QList<DuplicateKey> duplicates_;
};

// The JSON pointer of member `key` of the object at `parent`, and of element
// `index` of the array at `parent`.
QString childPointer(const QString& parent, const QString& key);
QString childPointer(const QString& parent, qsizetype index);

// The line (from 1) of byte `offset` of `text`, e.g. of a QJsonParseError.
int lineAtOffset(const QByteArray& text, qsizetype offset);

}  // namespace kite::course::detail
