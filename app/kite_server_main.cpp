// kite-server: the school's sync server (docs/server.md). Parses the command
// line, opens the store, serves.
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "arguments.h"
#include "kite/course_import.h"
#include "kite/course_routes.h"
#include "kite/course_store.h"
#include "kite/epoll_dispatcher.h"
#include "kite/http_server.h"
#include "kite/listener.h"
#include "kite/job_routes.h"
#include "kite/job_runner.h"
#include "kite/job_store.h"
#include "kite/mastery_worker.h"
#include "kite/server_metrics.h"
#include "kite/ops_routes.h"
#include "kite/poll_routes.h"
#include "kite/push_committer.h"
#include "kite/roster_routes.h"
#include "kite/stream_hub.h"
#include "kite/stream_routes.h"
#include "kite/stream_store.h"
#include "kite/sync_routes.h"
#include "kite/server_store.h"
#include "kite/settings.h"
#include "kite/wire.h"

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
  kite-server serve --data DIR [--listen HOST:PORT] [--workers N]
                    [--tls-cert PEM --tls-key PEM] [--config FILE] [--print-config]
                                                          serve HTTP(S) (default 127.0.0.1:8470)
  kite-server stats --data DIR [--json]                   counts of what the server holds
  kite-server course import --data DIR COURSE_DIR_OR_PACK [--school SCHOOL_ID] [--json]
                                                          add a course version for devices to download
  kite-server model list --data DIR [--school ID] [--json]  the DKT model versions kept
  kite-server model rollback VERSION --data DIR [--school ID]  make a kept version active
  kite-server --help | --version

serve's settings (docs/server.md "Configuration") come from flags, then
KITE_SERVER_<NAME> environment variables, then the config file (--config, or
DIR/kite-server.conf), then defaults: data, listen, workers, tls_cert,
tls_key, max_body_bytes, rate_per_second, rate_burst, metrics_token,
ping_seconds, max_connections, idle_seconds, and the batch jobs' retrain_every,
job_check_seconds, dkt_min_answers, dkt_min_learners, dkt_hidden,
dkt_max_epochs, dkt_patience (flags: --max-body-bytes, --retrain-every, ...).
--print-config prints the effective settings and their sources as JSON.

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

// The school `--school` names, or the server's only school.
std::optional<QString> chosenSchool(Arguments& args, kite::server::ModelStore& models) {
    if (auto school = args.take("--school")) return QString::fromStdString(*school);
    auto schools = models.schools();
    if (!schools) {
        std::fprintf(stderr, "kite-server: %s\n", schools.error().message.c_str());
        return std::nullopt;
    }
    if (schools->size() != 1) throw UsageError{"the server has several schools: give --school ID"};
    return schools->front();
}

std::unique_ptr<kite::server::ModelStore> openModels(Arguments& args) {
    const auto data = args.take("--data");
    if (!data) throw UsageError{"needs --data DIR"};
    // The core tables first: the schools live there.
    if (!kite::server::openSqliteStore(QString::fromStdString(*data), QStringLiteral("main"))) return nullptr;
    auto models = kite::server::openSqliteModelStore(QString::fromStdString(*data), QStringLiteral("models"));
    if (!models) {
        std::fprintf(stderr, "kite-server: %s\n", models.error().message.c_str());
        return nullptr;
    }
    return std::move(models.value());
}

int modelList(Arguments& args) {
    const bool json = args.flag("--json");
    const auto school = args.take("--school");
    auto models = openModels(args);
    if (!args.positionals().empty()) throw UsageError{"unexpected arguments"};
    if (!models) return kExitFailure;
    auto list = models->models(school ? QString::fromStdString(*school) : QString());
    if (!list) {
        std::fprintf(stderr, "kite-server: %s\n", list.error().message.c_str());
        return kExitFailure;
    }
    QJsonArray out;
    for (const kite::server::ModelVersion& m : *list) {
        out.append(QJsonObject{{QStringLiteral("school"), m.school},
                               {QStringLiteral("version"), m.version},
                               {QStringLiteral("valid_auc"), m.valid_auc},
                               {QStringLiteral("active"), m.active},
                               {QStringLiteral("created_at"), kite::wire::isoTime(m.created_at)},
                               {QStringLiteral("answers"), static_cast<double>(m.answers)},
                               {QStringLiteral("learners"), static_cast<double>(m.learners)},
                               {QStringLiteral("path"), m.path}});
    }
    if (json) {
        const QJsonDocument doc(QJsonObject{{QStringLiteral("models"), out}});
        std::printf("%s\n", doc.toJson(QJsonDocument::Compact).constData());
        return kExitOk;
    }
    if (list->isEmpty()) std::printf("no DKT model has been trained yet\n");
    for (const kite::server::ModelVersion& m : *list)
        std::printf("%s  version %-3d  AUC %.4f  %s  %lld answers, %lld learners%s\n", m.school.toUtf8().constData(),
                    m.version, m.valid_auc, kite::wire::isoTime(m.created_at).toUtf8().constData(),
                    static_cast<long long>(m.answers), static_cast<long long>(m.learners), m.active ? "  active" : "");
    return kExitOk;
}

int modelRollback(Arguments& args) {
    auto models = openModels(args);
    if (!models) return kExitFailure;
    const auto school = chosenSchool(args, *models);
    const auto positional = args.positionals();
    if (positional.size() != 1) throw UsageError{"model rollback takes one VERSION"};
    if (!school) return kExitFailure;
    bool ok = false;
    const int version = QString::fromStdString(positional[0]).toInt(&ok);
    if (!ok || version < 1) throw UsageError{"VERSION: expected a model version (1, 2, ...), got '" + positional[0] + "'"};
    if (auto s = models->activateModel(*school, version); !s) {
        std::fprintf(stderr, "kite-server: %s (see kite-server model list)\n", s.error().message.c_str());
        return kExitBadInput;
    }
    std::printf("school %s: model version %d is active\n", school->toUtf8().constData(), version);
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

kite::server::JobSettings jobSettings(const kite::server::Settings& settings) {
    kite::server::JobSettings s;
    s.retrain_every = settings.retrain_every;
    s.check_every = std::chrono::seconds(settings.job_check_seconds);
    auto& t = s.training;
    t.dkt_min_answers = settings.dkt_min_answers;
    t.dkt_min_learners = settings.dkt_min_learners;
    t.dkt_hidden = settings.dkt_hidden;
    t.dkt_max_epochs = settings.dkt_max_epochs;
    t.dkt_patience = settings.dkt_patience;
    return s;
}

int serve(Arguments& args) {
    using namespace kite::server;
    SettingsInput input;
    for (const SettingSpec& spec : settingTable())
        if (auto value = args.take(flagName(spec.name).toStdString()))
            input.flags.insert(spec.name, QString::fromStdString(*value));
    input.configFile = QString::fromStdString(args.take("--config").value_or(""));
    const bool printConfig = args.flag("--print-config");
    if (!args.positionals().empty()) throw UsageError{"unexpected arguments"};
    auto loaded = loadSettings(input);
    if (!loaded) throw UsageError{loaded.error().message};
    const Settings& settings = *loaded;
    if (printConfig) {
        std::printf("%s", QJsonDocument(describeSettings(settings)).toJson(QJsonDocument::Indented).constData());
        return kExitOk;
    }

    auto store = openSqliteStore(settings.data, QStringLiteral("main"));
    if (!store) {
        std::fprintf(stderr, "kite-server: %s\n", store.error().message.c_str());
        return kExitFailure;
    }
    auto streamStore = StreamStore::open(settings.data);
    if (!streamStore) {
        std::fprintf(stderr, "kite-server: %s\n", streamStore.error().message.c_str());
        return kExitFailure;
    }
    StreamHub::Settings streamSettings;
    streamSettings.ping_interval = std::chrono::milliseconds(static_cast<std::int64_t>(settings.ping_seconds * 1000));
    // Before the workers, which poke it from their threads until they are joined.
    StreamHub hub(**streamStore, streamSettings);
    auto committer = PushCommitter::start(settings.data);
    if (!committer) {
        std::fprintf(stderr, "kite-server: %s\n", committer.error().message.c_str());
        return kExitFailure;
    }
    // Work a crash left running goes back to the queue before workers start.
    if (auto s = (*store)->requeueRunning(); !s) {
        std::fprintf(stderr, "kite-server: %s\n", s.error().message.c_str());
        return kExitFailure;
    }
    // Opened (and its tables made) before the threads that use them start.
    auto jobQueue = openSqliteJobQueue(settings.data, QStringLiteral("main-jobs"));
    if (!jobQueue) {
        std::fprintf(stderr, "kite-server: %s\n", jobQueue.error().message.c_str());
        return kExitFailure;
    }
    // One worker per shard of the queue (claims are sharded by learner).
    std::vector<std::unique_ptr<MasteryWorker>> workers;
    for (int i = 0; i < settings.workers; ++i)
        workers.push_back(std::make_unique<MasteryWorker>(
            settings.data, [&hub](const LearnerKeys& written) { hub.pokeLearners(written); }, i, settings.workers));
    Metrics::callbackCounter(
        QStringLiteral("kite_worker_busy_seconds_total"),
        QStringLiteral("Seconds the workers spent working; its rate is their utilisation."), [&workers] {
            QList<Sample> samples;
            for (std::size_t i = 0; i < workers.size(); ++i)
                samples.push_back({{{QStringLiteral("worker"), QStringLiteral("mastery-%1").arg(i)}}, workers[i]->busySeconds()});
            return samples;
        });
    (*committer)->onCommitted([&workers] {
        for (auto& w : workers) w->poke();
    });
    auto courses = openSqliteCourseStore(settings.data, QStringLiteral("courses"));
    if (!courses) {
        std::fprintf(stderr, "kite-server: %s\n", courses.error().message.c_str());
        return kExitFailure;
    }
    PackageCache packages(settings.data);
    auto roster = openSqliteRosterStore(settings.data, QStringLiteral("roster"));
    if (!roster) {
        std::fprintf(stderr, "kite-server: %s\n", roster.error().message.c_str());
        return kExitFailure;
    }
    JobRunner runner(settings.data, jobSettings(settings));
    HttpServer server;
    installRequestLimitsAndMetrics(server, settings);
    addSyncRoutes(server.router(), **store, **committer, settings.push_queue_bytes);
    addOpsRoutes(server.router(), **store, settings);
    addRosterRoutes(server.router(), **store, **roster);
    addCourseRoutes(server.router(), **store, **courses, packages);
    addJobRoutes(server.router(), **store, **jobQueue, [&runner] { runner.poke(); });
    addStreamRoutes(server, **store, hub);
    LivePolls polls(**store, **streamStore, hub);
    polls.addRoutes(server.router());
    const auto port = listenWithLimits(server, settings);
    if (!port) {
        std::fprintf(stderr, "kite-server: %s\n", port.error().message.c_str());
        return kExitFailure;
    }
    // The first line says where: with port 0, the one the system chose.
    const QString host = settings.host.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(settings.host.toString())
                             : settings.host.toString();
    std::printf("kite-server listening on %s://%s:%u\n", settings.tls_cert.isEmpty() ? "http" : "https",
                host.toUtf8().constData(), *port);
    std::fflush(stdout);
    const int code = QCoreApplication::exec();
    Metrics::callbackCounter(QStringLiteral("kite_worker_busy_seconds_total"), {}, {});  // the worker is going
    return code;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef __linux__
    // The HTTP thread's loop on epoll (kite/epoll_dispatcher.h);
    // KITE_SERVER_EVENT_LOOP=qt keeps Qt's own, for comparison.
    if (qgetenv("KITE_SERVER_EVENT_LOOP") != "qt")
        QCoreApplication::setEventDispatcher(new kite::server::EpollEventDispatcher);
#endif
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
        if (words[0] == "model") {
            if (words.size() < 2 || (words[1] != "list" && words[1] != "rollback"))
                throw UsageError{"expected 'model list' or 'model rollback VERSION'"};
            Arguments modelArgs(argc, argv, 3);
            return words[1] == "list" ? modelList(modelArgs) : modelRollback(modelArgs);
        }
        throw UsageError{"unknown command '" + words[0] + "'"};
    });
}
