#include "kite/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

#include "kite/log_categories.h"

namespace kite::ui {

namespace {

const QStringList kTranslated{QStringLiteral("fr"), QStringLiteral("es")};

}  // namespace

Translations::Translations(AppSettings& settings, QObject* parent) : QObject(parent), settings_(settings) {
    apply();
    connect(&settings_, &AppSettings::changed, this, &Translations::apply);
}

Translations::~Translations() {
    if (kite_) QCoreApplication::removeTranslator(kite_.get());
    if (qt_) QCoreApplication::removeTranslator(qt_.get());
}

void Translations::attach(QQmlEngine& engine) {
    engine_ = &engine;
    engine.setUiLanguage(language_);
}

// "system": the first of the system's preferred languages that Kite has.
QString Translations::resolve(const QString& setting) const {
    if (setting != u"system") return kTranslated.contains(setting) ? setting : QStringLiteral("en");
    for (const QString& ui : QLocale::system().uiLanguages()) {
        const QString code = ui.section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0).toLower();
        if (code == u"en" || kTranslated.contains(code)) return code;
    }
    return QStringLiteral("en");
}

void Translations::apply() {
    const QString setting = settings_.language();
    if (setting == setting_) return;  // another setting changed
    setting_ = setting;
    const QString language = resolve(setting);
    if (language == language_ && kite_) return;

    if (kite_) QCoreApplication::removeTranslator(kite_.get());
    if (qt_) QCoreApplication::removeTranslator(qt_.get());
    kite_.reset();
    qt_.reset();
    // English too: its file holds the plural forms ("1 answer", "2 answers").
    auto kite = std::make_unique<QTranslator>();
    if (kite->load(QStringLiteral("kite_") + language, QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(kite.get());
        kite_ = std::move(kite);
    } else {
        qCWarning(lcUi).noquote() << "no translation of Kite into" << language << "in :/i18n";
    }
    if (language != u"en") {
        // Qt's own words (the file dialog's buttons, ...), when Qt's translations
        // are installed: qt_<lang> brings qtbase_<lang>, qtdeclarative_<lang>, ...
        auto qt = std::make_unique<QTranslator>();
        const QString qtFolder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
        if (qt->load(QStringLiteral("qt_") + language, qtFolder) ||
            qt->load(QStringLiteral("qtbase_") + language, qtFolder)) {
            QCoreApplication::installTranslator(qt.get());
            qt_ = std::move(qt);
        }
    }
    const bool changed = language != language_;
    language_ = language;
    if (!changed) return;
    qCInfo(lcUi).noquote() << "language:" << language;
    if (engine_) {
        engine_->setUiLanguage(language_);
        engine_->retranslate();
    }
    emit languageChanged(language_);
}

}  // namespace kite::ui
