// The first run (docs/app.md): connect this device to the school's server
// (its address and an enrollment code), or study on this device with the
// bundled sample course.
//
// AppCore decides whether the page is needed (no server from IT, the command
// line or an earlier enrollment, and no earlier choice) and does the
// connecting; this is the page's model: it checks what was typed, asks, and
// shows how it went.
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace kite::ui {

class Setup : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool needed READ needed NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY changed)  // enrolling
    Q_PROPERTY(QString error READ error NOTIFY changed)
    Q_PROPERTY(QString server READ server NOTIFY changed)  // to start from: IT's, or the last one tried
public:
    using QObject::QObject;

    // "school.example.org:8080" is taken as http://; the code is what the
    // school's admin printed (`kite-server init`, `school add`).
    Q_INVOKABLE void connectToSchool(const QString& server, const QString& code);
    Q_INVOKABLE void studyOffline();

    // AppCore's side.
    void setNeeded(bool needed);
    void setServer(const QString& server);
    void finishConnect(bool ok, const QString& message);

    bool needed() const { return needed_; }
    bool busy() const { return busy_; }
    QString error() const { return error_; }
    QString server() const { return server_; }

    // The address as typed, made an http(s) URL; empty (and `why` set) if it
    // cannot be one.
    static QUrl serverUrl(const QString& typed, QString* why);

signals:
    void changed();
    void connectRequested(const QUrl& server, const QString& code);
    void offlineChosen();
    void finished();  // the device is set up: the page goes away

private:
    bool needed_ = false;
    bool busy_ = false;
    QString error_;
    QString server_;
};

}  // namespace kite::ui
