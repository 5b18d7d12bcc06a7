// The settings of `kite-server serve`, each from (highest first) its
// command-line flag `--max-body-bytes`, its environment variable
// `KITE_SERVER_MAX_BODY_BYTES`, the config file (`max_body_bytes = ...`), or
// its default. docs/server.md "Configuration" lists them.
//
// To add a setting: a field in Settings and one row in settingTable()
// (settings.cpp) with its name, default, help and how its text is read.
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <cstdint>
#include <functional>

#include "kite/result.h"

namespace kite::server {

struct Settings {
    QString data;                                   // the data folder
    QHostAddress host = QHostAddress::LocalHost;    // from `listen` HOST:PORT
    quint16 port = 8470;                            // 0: the system chooses
    int workers = 1;                                // mastery worker threads, 1..16
    QString tls_cert;                               // PEM; with tls_key, serve HTTPS/WSS
    QString tls_key;                                // PEM, unencrypted
    std::int64_t max_body_bytes = 4 * 1024 * 1024;  // of a request body as received
    double rate_per_second = 50;                    // per token; 0 turns the limit off
    double rate_burst = 100;                        // requests a token may send at once
    QString metrics_token;                          // if set, /metrics needs `Bearer` it
    double ping_seconds = 30;                       // WebSocket ping interval
    int max_connections = 2000;                     // open at once; more wait to be accepted
    int idle_seconds = 120;                         // an idle HTTP connection is closed
    std::int64_t push_queue_bytes = 8 << 20;        // pushes being read and stored; more: large ones get 503
    // Batch jobs (docs/server.md "Jobs and models").
    std::int64_t retrain_every = 5000;    // new answers that queue a school's refit and retraining; 0: off
    int job_check_seconds = 60;           // how often the schedule is looked at
    std::int64_t dkt_min_answers = 2000;  // answers a school needs before DKT is trained
    std::int64_t dkt_min_learners = 20;   // learners it needs
    int dkt_hidden = 32;                  // LSTM size
    int dkt_max_epochs = 30;
    int dkt_patience = 3;

    QString config_file;  // the file read, or empty
    // Per setting name, where its value came from: "default", "flag --listen",
    // "env KITE_SERVER_LISTEN", "file /etc/kite.conf:3".
    QHash<QString, QString> sources;
};

// Where settings come from besides defaults. `flags` maps setting names
// (`max_body_bytes`) to the text given on the command line; `configFile`
// is `--config`'s value (empty: KITE_SERVER_CONFIG, else
// DATA/kite-server.conf if that exists).
struct SettingsInput {
    QHash<QString, QString> flags;
    QString configFile;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

// One setting: its name (as in the config file), its default as text, what
// it is for, how its text is read into Settings (an error message on a bad
// value, which the loader completes with the value's source), and its value
// for --print-config.
struct SettingSpec {
    QString name;
    QString fallback;
    QString help;
    std::function<Status(const QString& text, Settings& into)> read;
    std::function<QJsonValue(const Settings& from)> show;
};
const QList<SettingSpec>& settingTable();

// The flag of a setting: "max_body_bytes" -> "--max-body-bytes".
QString flagName(const QString& setting);
// Its environment variable: "max_body_bytes" -> "KITE_SERVER_MAX_BODY_BYTES".
QString environmentName(const QString& setting);

// The effective settings. Errors name the setting, the bad value and where it
// came from, e.g. "max_body_bytes: expected a whole number from 1024 to
// 1073741824, got 'lots' (env KITE_SERVER_MAX_BODY_BYTES)"; also for an
// unreadable or malformed config file, an unknown name in it, and TLS given
// half (a certificate without a key).
Result<Settings> loadSettings(const SettingsInput& input);

// {"config_file": PATH or "", "settings": {"name": {"value", "source"}, ...}}
// for `serve --print-config`; secrets (metrics_token) are shown as "(set)".
QJsonObject describeSettings(const Settings& settings);

}  // namespace kite::server
