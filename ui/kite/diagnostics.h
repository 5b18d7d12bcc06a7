// "Export diagnostics" (docs/app.md): one zip a teacher or IT can send, with
// what helps to find a problem and nothing secret:
//
//   kite-diagnostics/about.txt     Kite's version, Qt's, the OS, the language
//   kite-diagnostics/settings.txt  each setting in force, which IT manages, the
//                                  problems in the managed settings
//   kite-diagnostics/sync.txt      the sync status: state, waiting, set aside,
//                                  the last error
//   kite-diagnostics/logs/kite.log, kite.log.1, ...
//
// Never the device's token (it is in the store, which is not read), the
// enrollment code, PINs or PIN hashes: a setting whose name says it holds a
// secret shows only whether it is set.
//
// A view model: the snapshot is taken on the GUI thread, the files are read
// and the zip is written on a worker thread; `result` then says where it went.
// It also logs the sync status's changes (category kite.sync), so that the
// log tells when the device went offline and why.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QUrl>

#include "kite/app_settings.h"
#include "kite/sync_indicator.h"

namespace kite::ui {

class Diagnostics : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    Q_PROPERTY(QString result READ result NOTIFY changed)  // where the last export went, or what went wrong
    Q_PROPERTY(bool failed READ failed NOTIFY changed)     // whether the last export failed
    Q_PROPERTY(QUrl defaultFolder READ defaultFolder CONSTANT)
    Q_PROPERTY(QString suggestedName READ suggestedName NOTIFY changed)
public:
    // Reads the log files in `logFolder` (LogFile::folderFor(profile)).
    Diagnostics(AppSettings& settings, SyncIndicator& sync, QString logFolder, QObject* parent = nullptr);
    // Waits for an export under way to finish.
    ~Diagnostics() override;

    bool busy() const { return busy_; }
    QString result() const { return result_; }
    bool failed() const { return failed_; }
    QUrl defaultFolder() const;     // the user's Documents (home if none)
    QString suggestedName() const;  // kite-diagnostics-20250301-0914.zip

    // Writes the zip to `target`: a file (".zip" is added when missing), or a
    // folder to put suggestedName() in. Ignored while an export is under
    // way. exported() follows.
    Q_INVOKABLE void exportTo(const QUrl& target);
    // The text files of the zip, by name ("about.txt", ...), as they are now.
    QList<std::pair<QString, QByteArray>> reports() const;

signals:
    void changed();
    // The zip written (its path), or why not (`problem`, and path is empty).
    void exported(const QString& path, const QString& problem);

private:
    void logSyncChange();
    QString aboutText() const;
    QString settingsText() const;
    QString syncText() const;

    AppSettings& settings_;
    SyncIndicator& sync_;
    const QString logFolder_;
    QString result_;
    bool failed_ = false;
    bool busy_ = false;  // from exportTo() until its result
    struct Outcome {
        QString path;     // the zip written
        QString problem;  // or why not
    };
    QFutureWatcher<Outcome> watcher_;
    QString lastState_, lastError_;  // what was logged of the sync status
};

}  // namespace kite::ui
