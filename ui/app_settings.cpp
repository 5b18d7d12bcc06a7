#include "kite/app_settings.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace kite::ui {

namespace {

enum class Type { Text, Flag, Number, Whole, Choice };

struct Key {
    const char* name;
    Type type;
    QVariant fallback;
    double least = 0, most = 0;  // Number, Whole
    QStringList choices = {};    // Choice
};

const std::vector<Key>& keys() {
    static const std::vector<Key> all{
        {"server", Type::Text, QString()},
        {"enrollment_code", Type::Text, QString()},
        {"sync/paused", Type::Flag, false},
        {"sync/allow_metered", Type::Flag, true},
        {"language", Type::Choice, QStringLiteral("system"), 0, 0,
         {QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("fr"), QStringLiteral("es")}},
        {"text_scale", Type::Number, 1.0, 0.75, 2.0},
        {"theme", Type::Choice, QStringLiteral("light"), 0, 0,
         {QStringLiteral("light"), QStringLiteral("dark"), QStringLiteral("high_contrast")}},
        {"kiosk/enabled", Type::Flag, false},
        {"kiosk/idle_seconds", Type::Whole, 120, 15, 3600},
        {"kiosk/teacher_pin_hash", Type::Text, QString()},
    };
    return all;
}

const Key* find(const QString& name) {
    const auto& all = keys();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Key& k) { return name == QLatin1String(k.name); });
    return it == all.end() ? nullptr : &*it;
}

// `raw` as the key's type, or why not. INI and the registry give text for
// everything; plists and the registry may give numbers and booleans.
std::optional<QVariant> checked(const Key& key, const QVariant& raw, QString* why) {
    const QString text = raw.toString().trimmed();
    switch (key.type) {
    case Type::Text: return QVariant(raw.toString());
    case Type::Flag: {
        if (raw.typeId() == QMetaType::Bool) return raw;
        const QString t = text.toLower();
        if (t == u"true" || t == u"1" || t == u"yes" || t == u"on") return QVariant(true);
        if (t == u"false" || t == u"0" || t == u"no" || t == u"off") return QVariant(false);
        *why = QStringLiteral("expected true or false, got '%1'").arg(text);
        return std::nullopt;
    }
    case Type::Number:
    case Type::Whole: {
        bool ok = false;
        const double v = raw.typeId() == QMetaType::QString ? text.toDouble(&ok) : raw.toDouble(&ok);
        if (!ok || v < key.least || v > key.most || (key.type == Type::Whole && v != static_cast<qint64>(v))) {
            *why = QStringLiteral("expected a %1 from %2 to %3, got '%4'")
                       .arg(key.type == Type::Whole ? QStringLiteral("whole number") : QStringLiteral("number"))
                       .arg(key.least)
                       .arg(key.most)
                       .arg(text);
            return std::nullopt;
        }
        return key.type == Type::Whole ? QVariant(static_cast<int>(v)) : QVariant(v);
    }
    case Type::Choice:
        if (key.choices.contains(text)) return QVariant(text);
        *why = QStringLiteral("expected one of %1, got '%2'").arg(key.choices.join(QStringLiteral(", ")), text);
        return std::nullopt;
    }
    return std::nullopt;
}

std::unique_ptr<QSettings> platformManaged() {
#if defined(Q_OS_WIN)
    return std::make_unique<QSettings>(QStringLiteral("HKEY_LOCAL_MACHINE\\Software\\Policies\\Kite"),
                                       QSettings::NativeFormat);
#elif defined(Q_OS_MACOS)
    return std::make_unique<QSettings>(QStringLiteral("/Library/Managed Preferences/org.kite.Kite.plist"),
                                       QSettings::NativeFormat);
#else
    // $XDG_CONFIG_DIRS/Kite/kite.conf, /etc/xdg by default (Qt's native
    // format on Linux is this INI file; IniFormat would read kite.ini).
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::SystemScope, QStringLiteral("Kite"),
                                       QStringLiteral("kite"));
#endif
}

}  // namespace

AppSettings::AppSettings(QObject* parent)
    : AppSettings(platformManaged(),
                  // ~/.config/Kite/kite.conf; the registry (HKCU) on Windows, a plist on macOS.
                  std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("Kite"),
                                              QStringLiteral("kite")),
                  parent) {}

AppSettings::AppSettings(std::unique_ptr<QSettings> managed, std::unique_ptr<QSettings> user, QObject* parent)
    : QObject(parent), managed_(std::move(managed)), user_(std::move(user)) {
    readManaged();
}

AppSettings::~AppSettings() = default;

void AppSettings::readManaged() {
    if (!managed_) return;
    const QString where = managed_->fileName();
    if (managed_->status() != QSettings::NoError)
        problems_ << QStringLiteral("%1: cannot be read; no managed settings apply").arg(where);
    for (const QString& name : managed_->allKeys()) {
        const Key* key = find(name);
        if (!key) {
            problems_ << QStringLiteral("%1: unknown setting '%2', ignored").arg(where, name);
            continue;
        }
        QString why;
        if (auto v = checked(*key, managed_->value(name), &why))
            managedValues_.insert(name, *v);
        else
            problems_ << QStringLiteral("%1: %2: %3; ignored").arg(where, name, why);
    }
}

QVariant AppSettings::value(const QString& name) const {
    const Key* key = find(name);
    if (!key) return {};
    if (auto it = managedValues_.find(name); it != managedValues_.end()) return *it;
    if (user_ && user_->contains(name)) {
        QString why;
        if (auto v = checked(*key, user_->value(name), &why)) return *v;
    }
    return key->fallback;
}

QStringList AppSettings::names() {
    QStringList all;
    for (const Key& k : keys()) all << QLatin1String(k.name);
    return all;
}

bool AppSettings::locked(const QString& name) const {
    return managedValues_.contains(name);
}

bool AppSettings::setValue(const QString& name, const QVariant& raw) {
    const Key* key = find(name);
    if (!key || locked(name) || !user_) return false;
    QString why;
    const auto v = checked(*key, raw, &why);
    if (!v) return false;
    if (value(name) == *v) return true;
    user_->setValue(name, *v);
    emit changed();
    return true;
}

}  // namespace kite::ui
