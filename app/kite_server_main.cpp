// kite-server: the school's sync server (docs/server.md). Parses the command
// line, opens the store, serves.
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <string>

#include "arguments.h"
#include "kite/http_server.h"
#include "kite/mastery_worker.h"
#include "kite/poll_routes.h"
#include "kite/push_committer.h"
#include "kite/stream_hub.h"
#include "kite/stream_routes.h"
#include "kite/stream_store.h"
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
      [--stream-ping SECONDS]                             WebSocket ping interval (default 30)
  kite-server stats --data DIR [--json]                   counts of what the server holds
  kite-server --help | --version

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

int serve(Arguments& args) {
    const std::string listen = args.take("--listen").value_or("127.0.0.1:8470");
    const std::string pingText = args.take("--stream-ping").value_or("30");
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

    const double pingSeconds = QString::fromStdString(pingText).toDouble(&ok);
    if (!ok || !(pingSeconds >= 0.1 && pingSeconds <= 3600))  // NaN too
        throw UsageError{"--stream-ping: expected seconds from 0.1 to 3600, got '" + pingText + "'"};

    const QString dataDir = QString::fromStdString(data);
    auto streamStore = kite::server::StreamStore::open(dataDir);
    if (!streamStore) {
        std::fprintf(stderr, "kite-server: %s\n", streamStore.error().message.c_str());
        return kExitFailure;
    }
    kite::server::StreamHub::Settings streamSettings;
    streamSettings.ping_interval = std::chrono::milliseconds(static_cast<std::int64_t>(pingSeconds * 1000));
    // Before the worker, which pokes it from its thread until it is joined.
    kite::server::StreamHub hub(**streamStore, streamSettings);
    auto committer = kite::server::PushCommitter::start(dataDir);
    if (!committer) {
        std::fprintf(stderr, "kite-server: %s\n", committer.error().message.c_str());
        return kExitFailure;
    }
    kite::server::MasteryWorker worker(dataDir, [&hub](const kite::server::LearnerKeys& written) {
        hub.pokeLearners(written);
    });
    (*committer)->onCommitted([&worker] { worker.poke(); });
    kite::server::HttpServer server;
    kite::server::addSyncRoutes(server.router(), *store, **committer);
    kite::server::addStreamRoutes(server, *store, hub);
    kite::server::LivePolls polls(*store, **streamStore, hub);
    polls.addRoutes(server.router());
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
        throw UsageError{"unknown command '" + words[0] + "'"};
    });
}
