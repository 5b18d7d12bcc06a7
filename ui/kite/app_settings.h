// The app's settings, with managed configuration: a value that IT sets at
// system scope overrides the user's and is locked (docs/deploy.md).
//
//   Linux    /etc/xdg/Kite/kite.conf (INI; $XDG_CONFIG_DIRS/Kite/kite.conf)
//   Windows  HKEY_LOCAL_MACHINE\Software\Policies\Kite
//   macOS    /Library/Managed Preferences/org.kite.Kite.plist
//
// The user's own values are in the platform's user settings (QSettings,
// organisation "Kite", application "kite"). Keys, their types and defaults
// are in kKeys (app_settings.cpp); an unknown key or a managed value of the
// wrong type is reported in problems() and ignored, never a crash.
#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

namespace kite::ui {

class AppSettings : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString server READ server NOTIFY changed)
    Q_PROPERTY(bool syncPaused READ syncPaused NOTIFY changed)
    Q_PROPERTY(bool allowMetered READ allowMetered NOTIFY changed)
    Q_PROPERTY(QString language READ language NOTIFY changed)
    Q_PROPERTY(double textScale READ textScale NOTIFY changed)
    Q_PROPERTY(QString theme READ theme NOTIFY changed)
    Q_PROPERTY(bool kiosk READ kiosk NOTIFY changed)
    Q_PROPERTY(int kioskIdleSeconds READ kioskIdleSeconds NOTIFY changed)
public:
    // The platform's managed and user settings.
    explicit AppSettings(QObject* parent = nullptr);
    // Given stores, for tests (and for a portable install): either may be null.
    AppSettings(std::unique_ptr<QSettings> managed, std::unique_ptr<QSettings> user, QObject* parent = nullptr);
    ~AppSettings() override;

    // The value in force: managed, else the user's, else the default.
    Q_INVOKABLE QVariant value(const QString& key) const;
    // Whether IT set this key: the UI shows it read-only.
    Q_INVOKABLE bool locked(const QString& key) const;
    // Stores the user's value; false (and nothing changes) if the key is
    // locked, unknown, or the value is not of the key's type.
    Q_INVOKABLE bool setValue(const QString& key, const QVariant& value);
    // What was wrong in the managed configuration, "where: what", for the
    // diagnostics page.
    QStringList problems() const { return problems_; }
    // Every known key, in a fixed order (the diagnostics export lists them).
    static QStringList names();

    QString server() const { return value(QStringLiteral("server")).toString(); }
    QString enrollmentCode() const { return value(QStringLiteral("enrollment_code")).toString(); }
    bool syncPaused() const { return value(QStringLiteral("sync/paused")).toBool(); }
    bool allowMetered() const { return value(QStringLiteral("sync/allow_metered")).toBool(); }
    QString language() const { return value(QStringLiteral("language")).toString(); }
    double textScale() const { return value(QStringLiteral("text_scale")).toDouble(); }
    QString theme() const { return value(QStringLiteral("theme")).toString(); }
    bool kiosk() const { return value(QStringLiteral("kiosk/enabled")).toBool(); }
    int kioskIdleSeconds() const { return value(QStringLiteral("kiosk/idle_seconds")).toInt(); }

signals:
    void changed();

private:
    void readManaged();

    std::unique_ptr<QSettings> managed_;
    std::unique_ptr<QSettings> user_;
    QVariantHash managedValues_;  // checked, by key
    QStringList problems_;
};

}  // namespace kite::ui
