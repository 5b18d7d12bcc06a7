// Typed reading of the members of one JSON object in a course file, with
// every missing, mistyped or unknown member reported at its line.
// Internal to kite_protocol.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

#include "course_check.h"

namespace kite::course::detail {

enum class Presence { Required, Optional };

class JsonFields {
public:
    // `owner` names the object in messages: "course", "skill 'parts'",
    // "multiple_choice item 'p-3'".
    JsonFields(const QJsonObject& object, QString pointer, JsonReport& report, QString owner);

    void setOwner(const QString& owner) { owner_ = owner; }
    const QString& owner() const { return owner_; }
    QString pointer(const QString& key) const;
    bool has(const QString& key) const { return object_.contains(key); }

    // Each reader marks `key` as known, and returns nothing when the member
    // is absent or has an error (which it reports).
    std::optional<QString> text(const QString& key, Presence presence);  // Required: also non-blank
    std::optional<int> wholeNumber(const QString& key, Presence presence, int min);
    std::optional<double> number(const QString& key, Presence presence);  // finite
    std::optional<bool> boolean(const QString& key, Presence presence);
    std::optional<QJsonArray> array(const QString& key, Presence presence);
    std::optional<QJsonObject> object(const QString& key, Presence presence);
    // A list of non-blank strings.
    std::optional<QStringList> textList(const QString& key, Presence presence);

    // Reports every member no reader asked for. `elsewhere` maps keys that
    // are valid in other kinds of object to that kind, for a clearer message
    // ("'accepted' belongs to short_text items").
    void reportUnknownKeys(const QMap<QString, QString>& elsewhere = {});

    void error(const QString& key, const QString& message) { report_.error(pointer(key), message); }

private:
    // The member, marked known; nothing (reported if required) when absent.
    std::optional<QJsonValue> member(const QString& key, Presence presence);
    void wrongType(const QString& key, const QString& expected, const QJsonValue& value);

    QJsonObject object_;
    QString pointer_;
    JsonReport& report_;
    QString owner_;
    QSet<QString> known_;
};

// How a JSON value is described in messages: "a string", "a number", ...
QString describeJsonType(const QJsonValue& value);

}  // namespace kite::course::detail
