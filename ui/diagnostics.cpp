#include "kite/diagnostics.h"

#include <archive.h>
#include <archive_entry.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSysInfo>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <memory>

#include "kite/log_categories.h"
#include "kite/log_file.h"

namespace kite::ui {

namespace {

using Files = QList<std::pair<QString, QByteArray>>;

const QString kFolder = QStringLiteral("kite-diagnostics");

// Settings whose values are secrets (the enrollment code, PINs, their
// hashes): the export says only whether they are set.
bool secret(const QString& name) {
    static const QStringList words{QStringLiteral("pin"), QStringLiteral("token"), QStringLiteral("code"),
                                   QStringLiteral("secret"), QStringLiteral("password")};
    return std::any_of(words.begin(), words.end(), [&](const QString& w) { return name.contains(w); });
}

struct ArchiveWriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t writeToFile(archive*, void* file, const void* bytes, size_t size) {
    const qint64 n = static_cast<QSaveFile*>(file)->write(static_cast<const char*>(bytes), static_cast<qint64>(size));
    return n < 0 ? -1 : static_cast<la_ssize_t>(n);
}

// `files` as a zip at `path`, written aside and moved into place; the problem, or "".
QString writeZip(const QString& path, const Files& files) {
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return out.errorString();
    std::unique_ptr<archive, ArchiveWriteFree> a(archive_write_new());
    if (archive_write_set_format_zip(a.get()) != ARCHIVE_OK ||
        archive_write_open2(a.get(), &out, nullptr, writeToFile, nullptr, nullptr) != ARCHIVE_OK)
        return QString::fromUtf8(archive_error_string(a.get()));
    const time_t now = static_cast<time_t>(QDateTime::currentSecsSinceEpoch());
    for (const auto& [name, bytes] : files) {
        std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
        archive_entry_set_pathname_utf8(entry.get(), (kFolder + QLatin1Char('/') + name).toUtf8().constData());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), bytes.size());
        archive_entry_set_mtime(entry.get(), now, 0);
        if (archive_write_header(a.get(), entry.get()) < ARCHIVE_WARN ||
            archive_write_data(a.get(), bytes.constData(), static_cast<size_t>(bytes.size())) != bytes.size())
            return QString::fromUtf8(archive_error_string(a.get()));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) return QString::fromUtf8(archive_error_string(a.get()));
    if (!out.commit()) return out.errorString();
    return {};
}

// The log files as they are on disk, once what is queued is written.
Files readLogs(const QString& folder) {
    LogFile::flushInstalled();
    Files logs;
    for (const QString& path : LogFile::files(folder)) {
        QFile f(path);
        const QString name = QStringLiteral("logs/") + QFileInfo(path).fileName();
        if (f.open(QIODevice::ReadOnly))
            logs.append({name, f.readAll()});
        else
            logs.append({name + QStringLiteral(".unreadable.txt"), f.errorString().toUtf8()});
    }
    if (logs.isEmpty())
        logs.append({QStringLiteral("logs/none.txt"),
                     QStringLiteral("No log files in %1\n").arg(QDir::toNativeSeparators(folder)).toUtf8()});
    return logs;
}

QString yesNo(bool b) {
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}

}  // namespace

Diagnostics::Diagnostics(AppSettings& settings, SyncIndicator& sync, QString logFolder, QObject* parent)
    : QObject(parent), settings_(settings), sync_(sync), logFolder_(std::move(logFolder)) {
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = watcher_.result();
        busy_ = false;
        failed_ = !outcome.problem.isEmpty();
        result_ = failed_ ? tr("Could not save the diagnostics: %1").arg(outcome.problem)
                          : tr("Diagnostics saved to %1").arg(QDir::toNativeSeparators(outcome.path));
        if (failed_)
            qCWarning(lcUi).noquote() << "diagnostics:" << outcome.problem;
        else
            qCInfo(lcUi).noquote() << "diagnostics saved to" << outcome.path;
        emit changed();
        emit exported(outcome.path, outcome.problem);
    });
    connect(&sync_, &SyncIndicator::changed, this, &Diagnostics::logSyncChange);
}

Diagnostics::~Diagnostics() {
    watcher_.waitForFinished();
}

QUrl Diagnostics::defaultFolder() const {
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
    return QUrl::fromLocalFile(folder);
}

QString Diagnostics::suggestedName() const {
    return QStringLiteral("kite-diagnostics-%1.zip")
        .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

void Diagnostics::exportTo(const QUrl& target) {
    if (busy()) return;
    QString path = target.isLocalFile() ? target.toLocalFile() : target.toString();
    if (path.isEmpty()) path = defaultFolder().toLocalFile();
    if (QFileInfo(path).isDir())
        path = QDir(path).filePath(suggestedName());
    else if (!path.endsWith(QStringLiteral(".zip"), Qt::CaseInsensitive))
        path += QStringLiteral(".zip");
    watcher_.setFuture(QtConcurrent::run([path, files = reports(), folder = logFolder_]() mutable {
        if (!QFileInfo(path).dir().exists())
            return Outcome{{},
                           QStringLiteral("the folder %1 does not exist")
                               .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath()))};
        files += readLogs(folder);
        const QString problem = writeZip(path, files);
        if (!problem.isEmpty())
            return Outcome{{}, QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), problem)};
        return Outcome{path, {}};
    }));
    busy_ = true;
    result_ = tr("Saving the diagnostics…");
    failed_ = false;
    emit changed();
}

QList<std::pair<QString, QByteArray>> Diagnostics::reports() const {
    return {{QStringLiteral("about.txt"), aboutText().toUtf8()},
            {QStringLiteral("settings.txt"), settingsText().toUtf8()},
            {QStringLiteral("sync.txt"), syncText().toUtf8()}};
}

QString Diagnostics::aboutText() const {
    QString t;
    t += QStringLiteral("Kite version: %1\n").arg(QStringLiteral(KITE_VERSION));
    t += QStringLiteral("Qt: %1 (built with %2)\n").arg(QLatin1String(qVersion()), QStringLiteral(QT_VERSION_STR));
    t += QStringLiteral("OS: %1; kernel %2 %3; %4\n")
             .arg(QSysInfo::prettyProductName(), QSysInfo::kernelType(), QSysInfo::kernelVersion(),
                  QSysInfo::currentCpuArchitecture());
    t += QStringLiteral("System locale: %1\n").arg(QLocale::system().name());
    t += QStringLiteral("Exported: %1\n").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    t += QStringLiteral("Logs: %1\n").arg(QDir::toNativeSeparators(logFolder_));
    return t;
}

QString Diagnostics::settingsText() const {
    QString t = QStringLiteral("Settings in force (\"managed\": set by IT, and locked)\n\n");
    for (const QString& name : AppSettings::names()) {
        const QVariant v = settings_.value(name);
        QString shown = v.toString();
        if (secret(name))
            shown = shown.isEmpty() ? QStringLiteral("(not set)") : QStringLiteral("(set; not shown)");
        else if (v.typeId() == QMetaType::QString)
            shown = QStringLiteral("\"%1\"").arg(shown);
        t += QStringLiteral("%1 = %2%3\n")
                 .arg(name, shown, settings_.locked(name) ? QStringLiteral("  [managed]") : QString());
    }
    t += QStringLiteral("\nProblems in the managed settings:\n");
    const QStringList problems = settings_.problems();
    t += problems.isEmpty() ? QStringLiteral("none\n") : problems.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return t;
}

QString Diagnostics::syncText() const {
    const client::SyncStatus& s = sync_.status();
    QString t;
    t += QStringLiteral("state: %1\n").arg(sync_.state());
    t += QStringLiteral("shown as: %1\n").arg(sync_.text());
    t += QStringLiteral("waiting (events not yet on the server): %1\n").arg(s.waiting);
    t += QStringLiteral("answers waiting: %1\n").arg(s.answers_waiting);
    t += QStringLiteral("set aside (refused by the server, kept with the reason): %1\n").arg(s.set_aside);
    t += QStringLiteral("last successful sync: %1\n")
             .arg(s.last_success > 0 ? QDateTime::fromMSecsSinceEpoch(s.last_success, Qt::UTC).toString(Qt::ISODate)
                                     : QStringLiteral("never"));
    t += QStringLiteral("last error: %1\n").arg(s.last_error.isEmpty() ? QStringLiteral("none") : s.last_error);
    t += QStringLiteral("needs enrollment: %1\n").arg(yesNo(s.needs_enrollment));
    if (!s.downloading.isEmpty())
        t += QStringLiteral("downloading: %1 (%2%)\n").arg(s.downloading).arg(qRound(s.download_progress * 100));
    return t;
}

void Diagnostics::logSyncChange() {
    const QString state = sync_.state();
    const QString error = sync_.error();
    if (error != lastError_ && !error.isEmpty())
        qCWarning(lcSync).noquote() << state << "-" << error;
    else if (state != lastState_)
        qCInfo(lcSync).noquote() << state;
    lastState_ = state;
    lastError_ = error;
}

}  // namespace kite::ui
