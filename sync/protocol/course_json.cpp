// course.json: the course's own fields and its skills.

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <vector>

#include "course_check.h"
#include "course_text.h"
#include "json_fields.h"

namespace kite::course::detail {
namespace {

const QString kFile = QStringLiteral("course.json");

// A skill as read, with where its parts are, for messages about it.
struct SkillEntry {
    Skill skill;
    QString pointer;
};

void readFormat(JsonFields& fields) {
    if (const auto format = fields.text(QStringLiteral("format"), Presence::Required);
        format && *format != u"kite-course")
        fields.error(QStringLiteral("format"),
                     QStringLiteral("'format' must be \"kite-course\", not \"%1\"").arg(*format));
    if (const auto version = fields.wholeNumber(QStringLiteral("format_version"), Presence::Required, 1);
        version && *version != 1)
        fields.error(QStringLiteral("format_version"),
                     QStringLiteral("format_version %1 is newer than this Kite reads (1): update Kite").arg(*version));
}

void readHead(JsonFields& fields, Course& course) {
    readFormat(fields);
    if (const auto id = fields.text(QStringLiteral("id"), Presence::Required)) {
        if (isValidId(*id))
            course.id = *id;
        else
            fields.error(QStringLiteral("id"), QStringLiteral("course id '%1' is not %2").arg(*id, kIdRule));
    }
    course.title = fields.text(QStringLiteral("title"), Presence::Required).value_or(QString());
    course.version = fields.wholeNumber(QStringLiteral("version"), Presence::Required, 1).value_or(0);
    if (const auto language = fields.text(QStringLiteral("language"), Presence::Required)) {
        if (isLanguageTag(*language))
            course.language = *language;
        else
            fields.error(QStringLiteral("language"),
                         QStringLiteral("language '%1' is not a language tag like en, fr or es-MX").arg(*language));
    }
    course.description = fields.text(QStringLiteral("description"), Presence::Optional).value_or(QString());
}

// Reads skills[index]; nothing when it is not an object or has no valid id.
std::optional<SkillEntry> readSkill(const QJsonValue& value, const QString& pointer, qsizetype index,
                                    JsonReport& report) {
    if (!value.isObject()) {
        report.error(pointer,
                     QStringLiteral("skills[%1] must be an object, not %2").arg(index).arg(describeJsonType(value)));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    const QString rawId = object.value(QStringLiteral("id")).toString();
    JsonFields fields(
        object, pointer, report,
        isValidId(rawId) ? QStringLiteral("skill '%1'").arg(rawId) : QStringLiteral("skills[%1]").arg(index));
    SkillEntry entry{{}, pointer};
    const auto id = fields.text(QStringLiteral("id"), Presence::Required);
    if (id && !isValidId(*id))
        fields.error(QStringLiteral("id"), QStringLiteral("skill id '%1' is not %2").arg(*id, kIdRule));
    entry.skill.name = fields.text(QStringLiteral("name"), Presence::Required).value_or(QString());
    entry.skill.prerequisites =
        fields.textList(QStringLiteral("prerequisites"), Presence::Optional).value_or(QStringList());
    fields.reportUnknownKeys();
    if (!id || !isValidId(*id)) return std::nullopt;
    entry.skill.id = *id;
    return entry;
}

void checkPrerequisitesExist(const QList<SkillEntry>& skills, const QHash<QString, int>& ids, JsonReport& report) {
    QStringList known = ids.keys();
    known.sort();
    for (const SkillEntry& entry : skills) {
        const QString list = childPointer(entry.pointer, QStringLiteral("prerequisites"));
        for (qsizetype i = 0; i < entry.skill.prerequisites.size(); ++i) {
            const QString& prerequisite = entry.skill.prerequisites[i];
            if (!ids.contains(prerequisite))
                report.error(childPointer(list, i),
                             QStringLiteral("skill '%1': prerequisite '%2' is not a skill of this course%3")
                                 .arg(entry.skill.id, prerequisite, didYouMeanSuffix(prerequisite, known)));
        }
    }
}

// Reports each prerequisite that closes a cycle ("a -> b -> a"), at its
// line. Depth-first search without recursion, so that a long chain of
// skills in a hostile package cannot exhaust the stack.
void reportPrerequisiteCycles(const QList<SkillEntry>& skills, JsonReport& report) {
    QHash<QString, qsizetype> indexOf;
    for (qsizetype i = 0; i < skills.size(); ++i)
        if (!indexOf.contains(skills[i].skill.id)) indexOf.insert(skills[i].skill.id, i);

    enum class Mark { Unvisited, OnPath, Done };
    std::vector<Mark> mark(static_cast<std::size_t>(skills.size()), Mark::Unvisited);
    struct Step {
        qsizetype skill;
        qsizetype nextPrerequisite;
    };
    for (qsizetype start = 0; start < skills.size(); ++start) {
        if (mark[static_cast<std::size_t>(start)] != Mark::Unvisited) continue;
        std::vector<Step> path{{start, 0}};
        mark[static_cast<std::size_t>(start)] = Mark::OnPath;
        while (!path.empty()) {
            Step& step = path.back();
            const SkillEntry& entry = skills[step.skill];
            if (step.nextPrerequisite == entry.skill.prerequisites.size()) {
                mark[static_cast<std::size_t>(step.skill)] = Mark::Done;
                path.pop_back();
                continue;
            }
            const qsizetype edge = step.nextPrerequisite++;
            const qsizetype next = indexOf.value(entry.skill.prerequisites[edge], -1);
            if (next < 0) continue;  // unknown skill, reported elsewhere
            if (mark[static_cast<std::size_t>(next)] == Mark::Unvisited) {
                mark[static_cast<std::size_t>(next)] = Mark::OnPath;
                path.push_back({next, 0});
            } else if (mark[static_cast<std::size_t>(next)] == Mark::OnPath) {
                QStringList cycle;
                bool inCycle = false;
                for (const Step& s : path) {
                    inCycle = inCycle || s.skill == next;
                    if (inCycle) cycle.append(skills[s.skill].skill.id);
                }
                cycle.append(skills[next].skill.id);
                report.error(childPointer(childPointer(entry.pointer, QStringLiteral("prerequisites")), edge),
                             QStringLiteral("prerequisites form a cycle: %1 (each needs the next)")
                                 .arg(cycle.join(QStringLiteral(" -> "))));
            }
        }
    }
}

// Reads the skills array; returns the valid, unique ones.
QList<SkillEntry> readSkills(const QJsonArray& array, JsonReport& report) {
    const QString pointer = QStringLiteral("/skills");
    if (array.isEmpty()) report.error(pointer, QStringLiteral("course has no skills: add at least one"));
    QList<SkillEntry> skills;
    QHash<QString, int> firstLine;
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto entry = readSkill(array.at(i), childPointer(pointer, i), i, report);
        if (!entry) continue;
        const QString idPointer = childPointer(entry->pointer, QStringLiteral("id"));
        if (firstLine.contains(entry->skill.id)) {
            report.error(idPointer, QStringLiteral("duplicate skill id '%1' (first on line %2)")
                                        .arg(entry->skill.id)
                                        .arg(firstLine.value(entry->skill.id)));
            continue;
        }
        firstLine.insert(entry->skill.id, report.line(idPointer));
        skills.append(*entry);
    }
    return skills;
}

}  // namespace

std::optional<QHash<QString, int>> readCourseJson(const QByteArray& bytes, Problems& problems, Course& course) {
    const std::optional<QJsonDocument> document = parseJsonFile(bytes, kFile, problems);
    if (!document) return std::nullopt;
    if (!document->isObject()) {
        problems.error(kFile, 1, QStringLiteral("course.json must hold one JSON object, not a list"));
        return std::nullopt;
    }
    JsonReport report(problems, kFile, JsonLines::scan(bytes));
    report.reportDuplicateKeys();
    JsonFields fields(document->object(), QString(), report, QStringLiteral("course"));
    readHead(fields, course);
    const auto array = fields.array(QStringLiteral("skills"), Presence::Required);
    fields.reportUnknownKeys();
    if (!array) return std::nullopt;

    const QList<SkillEntry> skills = readSkills(*array, report);
    QHash<QString, int> lines;
    for (const SkillEntry& entry : skills) {
        lines.insert(entry.skill.id, report.line(childPointer(entry.pointer, QStringLiteral("id"))));
        course.skills.append(entry.skill);
    }
    checkPrerequisitesExist(skills, lines, report);
    reportPrerequisiteCycles(skills, report);
    return lines;
}

}  // namespace kite::course::detail
