#include "json_fields.h"

#include <QJsonValue>
#include <cmath>
#include <limits>

#include "course_text.h"

namespace kite::course::detail {

QString describeJsonType(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null: return QStringLiteral("null");
        case QJsonValue::Bool: return QStringLiteral("true or false");
        case QJsonValue::Double: return QStringLiteral("a number");
        case QJsonValue::String: return QStringLiteral("a string");
        case QJsonValue::Array: return QStringLiteral("a list");
        case QJsonValue::Object: return QStringLiteral("an object");
        case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

JsonFields::JsonFields(const QJsonObject& object, QString pointer, JsonReport& report, QString owner)
    : object_(object), pointer_(std::move(pointer)), report_(report), owner_(std::move(owner)) {}

QString JsonFields::pointer(const QString& key) const {
    return childPointer(pointer_, key);
}

std::optional<QJsonValue> JsonFields::member(const QString& key, Presence presence) {
    known_.insert(key);
    const auto it = object_.constFind(key);
    if (it != object_.constEnd()) return it.value();
    if (presence == Presence::Required) report_.error(pointer_, QStringLiteral("%1 has no '%2'").arg(owner_, key));
    return std::nullopt;
}

void JsonFields::wrongType(const QString& key, const QString& expected, const QJsonValue& value) {
    error(key, QStringLiteral("%1: '%2' must be %3, not %4").arg(owner_, key, expected, describeJsonType(value)));
}

std::optional<QString> JsonFields::text(const QString& key, Presence presence) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    if (!value->isString()) {
        wrongType(key, QStringLiteral("a string"), *value);
        return std::nullopt;
    }
    if (presence == Presence::Required && value->toString().trimmed().isEmpty()) {
        error(key, QStringLiteral("%1: '%2' is empty").arg(owner_, key));
        return std::nullopt;
    }
    return value->toString();
}

std::optional<int> JsonFields::wholeNumber(const QString& key, Presence presence, int min) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    const double d = value->toDouble();
    const QString expected = QStringLiteral("a whole number of at least %1").arg(min);
    if (!value->isDouble() || d != std::floor(d) || d < min || d > std::numeric_limits<int>::max()) {
        if (value->isDouble())
            error(key, QStringLiteral("%1: '%2' must be %3, not %4").arg(owner_, key, expected).arg(d));
        else
            wrongType(key, expected, *value);
        return std::nullopt;
    }
    return static_cast<int>(d);
}

std::optional<double> JsonFields::number(const QString& key, Presence presence) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    if (!value->isDouble()) {
        wrongType(key, QStringLiteral("a number"), *value);
        return std::nullopt;
    }
    if (!std::isfinite(value->toDouble())) {  // e.g. 1e999
        error(key, QStringLiteral("%1: '%2' is too large").arg(owner_, key));
        return std::nullopt;
    }
    return value->toDouble();
}

std::optional<bool> JsonFields::boolean(const QString& key, Presence presence) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    if (!value->isBool()) {
        wrongType(key, QStringLiteral("true or false"), *value);
        return std::nullopt;
    }
    return value->toBool();
}

std::optional<QJsonArray> JsonFields::array(const QString& key, Presence presence) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    if (!value->isArray()) {
        wrongType(key, QStringLiteral("a list"), *value);
        return std::nullopt;
    }
    return value->toArray();
}

std::optional<QJsonObject> JsonFields::object(const QString& key, Presence presence) {
    const auto value = member(key, presence);
    if (!value) return std::nullopt;
    if (!value->isObject()) {
        wrongType(key, QStringLiteral("an object"), *value);
        return std::nullopt;
    }
    return value->toObject();
}

std::optional<QStringList> JsonFields::textList(const QString& key, Presence presence) {
    const auto list = array(key, presence);
    if (!list) return std::nullopt;
    QStringList texts;
    bool ok = true;
    for (qsizetype i = 0; i < list->size(); ++i) {
        const QJsonValue entry = list->at(i);
        const QString at = childPointer(pointer(key), i);
        if (!entry.isString()) {
            report_.error(at, QStringLiteral("%1: %2[%3] must be a string, not %4")
                                  .arg(owner_, key)
                                  .arg(i)
                                  .arg(describeJsonType(entry)));
            ok = false;
        } else if (entry.toString().trimmed().isEmpty()) {
            report_.error(at, QStringLiteral("%1: %2[%3] is empty").arg(owner_, key).arg(i));
            ok = false;
        } else {
            texts.append(entry.toString());
        }
    }
    return ok ? std::optional(texts) : std::nullopt;
}

void JsonFields::reportUnknownKeys(const QMap<QString, QString>& elsewhere) {
    QStringList known(known_.cbegin(), known_.cend());
    known.sort();  // a stable suggestion when two keys are equally close
    for (const QString& key : object_.keys()) {
        if (known_.contains(key)) continue;
        if (elsewhere.contains(key))
            error(key, QStringLiteral("%1: '%2' belongs to %3, not here").arg(owner_, key, elsewhere.value(key)));
        else
            error(key, QStringLiteral("%1: unknown key '%2'%3").arg(owner_, key, didYouMeanSuffix(key, known)));
    }
}

}  // namespace kite::course::detail
