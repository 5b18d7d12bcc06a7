#include "kite/pin_hash.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

#include <optional>

namespace kite {

namespace {

constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray derive(const QString& pin, const QByteArray& salt, int iterations) {
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, pin.toUtf8(), salt, iterations, 32);
}

struct Parts {
    int iterations = 0;
    QByteArray salt;
    QByteArray key;
};

std::optional<Parts> parse(const QString& hash) {
    const QStringList parts = hash.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts[0] != QLatin1String("pbkdf2-sha256")) return std::nullopt;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1 || iterations > 10'000'000) return std::nullopt;
    const auto salt = QByteArray::fromBase64Encoding(parts[2].toLatin1(), kBase64);
    const auto key = QByteArray::fromBase64Encoding(parts[3].toLatin1(), kBase64);
    if (!salt || !key || salt.decoded.isEmpty() || key.decoded.size() != 32) return std::nullopt;
    return Parts{iterations, *salt, *key};
}

}  // namespace

bool isPin(const QString& text) {
    if (text.size() < 4 || text.size() > 8) return false;
    for (QChar c : text)
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) return false;
    return true;
}

QString hashPin(const QString& pin) {
    QByteArray salt(16, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(salt.data()), 4);
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3")
        .arg(kPinIterations)
        .arg(QString::fromLatin1(salt.toBase64(kBase64)),
             QString::fromLatin1(derive(pin, salt, kPinIterations).toBase64(kBase64)));
}

bool isPinHash(const QString& hash) {
    return parse(hash).has_value();
}

bool pinMatches(const QString& pin, const QString& hash) {
    const auto parts = parse(hash);
    return parts && derive(pin, parts->salt, parts->iterations) == parts->key;
}

}  // namespace kite
