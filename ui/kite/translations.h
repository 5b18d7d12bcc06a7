// The app's language (docs/app.md). The `language` setting ("system", "en",
// "fr", "es") picks Kite's translations (ui/i18n/kite_<lang>.ts, compiled
// into :/i18n) and Qt's own (qtbase_<lang>.qm from Qt's translations folder,
// when installed), at start and whenever the setting changes; an attached
// QML engine then re-reads every qsTr() (QQmlEngine::retranslate).
//
// English is the source language: "en", or a system language Kite has no
// translation for, installs no translator.
#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QString>
#include <QTranslator>
#include <memory>

#include "kite/app_settings.h"

namespace kite::ui {

class Translations : public QObject {
    Q_OBJECT
public:
    // Installs the setting's translators in the application (before the
    // first window, so that it opens in its language).
    explicit Translations(AppSettings& settings, QObject* parent = nullptr);
    // Removes them.
    ~Translations() override;
    Translations(const Translations&) = delete;
    Translations& operator=(const Translations&) = delete;

    // Retranslates `engine` whenever the language changes (and sets its uiLanguage).
    void attach(QQmlEngine& engine);
    // The language in use: "en", "fr" or "es".
    QString language() const { return language_; }

signals:
    void languageChanged(const QString& language);

private:
    void apply();
    QString resolve(const QString& setting) const;

    AppSettings& settings_;
    QString setting_;  // the setting last applied
    QString language_ = QStringLiteral("en");
    std::unique_ptr<QTranslator> kite_, qt_;
    QPointer<QQmlEngine> engine_;
};

}  // namespace kite::ui
