// The app's log (docs/app.md): every Qt message as one line,
// "2025-03-01T08:14:02.117Z warning kite.sync: the server cannot be reached" (UTC),
// in <profile>/logs/kite.log, rotated by size (kite.log.1 is the one before,
// and so on; the oldest is dropped), and echoed to stderr.
//
// The disk work is done by the log's own thread: write() only queues the line,
// so the GUI thread never waits on the disk. Each batch is handed to the OS as
// soon as it is written, a fatal message is written out before the handler
// returns, and the destructor writes out whatever is still queued.
//
// Thread-safe: write() and flush() may be called from any thread.
#pragma once

#include <QFile>
#include <QString>
#include <QStringList>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace kite::ui {

class LogFile {
public:
    struct Limits {
        qint64 max_bytes = 1024 * 1024;  // a file is rotated before a line would take it past this
        int keep = 5;                    // files in all, kite.log included; at least 1
    };

    // Logs into `folder` (made if missing); a problem with it is in error()
    // and the lines still go to stderr once install()ed.
    explicit LogFile(QString folder);  // with the default Limits
    LogFile(QString folder, Limits limits);
    // Writes out what is queued, then stops the thread; uninstalls the handler.
    ~LogFile();
    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;

    // <profile>/logs: where the app logs, and where diagnostics look.
    static QString folderFor(const QString& profile);
    // The log's files in `folder`, newest first: kite.log, kite.log.1, ...
    static QStringList files(const QString& folder);

    QString folder() const { return folder_; }
    QString path() const;  // folder/kite.log

    // Queues one line (without its newline) for the file.
    void write(const QString& line);
    // Returns once every line queued before the call is written and handed
    // to the OS (or could not be: error()).
    void flush();
    // The first problem with the folder or the files; empty when all is well.
    QString error() const;

    // Makes this log the destination of every Qt message (qDebug, qCWarning,
    // ...) until it is destroyed; each message is also printed on stderr.
    void install();
    // Writes out the installed log's queue, if a log is installed (what a
    // diagnostics export does before it reads the files).
    static void flushInstalled();

private:
    void run();
    void append(const QString& line);
    void rotate();
    bool open();
    void fail(const QString& problem);

    const QString folder_;
    Limits limits_;
    QFile file_;       // the writer thread's
    qint64 size_ = 0;  // of file_, as written

    mutable std::mutex mutex_;
    std::condition_variable wake_;     // lines queued, or stopping
    std::condition_variable written_;  // a batch is written
    QStringList queue_;
    std::uint64_t queued_ = 0, done_ = 0;  // lines ever queued, and ever written
    bool stop_ = false;
    QString error_;
    std::thread thread_;
};

}  // namespace kite::ui
