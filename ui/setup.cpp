#include "kite/setup.h"

namespace kite::ui {

QUrl Setup::serverUrl(const QString& typed, QString* why) {
    QString text = typed.trimmed();
    if (text.isEmpty()) {
        *why = tr("Type the address of your school's Kite server.");
        return {};
    }
    if (!text.contains(QStringLiteral("://"))) text.prepend(QStringLiteral("http://"));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        *why = tr("\"%1\" is not a server address; it looks like kite.school.org:8080 or https://kite.school.org.")
                   .arg(typed.trimmed());
        return {};
    }
    QUrl server = url.adjusted(QUrl::StripTrailingSlash);
    if (server.path() == QLatin1String("/")) server.setPath(QString());
    return server;
}

void Setup::connectToSchool(const QString& server, const QString& code) {
    if (busy_) return;
    QString why;
    const QUrl url = serverUrl(server, &why);
    if (url.isEmpty()) {
        error_ = why;
    } else if (code.trimmed().isEmpty()) {
        error_ = tr("Type the enrollment code your school gave you.");
    } else {
        error_.clear();
        busy_ = true;
        server_ = url.toString();
    }
    emit changed();
    if (busy_) emit connectRequested(url, code.trimmed());
}

void Setup::studyOffline() {
    if (busy_) return;
    emit offlineChosen();
    setNeeded(false);
}

void Setup::setNeeded(bool needed) {
    if (needed_ == needed) return;
    needed_ = needed;
    if (needed_) error_.clear();
    emit changed();
    if (!needed_) emit finished();
}

void Setup::setServer(const QString& server) {
    server_ = server;
    emit changed();
}

void Setup::finishConnect(bool ok, const QString& message) {
    busy_ = false;
    error_ = ok ? QString() : tr("Could not connect: %1").arg(message);
    emit changed();
    if (ok) setNeeded(false);
}

}  // namespace kite::ui
