// items/*.json: practice items, and parseItem() for items kept by the store.

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <algorithm>
#include <cmath>

#include "course_check.h"
#include "course_text.h"
#include "json_fields.h"

namespace kite::course {

QString toString(ItemType type) {
    switch (type) {
        case ItemType::MultipleChoice: return QStringLiteral("multiple_choice");
        case ItemType::MultipleSelect: return QStringLiteral("multiple_select");
        case ItemType::Numeric: return QStringLiteral("numeric");
        case ItemType::ShortText: return QStringLiteral("short_text");
    }
    return QStringLiteral("unknown");
}

namespace detail {
namespace {

constexpr ItemType kTypes[] = {ItemType::MultipleChoice, ItemType::MultipleSelect, ItemType::Numeric,
                               ItemType::ShortText};
constexpr qsizetype kMinChoices = 2;
constexpr qsizetype kMaxChoices = 8;

std::optional<ItemType> itemTypeNamed(const QString& name) {
    for (ItemType type : kTypes)
        if (toString(type) == name) return type;
    return std::nullopt;
}

// The keys only items of `type` have.
QStringList keysOf(ItemType type) {
    switch (type) {
        case ItemType::MultipleChoice: return {QStringLiteral("choices"), QStringLiteral("answer")};
        case ItemType::MultipleSelect: return {QStringLiteral("choices"), QStringLiteral("answers")};
        case ItemType::Numeric:
            return {QStringLiteral("answer"), QStringLiteral("tolerance"), QStringLiteral("unit"),
                    QStringLiteral("unit_aliases")};
        case ItemType::ShortText: return {QStringLiteral("accepted"), QStringLiteral("case_sensitive")};
    }
    return {};
}

// Keys of other item types than `type`, each with the types that have it:
// {"accepted": "short_text items"}.
QMap<QString, QString> keysOfOtherTypes(ItemType type) {
    QMap<QString, QString> owners;
    for (ItemType other : kTypes) {
        if (other == type) continue;
        for (const QString& key : keysOf(other)) {
            if (keysOf(type).contains(key)) continue;
            QString& owner = owners[key];
            owner += (owner.isEmpty() ? QString() : QStringLiteral(" and ")) + toString(other);
        }
    }
    for (QString& owner : owners) owner += QStringLiteral(" items");
    return owners;
}

// How messages name the item: "multiple_choice item 'p-3'", or by position
// when it has no usable id.
QString itemOwner(const QJsonObject& object, qsizetype index) {
    const QString id = object.value(QStringLiteral("id")).toString();
    const auto type = itemTypeNamed(object.value(QStringLiteral("type")).toString());
    const QString kind = type ? toString(*type) + QStringLiteral(" item") : QStringLiteral("item");
    return isValidId(id) ? QStringLiteral("%1 '%2'").arg(kind, id)
                         : QStringLiteral("%1 at index %2").arg(kind).arg(index);
}

std::optional<QStringList> readChoices(JsonFields& fields) {
    const QString key = QStringLiteral("choices");
    const auto choices = fields.textList(key, Presence::Required);
    if (!choices) return std::nullopt;
    if (choices->size() < kMinChoices || choices->size() > kMaxChoices) {
        fields.error(key, QStringLiteral("%1 has %2 choices: give %3 to %4")
                              .arg(fields.owner())
                              .arg(choices->size())
                              .arg(kMinChoices)
                              .arg(kMaxChoices));
        return std::nullopt;
    }
    bool distinct = true;
    for (qsizetype i = 1; i < choices->size(); ++i) {
        for (qsizetype j = 0; j < i; ++j) {
            if (choices->at(j).trimmed() != choices->at(i).trimmed()) continue;
            fields.error(key, QStringLiteral("%1: choices[%2] repeats choices[%3] ('%4')")
                                  .arg(fields.owner())
                                  .arg(i)
                                  .arg(j)
                                  .arg(choices->at(i)));
            distinct = false;
            break;
        }
    }
    return distinct ? choices : std::nullopt;
}

void readMultipleChoice(JsonFields& fields, Item& item) {
    const auto choices = readChoices(fields);
    const auto answer = fields.wholeNumber(QStringLiteral("answer"), Presence::Required, 0);
    item.choices = choices.value_or(QStringList());
    if (!choices || !answer) return;
    if (*answer >= choices->size()) {
        fields.error(QStringLiteral("answer"),
                     QStringLiteral("%1: answer %2 is out of range: the %3 choices are numbered 0 to %4")
                         .arg(fields.owner())
                         .arg(*answer)
                         .arg(choices->size())
                         .arg(choices->size() - 1));
        return;
    }
    item.answer = *answer;
}

void readMultipleSelect(JsonFields& fields, JsonReport& report, Item& item) {
    const auto choices = readChoices(fields);
    const QString key = QStringLiteral("answers");
    const auto answers = fields.array(key, Presence::Required);
    item.choices = choices.value_or(QStringList());
    if (!answers) return;
    if (answers->isEmpty()) {
        fields.error(key, QStringLiteral("%1: 'answers' is empty: list every correct choice").arg(fields.owner()));
        return;
    }
    QList<int> indexes;
    for (qsizetype i = 0; i < answers->size(); ++i) {
        const double d = answers->at(i).toDouble(-1);
        const QString at = childPointer(fields.pointer(key), i);
        const qsizetype limit = choices ? choices->size() : kMaxChoices;
        if (!answers->at(i).isDouble() || d < 0 || d >= static_cast<double>(limit) || d != std::floor(d)) {
            report.error(at, QStringLiteral("%1: answers[%2] must be the index of a choice, 0 to %3")
                                 .arg(fields.owner())
                                 .arg(i)
                                 .arg(limit - 1));
        } else if (indexes.contains(static_cast<int>(d))) {
            report.error(at, QStringLiteral("%1: answers[%2] repeats choice %3").arg(fields.owner()).arg(i).arg(d));
        } else {
            indexes.append(static_cast<int>(d));
        }
    }
    std::sort(indexes.begin(), indexes.end());
    item.answers = indexes;
}

void readNumeric(JsonFields& fields, Item& item) {
    item.value = fields.number(QStringLiteral("answer"), Presence::Required).value_or(0.0);
    item.tolerance = fields.number(QStringLiteral("tolerance"), Presence::Optional).value_or(0.0);
    if (item.tolerance < 0)
        fields.error(
            QStringLiteral("tolerance"),
            QStringLiteral("%1: 'tolerance' must be 0 or more, not %2").arg(fields.owner()).arg(item.tolerance));
    if (const auto unit = fields.text(QStringLiteral("unit"), Presence::Optional)) {
        item.unit = unit->trimmed();
        if (item.unit.isEmpty())
            fields.error(QStringLiteral("unit"),
                         QStringLiteral("%1: 'unit' is empty: leave it out").arg(fields.owner()));
    }
    item.unit_aliases = fields.textList(QStringLiteral("unit_aliases"), Presence::Optional).value_or(QStringList());
    if (!item.unit_aliases.isEmpty() && !fields.has(QStringLiteral("unit")))
        fields.error(QStringLiteral("unit_aliases"),
                     QStringLiteral("%1 has 'unit_aliases' but no 'unit'").arg(fields.owner()));
}

void readShortText(JsonFields& fields, Item& item) {
    if (const auto accepted = fields.textList(QStringLiteral("accepted"), Presence::Required)) {
        item.accepted = *accepted;
        if (accepted->isEmpty())
            fields.error(QStringLiteral("accepted"),
                         QStringLiteral("%1: 'accepted' is empty: list at least one answer").arg(fields.owner()));
    }
    item.case_sensitive = fields.boolean(QStringLiteral("case_sensitive"), Presence::Optional).value_or(false);
}

// The prompt, hints and explanation are Markdown whose images are
// relative to the course folder.
void collectImages(const Item& item, const QString& pointer, const JsonReport& report, const QString& user,
                   References& references) {
    auto add = [&](const QString& markdown, const QString& at) {
        for (const MarkdownImage& image : markdownImages(markdown))
            references.images.append({report.file(), report.line(at), image.target, user, QString()});
    };
    add(item.prompt, childPointer(pointer, QStringLiteral("prompt")));
    for (qsizetype i = 0; i < item.hints.size(); ++i)
        add(item.hints[i], childPointer(childPointer(pointer, QStringLiteral("hints")), i));
    add(item.explanation, childPointer(pointer, QStringLiteral("explanation")));
}

// Reads the item at `pointer`; nothing when it has an error (reported).
std::optional<Item> readItem(const QJsonObject& object, const QString& pointer, qsizetype index, JsonReport& report,
                             References& references) {
    const int errorsBefore = report.errorCount();
    JsonFields fields(object, pointer, report, itemOwner(object, index));
    Item item;
    item.id = fields.text(QStringLiteral("id"), Presence::Required).value_or(QString());
    if (!item.id.isEmpty() && !isValidId(item.id))
        fields.error(QStringLiteral("id"), QStringLiteral("item id '%1' is not %2").arg(item.id, kIdRule));
    const auto typeName = fields.text(QStringLiteral("type"), Presence::Required);
    const auto type = typeName ? itemTypeNamed(*typeName) : std::nullopt;
    if (typeName && !type)
        fields.error(QStringLiteral("type"), QStringLiteral("%1: unknown item type '%2' (types: multiple_choice, "
                                                            "multiple_select, numeric, short_text)")
                                                 .arg(fields.owner(), *typeName));
    const auto skills = fields.textList(QStringLiteral("skills"), Presence::Required);
    if (skills && skills->isEmpty())
        fields.error(QStringLiteral("skills"),
                     QStringLiteral("%1: 'skills' is empty: name at least one skill").arg(fields.owner()));
    item.skills = skills.value_or(QStringList());
    item.prompt = fields.text(QStringLiteral("prompt"), Presence::Required).value_or(QString());
    item.hints = fields.textList(QStringLiteral("hints"), Presence::Optional).value_or(QStringList());
    item.explanation = fields.text(QStringLiteral("explanation"), Presence::Optional).value_or(QString());

    if (type) {
        // value_or, not *type: GCC 12 at -O2 wrongly warns *type may be uninitialised.
        const ItemType kind = type.value_or(ItemType::MultipleChoice);
        item.type = kind;
        switch (kind) {
            case ItemType::MultipleChoice: readMultipleChoice(fields, item); break;
            case ItemType::MultipleSelect: readMultipleSelect(fields, report, item); break;
            case ItemType::Numeric: readNumeric(fields, item); break;
            case ItemType::ShortText: readShortText(fields, item); break;
        }
        fields.reportUnknownKeys(keysOfOtherTypes(kind));
    }

    const QString skillsPointer = childPointer(pointer, QStringLiteral("skills"));
    for (qsizetype i = 0; i < item.skills.size(); ++i)
        references.skills.append(
            {report.file(), report.line(childPointer(skillsPointer, i)), item.skills[i], fields.owner(), QString()});
    collectImages(item, pointer, report, fields.owner(), references);

    if (report.errorCount() != errorsBefore) return std::nullopt;
    item.json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return item;
}

}  // namespace

QList<ParsedItem> readItemsFile(const QString& path, const QByteArray& bytes, Problems& problems,
                                References& references) {
    const std::optional<QJsonDocument> document = parseJsonFile(bytes, path, problems);
    if (!document) return {};
    if (!document->isArray()) {
        problems.error(path, 1, QStringLiteral("an items file holds a JSON list of items, not an object"));
        return {};
    }
    JsonReport report(problems, path, JsonLines::scan(bytes));
    report.reportDuplicateKeys();
    const QJsonArray array = document->array();
    QList<ParsedItem> items;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString pointer = childPointer(QString(), i);
        if (!array.at(i).isObject()) {
            report.error(
                pointer,
                QStringLiteral("item at index %1 must be an object, not %2").arg(i).arg(describeJsonType(array.at(i))));
            continue;
        }
        if (auto item = readItem(array.at(i).toObject(), pointer, i, report, references))
            items.append({*item, path, report.line(childPointer(pointer, QStringLiteral("id")))});
    }
    return items;
}

}  // namespace detail

Result<Item> parseItem(const QByteArray& json) {
    using namespace detail;
    Problems problems;
    const std::optional<QJsonDocument> document = parseJsonFile(json, QString(), problems);
    if (document && !document->isObject()) problems.error(QString(), 1, QStringLiteral("an item is a JSON object"));
    std::optional<Item> item;
    if (problems.errorCount() == 0) {
        JsonReport report(problems, QString(), JsonLines::scan(json));
        report.reportDuplicateKeys();
        References ignored;  // cross-references are the course's business
        item = readItem(document->object(), QString(), 0, report, ignored);
    }
    if (item && problems.errorCount() == 0) return *item;
    QStringList messages;
    for (const Problem& problem : problems.sorted()) messages.append(problem.message);
    return Error{messages.join(QStringLiteral("; ")).toStdString()};
}

}  // namespace kite::course
