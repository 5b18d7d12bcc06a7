// A school's kite-server on loopback with the sample course, as the app's
// tests and benchmarks need it: `init` once in its own data folder, the
// course imported, then served (and stopped, and served again on the same
// port). No gtest here, so that bench/ can use it too: failures are
// returned as text.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>

#include "child_process.h"
#include "run_program.h"

namespace kite::testing {

class SchoolServer {
public:
    // `binary` is kite-server; `course` a course folder to import. On a
    // failure, error() says what and the server is not running.
    SchoolServer(std::string binary, const std::string& course, const std::string& school = "Hill School")
        : binary_(std::move(binary)) {
        data_ = dir_.filePath(QStringLiteral("data")).toStdString();
        const auto init = runProgram({binary_, "init", "--data", data_, "--school", school, "--json"}, dir(), "init");
        if (init.exit != 0) {
            error_ = "kite-server init: " + init.err;
            return;
        }
        school_ = QJsonDocument::fromJson(QByteArray::fromStdString(init.out)).object();
        const auto imported = runProgram({binary_, "course", "import", "--data", data_, course}, dir(), "import");
        if (imported.exit != 0) {
            error_ = "kite-server course import: " + imported.err;
            return;
        }
        start();
    }
    ~SchoolServer() { stop(); }

    // Serves on `listen` (a port of the system's choosing by default; the
    // same address again after stop(): url()'s host and port).
    void start(const std::string& listen = "127.0.0.1:0") {
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{binary_, "serve", "--data", data_, "--listen", listen},
            dir_.filePath(QStringLiteral("server.err")).toStdString());
        const auto line = process_->readLine(std::chrono::seconds(30));
        if (!line || line->find("http://") == std::string::npos) {
            error_ = "kite-server did not start: " + readFile(dir_.filePath(QStringLiteral("server.err")).toStdString());
            process_.reset();
            return;
        }
        url_ = QString::fromStdString(line->substr(line->find("http://")));
    }
    void stop() {
        if (!process_) return;
        process_->kill(SIGTERM);
        process_->wait();
        process_.reset();
    }

    bool running() const { return process_ != nullptr; }
    const std::string& error() const { return error_; }
    QString url() const { return url_; }
    QString enrollmentCode() const { return school_.value(QStringLiteral("enrollment_code")).toString(); }
    QString adminToken() const { return school_.value(QStringLiteral("admin_token")).toString(); }
    // How many answers the server holds (`kite-server stats`).
    std::int64_t attempts() const {
        const auto stats = runProgram({binary_, "stats", "--data", data_, "--json"}, dir(), "stats");
        return QJsonDocument::fromJson(QByteArray::fromStdString(stats.out)).object()[QStringLiteral("attempts")].toInteger();
    }

private:
    std::string dir() const { return dir_.path().toStdString(); }

    std::string binary_;
    QTemporaryDir dir_;
    std::string data_;
    QJsonObject school_;
    std::unique_ptr<ChildProcess> process_;
    QString url_;
    std::string error_;
};

}  // namespace kite::testing
