#include "kite/log_file.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <algorithm>
#include <cstdio>
#include <shared_mutex>
#include <utility>

namespace kite::ui {

namespace {

const QString kName = QStringLiteral("kite.log");

// The installed log. Messages take the lock shared (any number at once, and
// never waiting on one another's disk work); the log's destructor takes it
// whole, so that no message is still using the log it removes.
std::shared_mutex installedMutex;
LogFile* installed = nullptr;
QtMessageHandler previousHandler = nullptr;

QString levelName(QtMsgType type) {
    switch (type) {
        case QtDebugMsg: return QStringLiteral("debug");
        case QtInfoMsg: return QStringLiteral("info");
        case QtWarningMsg: return QStringLiteral("warning");
        case QtCriticalMsg: return QStringLiteral("critical");
        case QtFatalMsg: return QStringLiteral("fatal");
    }
    return QStringLiteral("message");
}

void printToStderr(const QString& line) {
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
}

void handleMessage(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    const QString line = QStringLiteral("%1 %2 %3: %4")
                             .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), levelName(type),
                                  QLatin1String(context.category ? context.category : "default"), message);
    printToStderr(line);
    std::shared_lock lock(installedMutex);
    if (!installed) return;
    installed->write(line);
    if (type == QtFatalMsg) installed->flush();  // the program aborts when this returns
}

}  // namespace

LogFile::LogFile(QString folder) : LogFile(std::move(folder), Limits{}) {}

LogFile::LogFile(QString folder, Limits limits) : folder_(std::move(folder)), limits_(limits) {
    if (limits_.keep < 1) limits_.keep = 1;
    if (!QDir().mkpath(folder_))
        fail(QStringLiteral("cannot create the log folder %1").arg(QDir::toNativeSeparators(folder_)));
    thread_ = std::thread([this] { run(); });
}

LogFile::~LogFile() {
    {
        std::unique_lock lock(installedMutex);
        if (installed == this) {
            qInstallMessageHandler(previousHandler);
            installed = nullptr;
        }
    }
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

QString LogFile::folderFor(const QString& profile) {
    return QDir(profile).filePath(QStringLiteral("logs"));
}

QStringList LogFile::files(const QString& folder) {
    static const QRegularExpression pattern(QStringLiteral("^kite\\.log(?:\\.(\\d+))?$"));
    QList<std::pair<int, QString>> found;
    for (const QString& name : QDir(folder).entryList({kName + QLatin1Char('*')}, QDir::Files)) {
        const auto m = pattern.match(name);
        if (m.hasMatch()) found.append({m.captured(1).toInt(), QDir(folder).filePath(name)});
    }
    std::sort(found.begin(), found.end());
    QStringList paths;
    for (const auto& f : found) paths << f.second;
    return paths;
}

QString LogFile::path() const {
    return QDir(folder_).filePath(kName);
}

void LogFile::write(const QString& line) {
    {
        std::lock_guard lock(mutex_);
        queue_ << line;
        ++queued_;
    }
    wake_.notify_one();
}

void LogFile::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = queued_;
    written_.wait(lock, [&] { return done_ >= target; });
}

QString LogFile::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void LogFile::install() {
    std::unique_lock lock(installedMutex);
    if (installed == this) return;
    QtMessageHandler before = qInstallMessageHandler(handleMessage);
    if (!installed) previousHandler = before;  // not our own handler, installed by another log
    installed = this;
}

void LogFile::flushInstalled() {
    std::shared_lock lock(installedMutex);
    if (installed) installed->flush();
}

void LogFile::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || !queue_.isEmpty(); });
        if (queue_.isEmpty()) return;  // stopping, and all is written
        const QStringList batch = std::exchange(queue_, {});
        lock.unlock();
        for (const QString& line : batch) append(line);
        if (file_.isOpen()) file_.flush();  // to the OS: a crash after this loses nothing written
        lock.lock();
        done_ += static_cast<std::uint64_t>(batch.size());
        written_.notify_all();
    }
}

void LogFile::append(const QString& line) {
    const QByteArray bytes = line.toUtf8() + '\n';
    if (!file_.isOpen() && !open()) return;
    // A line is never split: it starts a new file if it would not fit (a
    // line longer than a whole file has one to itself).
    if (size_ > 0 && size_ + bytes.size() > limits_.max_bytes) {
        rotate();
        if (!file_.isOpen() && !open()) return;
    }
    if (file_.write(bytes) != bytes.size()) {
        fail(QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path()), file_.errorString()));
        return;
    }
    size_ += bytes.size();
}

// kite.log becomes kite.log.1, kite.log.1 becomes kite.log.2, ..., and the
// oldest (kite.log.<keep-1>) is removed.
void LogFile::rotate() {
    file_.close();
    auto name = [this](int i) { return i == 0 ? path() : QStringLiteral("%1.%2").arg(path()).arg(i); };
    if (QFile::exists(name(limits_.keep - 1)) && !QFile::remove(name(limits_.keep - 1)))
        fail(QStringLiteral("cannot remove the old log %1").arg(QDir::toNativeSeparators(name(limits_.keep - 1))));
    for (int i = limits_.keep - 2; i >= 0; --i) {
        if (QFile::exists(name(i)) && !QFile::rename(name(i), name(i + 1)))
            fail(QStringLiteral("cannot rename the log %1 to %2")
                     .arg(QDir::toNativeSeparators(name(i)), QDir::toNativeSeparators(name(i + 1))));
    }
}

bool LogFile::open() {
    file_.setFileName(path());
    if (!file_.open(QIODevice::WriteOnly | QIODevice::Append)) {
        fail(QStringLiteral("cannot open the log %1: %2").arg(QDir::toNativeSeparators(path()), file_.errorString()));
        return false;
    }
    size_ = file_.size();
    return true;
}

// Said once on stderr (not through Qt's messages: they would come back here).
void LogFile::fail(const QString& problem) {
    std::lock_guard lock(mutex_);
    if (!error_.isEmpty()) return;
    error_ = problem;
    printToStderr(QStringLiteral("kite: the log: %1").arg(problem));
}

}  // namespace kite::ui
