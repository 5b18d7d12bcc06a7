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
#include "kite/http_server.h"
#include "kite/job_routes.h"
#include "kite/job_runner.h"
#include "kite/job_store.h"
#include "kite/mastery_worker.h"
#include "kite/push_committer.h"
#include "kite/sync_routes.h"
#include "kite/server_store.h"
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
  kite-server serve --data DIR [--listen HOST:PORT]       serve HTTP (default 127.0.0.1:8470)
  kite-server stats --data DIR [--json]                   counts of what the server holds
  kite-server model list --data DIR [--school ID] [--json]  the DKT model versions kept
  kite-server model rollback VERSION --data DIR [--school ID]  make a kept version active
  kite-server --help | --version

serve's batch-job settings (docs/server.md, "Jobs and models"):
  --retrain-every N      new answers that queue a school's refit and retraining (5000; 0: off)
  --dkt-min-answers N    answers a school needs before DKT is trained (2000)
  --dkt-min-learners N   learners it needs (20)
  --dkt-hidden N         LSTM size (32); --dkt-max-epochs N (30); --dkt-patience N (3)
  --job-check-seconds N  how often the schedule is looked at (60)

init and school add print the school's id, its admin token and the
enrollment code for devices; the token is shown only once.
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

int addSchool(Arguments& args, const char* nameOption) {
    const auto name = args.take(nameOption);
    const bool json = args.flag("--json");
    auto store = openStore(args);
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

// A whole-number option within [min, max].
std::int64_t numberOption(Arguments& args, const char* name, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) {
    const std::int64_t value = args.number<std::int64_t>(name).value_or(fallback);
    if (value < min || value > max)
        throw UsageError{std::string(name) + ": expected a number from " + std::to_string(min) + " to " +
                         std::to_string(max)};
    return value;
}

kite::server::JobSettings jobSettings(Arguments& args) {
    kite::server::JobSettings s;
    s.retrain_every = numberOption(args, "--retrain-every", s.retrain_every, 0, 1'000'000'000);
    s.check_every = std::chrono::seconds(numberOption(args, "--job-check-seconds", 60, 1, 86400));
    auto& t = s.training;
    t.dkt_min_answers = numberOption(args, "--dkt-min-answers", t.dkt_min_answers, 2, 1'000'000'000);
    t.dkt_min_learners = numberOption(args, "--dkt-min-learners", t.dkt_min_learners, 2, 1'000'000'000);
    t.dkt_hidden = static_cast<int>(numberOption(args, "--dkt-hidden", t.dkt_hidden, 1, 1024));
    t.dkt_max_epochs = static_cast<int>(numberOption(args, "--dkt-max-epochs", t.dkt_max_epochs, 1, 1000));
    t.dkt_patience = static_cast<int>(numberOption(args, "--dkt-patience", t.dkt_patience, 1, 1000));
    return s;
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

int serve(Arguments& args) {
    const std::string listen = args.take("--listen").value_or("127.0.0.1:8470");
    const kite::server::JobSettings jobs = jobSettings(args);
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
    // Opened (and its tables made) before the threads that use them start.
    auto jobQueue = kite::server::openSqliteJobQueue(dataDir, QStringLiteral("main-jobs"));
    if (!jobQueue) {
        std::fprintf(stderr, "kite-server: %s\n", jobQueue.error().message.c_str());
        return kExitFailure;
    }
    kite::server::MasteryWorker worker(dataDir);
    (*committer)->onCommitted([&worker] { worker.poke(); });
    kite::server::JobRunner runner(dataDir, jobs);
    kite::server::HttpServer server;
    kite::server::addSyncRoutes(server.router(), *store, **committer);
    kite::server::addJobRoutes(server.router(), *store, **jobQueue, [&runner] { runner.poke(); });
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
