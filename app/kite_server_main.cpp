// kite-server: the school's sync server (docs/server.md). Parses the command
// line, opens the store, serves.
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <string>

#include "arguments.h"
#include "kite/course_import.h"
#include "kite/course_routes.h"
#include "kite/course_store.h"
#include "kite/http_server.h"
#include "kite/mastery_worker.h"
#include "kite/push_committer.h"
#include "kite/roster_routes.h"
#include "kite/sync_routes.h"
#include "kite/server_store.h"

namespace {

using kite::app::Arguments;
using kite::app::kExitBadInput;
using kite::app::kExitFailure;
using kite::app::kExitOk;
using kite::app::UsageError;

constexpr const char* kUsage = R"(kite-server: the school's sync server

Usage:
  kite-server init --data DIR --school NAME [--json]      a new server with its first school
  kite-server school add --data DIR --name NAME [--json]  another school (tenant)
  kite-server serve --data DIR [--listen HOST:PORT]       serve HTTP (default 127.0.0.1:8470)
  kite-server stats --data DIR [--json]                   counts of what the server holds
  kite-server course import --data DIR COURSE_DIR_OR_PACK [--school SCHOOL_ID] [--json]
                                                          add a course version for devices to download
  kite-server --help | --version

init and school add print the school's id, its admin token and the
enrollment code for devices; the token is shown only once. A course is for
every school unless --school limits it to one; versions only move forward.
Exit codes: 0 ok, 1 the store failed, 2 bad input or usage.
)";

// Opens the store of `--data DIR` (whose path goes to *dataDir if asked).
std::unique_ptr<kite::server::ServerStore> openStore(Arguments& args, std::string* dataDir = nullptr) {
    const auto data = args.take("--data");
    if (!data) throw UsageError{"needs --data DIR"};
    if (dataDir) *dataDir = *data;
    auto store = kite::server::openSqliteStore(QString::fromStdString(*data), QStringLiteral("main"));
    if (!store) {
        std::fprintf(stderr, "kite-server: %s\n", store.error().message.c_str());
        return nullptr;
    }
    return std::move(store.value());
}

// Adds the latest version of each server-wide course to a new school's change log.
kite::Status announceServerWideCourses(kite::server::ServerStore& store, const std::string& dataDir,
                                       const QString& school) {
    auto courses = kite::server::openSqliteCourseStore(QString::fromStdString(dataDir), QStringLiteral("courses"));
    if (!courses) return courses.error();
    return kite::server::announceCoursesTo(store, **courses, school);
}

int addSchool(Arguments& args, const char* nameOption) {
    const auto name = args.take(nameOption);
    const bool json = args.flag("--json");
    std::string data;
    auto store = openStore(args, &data);
    if (!args.positionals().empty()) throw UsageError{"unexpected arguments"};
    if (!name) throw UsageError{std::string("needs ") + nameOption + " NAME"};
    if (!store) return kExitFailure;
    auto school = store->createSchool(QString::fromStdString(*name));
    if (!school) {
        std::fprintf(stderr, "kite-server: %s\n", school.error().message.c_str());
        return kExitBadInput;
    }
    if (json) {
        const QJsonObject o{{QStringLiteral("school_id"), school->school_id},
                            {QStringLiteral("admin_token"), school->admin_token},
                            {QStringLiteral("enrollment_code"), school->enrollment_code}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("school %s created\n  admin token (shown once): %s\n  enrollment code for devices: %s\n",
                    school->school_id.toUtf8().constData(), school->admin_token.toUtf8().constData(),
                    school->enrollment_code.toUtf8().constData());
    }
    // The server-wide courses imported before this school: its devices learn
    // of them in their first pull. After the output: the token is shown once.
    if (const auto announced = announceServerWideCourses(*store, data, school->school_id); !announced) {
        std::fprintf(stderr,
                     "kite-server: the school was created, but the courses imported before it are not in "
                     "its change log (its devices still list them): %s\n",
                     announced.error().message.c_str());
        return kExitFailure;
    }
    return kExitOk;
}

int stats(Arguments& args) {
    const bool json = args.flag("--json");
    auto store = openStore(args);
    if (!args.positionals().empty()) throw UsageError{"unexpected arguments"};
    if (!store) return kExitFailure;
    auto s = store->stats();
    if (!s) {
        std::fprintf(stderr, "kite-server: %s\n", s.error().message.c_str());
        return kExitFailure;
    }
    const QJsonObject o{{QStringLiteral("attempts"), static_cast<double>(s->attempts)},
                        {QStringLiteral("events"), static_cast<double>(s->events)},
                        {QStringLiteral("learners"), static_cast<double>(s->learners)},
                        {QStringLiteral("devices"), static_cast<double>(s->devices)},
                        {QStringLiteral("queue_depth"), static_cast<double>(s->queue_depth)},
                        {QStringLiteral("dead_letter"), static_cast<double>(s->dead_letter)},
                        {QStringLiteral("model_version"), s->model_version}};
    if (json) {
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        for (auto it = o.begin(); it != o.end(); ++it)
            std::printf("%-14s %s\n", it.key().toUtf8().constData(), it->toVariant().toString().toUtf8().constData());
    }
    return kExitOk;
}

// `course import`: exit 2 with the reader's problems (FILE:LINE: message) or
// the refusal, and nothing stored; exit 0 for a new version and for one
// already imported.
int importCourse(Arguments& args) {
    const bool json = args.flag("--json");
    const QString school = QString::fromStdString(args.take("--school").value_or(""));
    std::string data;
    auto store = openStore(args, &data);
    const auto paths = args.positionals();
    if (paths.size() != 1) throw UsageError{"course import takes one course folder or .kitepack"};
    if (!store) return kExitFailure;
    auto courses = kite::server::openSqliteCourseStore(QString::fromStdString(data), QStringLiteral("courses"));
    if (!courses) {
        std::fprintf(stderr, "kite-server: %s\n", courses.error().message.c_str());
        return kExitFailure;
    }
    const QString path = QString::fromLocal8Bit(paths.front().c_str());
    auto imported = kite::server::importCourse(*store, **courses, path, school);
    if (!imported) {
        std::fprintf(stderr, "kite-server: %s\n", imported.error().message.c_str());
        return kExitFailure;
    }
    for (const QString& line : imported->warnings) std::fprintf(stderr, "%s\n", line.toUtf8().constData());
    using Kind = kite::server::StoreOutcome::Kind;
    if (imported->kind == Kind::Refused) {
        for (const QString& line : imported->problems) std::fprintf(stderr, "%s\n", line.toUtf8().constData());
        std::fprintf(stderr, "kite-server: %s: not imported\n", path.toUtf8().constData());
        return kExitBadInput;
    }
    const kite::server::CourseVersion& c = imported->course;
    const bool fresh = imported->kind == Kind::Imported;
    if (json) {
        const QJsonObject o{
            {QStringLiteral("status"), fresh ? QStringLiteral("imported") : QStringLiteral("already imported")},
            {QStringLiteral("id"), c.id},
            {QStringLiteral("version"), c.version},
            {QStringLiteral("title"), c.title},
            {QStringLiteral("sha256"), c.sha256},
            {QStringLiteral("content_sha256"), c.content_sha256},
            {QStringLiteral("size"), static_cast<double>(c.size)},
            {QStringLiteral("school"), c.school.isEmpty() ? QJsonValue() : QJsonValue(c.school)}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        const QString who = c.school.isEmpty() ? QStringLiteral("every school") : QStringLiteral("school ") + c.school;
        std::printf("%s %s v%d for %s: %lld bytes, sha256 %s\n",
                    fresh ? "imported" : "already imported:", c.id.toUtf8().constData(), c.version,
                    who.toUtf8().constData(), static_cast<long long>(c.size), c.sha256.toUtf8().constData());
    }
    return kExitOk;
}

int serve(Arguments& args) {
    const std::string listen = args.take("--listen").value_or("127.0.0.1:8470");
    std::string data;
    auto store = openStore(args, &data);
    if (!store) return kExitFailure;
    if (!args.positionals().empty()) throw UsageError{"unexpected arguments"};
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw UsageError{"--listen: expected HOST:PORT, got '" + listen + "'"};
    QHostAddress host;
    if (!host.setAddress(QString::fromStdString(listen.substr(0, colon))))
        throw UsageError{"--listen: not an IP address: '" + listen.substr(0, colon) + "'"};
    bool ok = false;
    const unsigned port = QString::fromStdString(listen.substr(colon + 1)).toUInt(&ok);
    if (!ok || port > 65535) throw UsageError{"--listen: not a port: '" + listen.substr(colon + 1) + "'"};

    const QString dataDir = QString::fromStdString(data);
    auto committer = kite::server::PushCommitter::start(dataDir);
    if (!committer) {
        std::fprintf(stderr, "kite-server: %s\n", committer.error().message.c_str());
        return kExitFailure;
    }
    // Work a crash left running goes back to the queue before workers start.
    if (auto s = store->requeueRunning(); !s) {
        std::fprintf(stderr, "kite-server: %s\n", s.error().message.c_str());
        return kExitFailure;
    }
    kite::server::MasteryWorker worker(dataDir);
    (*committer)->onCommitted([&worker] { worker.poke(); });
    auto courses = kite::server::openSqliteCourseStore(dataDir, QStringLiteral("courses"));
    if (!courses) {
        std::fprintf(stderr, "kite-server: %s\n", courses.error().message.c_str());
        return kExitFailure;
    }
    kite::server::PackageCache packages(dataDir);
    kite::server::HttpServer server;
    kite::server::addSyncRoutes(server.router(), *store, **committer);
    auto roster = kite::server::openSqliteRosterStore(dataDir, QStringLiteral("roster"));
    if (!roster) {
        std::fprintf(stderr, "kite-server: %s\n", roster.error().message.c_str());
        return kExitFailure;
    }
    kite::server::addRosterRoutes(server.router(), *store, **roster);
    kite::server::addCourseRoutes(server.router(), *store, **courses, packages);
    const quint16 bound = server.listen(host, static_cast<quint16>(port));
    if (bound == 0) {
        std::fprintf(stderr, "kite-server: cannot listen on %s\n", listen.c_str());
        return kExitFailure;
    }
    // The first line says where: with port 0, the one the system chose.
    std::printf("kite-server listening on http://%s:%u\n", host.toString().toUtf8().constData(), bound);
    std::fflush(stdout);
    return QCoreApplication::exec();
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    return kite::app::runTool(argc, argv, "kite-server", KITE_VERSION, kUsage, [&](const std::vector<std::string>& words) {
        if (words[0] == "course") {
            if (words.size() < 2 || words[1] != "import") throw UsageError{"expected 'course import'"};
            Arguments args(argc, argv, 3);
            return importCourse(args);
        }
        if (words[0] == "school") {
            if (words.size() < 2 || words[1] != "add") throw UsageError{"expected 'school add'"};
            Arguments args(argc, argv, 3);
            return addSchool(args, "--name");
        }
        Arguments args(argc, argv, 2);
        if (words[0] == "init") return addSchool(args, "--school");
        if (words[0] == "serve") return serve(args);
        if (words[0] == "stats") return stats(args);
        throw UsageError{"unknown command '" + words[0] + "'"};
    });
}
