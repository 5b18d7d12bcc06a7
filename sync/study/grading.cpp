#include "kite/grading.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace kite::study {

using course::Item;
using course::ItemType;

QByteArray Response::toJson(ItemType type) const {
    QJsonObject o;
    switch (type) {
    case ItemType::MultipleChoice: o.insert(QStringLiteral("choice"), choice); break;
    case ItemType::MultipleSelect: {
        QJsonArray a;
        QList<int> sorted = choices;
        std::sort(sorted.begin(), sorted.end());
        for (int c : sorted) a.append(c);
        o.insert(QStringLiteral("choices"), a);
        break;
    }
    case ItemType::Numeric:
    case ItemType::ShortText: o.insert(QStringLiteral("text"), text); break;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString normaliseText(const QString& text, bool caseSensitive) {
    QString s = text.normalized(QString::NormalizationForm_KC).simplified();
    if (s.endsWith(QLatin1Char('.'))) s.chop(1);
    s = s.trimmed();
    return caseSensitive ? s : s.toCaseFolded();
}

std::optional<double> parseNumber(const QString& input) {
    QString s = input.normalized(QString::NormalizationForm_KC).simplified();
    s.replace(QChar(0x2212), QLatin1Char('-'));  // the typographic minus
    // [-] whole [whole num/den] | [-] num/den | [-] decimal with . or ,
    static const QRegularExpression mixed(QStringLiteral(R"(^([-+]?)\s*(\d+)\s+(\d+)\s*/\s*(\d+)$)"));
    static const QRegularExpression fraction(QStringLiteral(R"(^([-+]?)\s*(\d+)\s*/\s*(\d+)$)"));
    static const QRegularExpression decimal(QStringLiteral(R"(^([-+]?)\s*(\d*)(?:[.,](\d+))?$)"));
    auto sign = [](const QString& m) { return m == QLatin1String("-") ? -1.0 : 1.0; };
    if (auto m = mixed.match(s); m.hasMatch()) {
        const double den = m.captured(4).toDouble();
        if (den == 0.0) return std::nullopt;
        return sign(m.captured(1)) * (m.captured(2).toDouble() + m.captured(3).toDouble() / den);
    }
    if (auto m = fraction.match(s); m.hasMatch()) {
        const double den = m.captured(3).toDouble();
        if (den == 0.0) return std::nullopt;
        return sign(m.captured(1)) * m.captured(2).toDouble() / den;
    }
    if (auto m = decimal.match(s); m.hasMatch() && (!m.captured(2).isEmpty() || !m.captured(3).isEmpty())) {
        const QString digits = (m.captured(2).isEmpty() ? QStringLiteral("0") : m.captured(2)) +
                               (m.captured(3).isEmpty() ? QString() : QLatin1Char('.') + m.captured(3));
        bool ok = false;
        const double v = digits.toDouble(&ok);
        if (ok) return sign(m.captured(1)) * v;
    }
    return std::nullopt;
}

namespace {

Grade gradeNumeric(const Item& item, const QString& typed) {
    // Split a trailing unit off: the number is everything up to the first
    // letter (fractions and mixed numbers have none).
    QString s = typed.normalized(QString::NormalizationForm_KC).simplified();
    qsizetype cut = 0;
    while (cut < s.size() && !s[cut].isLetter() && s[cut] != QChar(0x00B5) && s[cut] != QLatin1Char('%')) ++cut;
    const QString numberPart = s.left(cut).trimmed();
    const QString unitPart = normaliseText(s.mid(cut), false);
    const auto value = parseNumber(numberPart);
    if (!value) {
        return {false, 0.0, QStringLiteral("That is not a number: write it like 3/4, 0.75 or 1 1/2.")};
    }
    if (!unitPart.isEmpty()) {
        bool known = false;
        if (!item.unit.isEmpty()) {
            known = normaliseText(item.unit, false) == unitPart;
            for (const QString& alias : item.unit_aliases) known = known || normaliseText(alias, false) == unitPart;
        }
        if (!known) {
            return {false, 0.0,
                    item.unit.isEmpty() ? QStringLiteral("Give just the number, with no unit.")
                                        : QStringLiteral("Give the answer in %1.").arg(item.unit)};
        }
    }
    const bool correct = std::abs(*value - item.value) <= item.tolerance + 1e-9;
    return {correct, correct ? 1.0 : 0.0, {}};
}

}  // namespace

Grade grade(const Item& item, const Response& response) {
    switch (item.type) {
    case ItemType::MultipleChoice: {
        if (response.choice < 0 || response.choice >= item.choices.size())
            return {false, 0.0, QStringLiteral("No choice was made.")};
        const bool correct = response.choice == item.answer;
        return {correct, correct ? 1.0 : 0.0, {}};
    }
    case ItemType::MultipleSelect: {
        QList<int> chosen = response.choices;
        std::sort(chosen.begin(), chosen.end());
        chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
        if (chosen.isEmpty()) return {false, 0.0, QStringLiteral("No choice was made.")};
        int right = 0;
        int wrong = 0;
        for (int c : chosen) (item.answers.contains(c) ? right : wrong) += 1;
        const bool correct = chosen == item.answers;
        // Partial credit: each right pick earns a share, each wrong pick costs one.
        const double score =
            std::max(0.0, static_cast<double>(right - wrong) / static_cast<double>(item.answers.size()));
        QString feedback;
        if (!correct && wrong == 0) feedback = QStringLiteral("Some correct choices are missing.");
        return {correct, correct ? 1.0 : score, feedback};
    }
    case ItemType::Numeric: return gradeNumeric(item, response.text);
    case ItemType::ShortText: {
        const QString given = normaliseText(response.text, item.case_sensitive);
        if (given.isEmpty()) return {false, 0.0, QStringLiteral("No answer was given.")};
        for (const QString& accepted : item.accepted) {
            if (normaliseText(accepted, item.case_sensitive) == given) return {true, 1.0, {}};
        }
        return {false, 0.0, {}};
    }
    }
    return {};
}

}  // namespace kite::study
