#include "kite/settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonValue>
#include <cmath>

namespace kite::server {

namespace {

using Read = std::function<Status(const QString&, Settings&)>;
using Show = std::function<QJsonValue(const Settings&)>;

Error fail(const QString& message) {
    return Error{message.toStdString()};
}

template <class Field>
Read wholeNumber(Field Settings::*field, std::int64_t min, std::int64_t max) {
    return [field, min, max](const QString& text, Settings& into) -> Status {
        bool ok = false;
        const qlonglong value = text.trimmed().toLongLong(&ok);
        if (!ok || value < min || value > max)
            return fail(QStringLiteral("expected a whole number from %1 to %2, got '%3'").arg(min).arg(max).arg(text));
        into.*field = static_cast<Field>(value);
        return success();
    };
}

Read decimal(double Settings::*field, double min, double max) {
    return [field, min, max](const QString& text, Settings& into) -> Status {
        bool ok = false;
        const double value = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < min || value > max)
            return fail(QStringLiteral("expected a number from %1 to %2, got '%3'").arg(min).arg(max).arg(text));
        into.*field = value;
        return success();
    };
}

Read text(QString Settings::*field) {
    return [field](const QString& value, Settings& into) -> Status {
        into.*field = value;
        return success();
    };
}

Status readListen(const QString& text, Settings& into) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0) return fail(QStringLiteral("expected HOST:PORT, got '%1'").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (!address.setAddress(host)) return fail(QStringLiteral("not an IP address: '%1'").arg(host));
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535) return fail(QStringLiteral("not a port: '%1'").arg(text.mid(colon + 1)));
    into.host = address;
    into.port = static_cast<quint16>(port);
    return success();
}

QString listenText(const Settings& s) {
    const QString host = s.host.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(s.host.toString())
                             : s.host.toString();
    return host + QLatin1Char(':') + QString::number(s.port);
}

// A config file: one `name = value` per line; `#` starts a comment line.
struct FileValue {
    QString value;
    QString where;  // "file PATH:LINE"
};

Result<QHash<QString, FileValue>> readConfigFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(QStringLiteral("config file '%1': %2").arg(path, file.errorString()));
    QHash<QString, bool> known;
    for (const SettingSpec& spec : settingTable()) known.insert(spec.name, true);
    QHash<QString, FileValue> out;
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) continue;
        const QString where = QStringLiteral("%1:%2").arg(path).arg(number);
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq < 0) return fail(QStringLiteral("%1: expected 'name = value', got '%2'").arg(where, line));
        const QString name = line.left(eq).trimmed();
        if (!known.contains(name)) return fail(QStringLiteral("%1: unknown setting '%2'").arg(where, name));
        out.insert(name, FileValue{line.mid(eq + 1).trimmed(), QStringLiteral("file ") + where});
    }
    return out;
}

// The config file to read: named, or the data folder's if it has one.
Result<QString> configPath(const SettingsInput& input) {
    if (!input.configFile.isEmpty()) return input.configFile;
    const QString fromEnv = input.environment.value(QStringLiteral("KITE_SERVER_CONFIG"));
    if (!fromEnv.isEmpty()) return fromEnv;
    QString data = input.flags.value(QStringLiteral("data"));
    if (data.isEmpty()) data = input.environment.value(environmentName(QStringLiteral("data")));
    if (data.isEmpty()) return QString();
    const QString inData = QDir(data).filePath(QStringLiteral("kite-server.conf"));
    return QFileInfo::exists(inData) ? inData : QString();
}

}  // namespace

const QList<SettingSpec>& settingTable() {
    static const QList<SettingSpec> table = {
        {QStringLiteral("data"),
         {},
         QStringLiteral("the data folder (made by `init`)"),
         [](const QString& value, Settings& into) -> Status {
             if (value.isEmpty()) return fail(QStringLiteral("needs --data DIR"));
             into.data = value;
             return success();
         },
         [](const Settings& s) -> QJsonValue { return s.data; }},
        {QStringLiteral("listen"), QStringLiteral("127.0.0.1:8470"),
         QStringLiteral("HOST:PORT; port 0 lets the system choose"), readListen,
         [](const Settings& s) -> QJsonValue { return listenText(s); }},
        {QStringLiteral("workers"), QStringLiteral("1"), QStringLiteral("mastery worker threads, 1 to 16"),
         wholeNumber(&Settings::workers, 1, 16), [](const Settings& s) -> QJsonValue { return s.workers; }},
        {QStringLiteral("tls_cert"),
         {},
         QStringLiteral("PEM certificate (chain); with tls_key, serve HTTPS and WSS"),
         text(&Settings::tls_cert),
         [](const Settings& s) -> QJsonValue { return s.tls_cert; }},
        {QStringLiteral("tls_key"),
         {},
         QStringLiteral("PEM private key, unencrypted"),
         text(&Settings::tls_key),
         [](const Settings& s) -> QJsonValue { return s.tls_key; }},
        {QStringLiteral("max_body_bytes"), QStringLiteral("4194304"),
         QStringLiteral("largest request body accepted (else 413)"),
         wholeNumber(&Settings::max_body_bytes, 1024, std::int64_t{1} << 30),
         [](const Settings& s) -> QJsonValue { return static_cast<double>(s.max_body_bytes); }},
        {QStringLiteral("rate_per_second"), QStringLiteral("50"),
         QStringLiteral("requests per second per token (0: no limit)"), decimal(&Settings::rate_per_second, 0, 1e6),
         [](const Settings& s) -> QJsonValue { return s.rate_per_second; }},
        {QStringLiteral("rate_burst"), QStringLiteral("100"), QStringLiteral("requests a token may send at once"),
         decimal(&Settings::rate_burst, 1, 1e6), [](const Settings& s) -> QJsonValue { return s.rate_burst; }},
        {QStringLiteral("metrics_token"),
         {},
         QStringLiteral("if set, GET /metrics needs 'Authorization: Bearer' it"),
         text(&Settings::metrics_token),
         [](const Settings& s) -> QJsonValue {
             return s.metrics_token.isEmpty() ? QString() : QStringLiteral("(set)");
         }},
        {QStringLiteral("ping_seconds"), QStringLiteral("30"), QStringLiteral("WebSocket ping interval"),
         decimal(&Settings::ping_seconds, 0.1, 3600), [](const Settings& s) -> QJsonValue { return s.ping_seconds; }},
        {QStringLiteral("max_connections"), QStringLiteral("2000"),
         QStringLiteral("connections open at once; more wait"), wholeNumber(&Settings::max_connections, 1, 1000000),
         [](const Settings& s) -> QJsonValue { return s.max_connections; }},
        {QStringLiteral("idle_seconds"), QStringLiteral("120"),
         QStringLiteral("an HTTP connection idle this long is closed"), wholeNumber(&Settings::idle_seconds, 1, 86400),
         [](const Settings& s) -> QJsonValue { return s.idle_seconds; }},
        {QStringLiteral("push_queue_bytes"), QStringLiteral("8388608"),
         QStringLiteral("bytes of pushes being read and stored at most; a large push then gets 503 and Retry-After"),
         wholeNumber(&Settings::push_queue_bytes, 65536, std::int64_t{1} << 34),
         [](const Settings& s) -> QJsonValue { return static_cast<double>(s.push_queue_bytes); }},
        {QStringLiteral("retrain_every"), QStringLiteral("5000"),
         QStringLiteral("new answers that queue a school's refit and retraining (0: off)"),
         wholeNumber(&Settings::retrain_every, 0, 1'000'000'000),
         [](const Settings& s) -> QJsonValue { return static_cast<double>(s.retrain_every); }},
        {QStringLiteral("job_check_seconds"), QStringLiteral("60"),
         QStringLiteral("how often the job schedule is looked at"), wholeNumber(&Settings::job_check_seconds, 1, 86400),
         [](const Settings& s) -> QJsonValue { return s.job_check_seconds; }},
        {QStringLiteral("dkt_min_answers"), QStringLiteral("2000"),
         QStringLiteral("answers a school needs before DKT is trained"),
         wholeNumber(&Settings::dkt_min_answers, 2, 1'000'000'000),
         [](const Settings& s) -> QJsonValue { return static_cast<double>(s.dkt_min_answers); }},
        {QStringLiteral("dkt_min_learners"), QStringLiteral("20"),
         QStringLiteral("learners a school needs before DKT is trained"),
         wholeNumber(&Settings::dkt_min_learners, 2, 1'000'000'000),
         [](const Settings& s) -> QJsonValue { return static_cast<double>(s.dkt_min_learners); }},
        {QStringLiteral("dkt_hidden"), QStringLiteral("32"), QStringLiteral("the DKT model's LSTM size"),
         wholeNumber(&Settings::dkt_hidden, 1, 1024), [](const Settings& s) -> QJsonValue { return s.dkt_hidden; }},
        {QStringLiteral("dkt_max_epochs"), QStringLiteral("30"), QStringLiteral("most epochs of a DKT retraining"),
         wholeNumber(&Settings::dkt_max_epochs, 1, 1000),
         [](const Settings& s) -> QJsonValue { return s.dkt_max_epochs; }},
        {QStringLiteral("dkt_patience"), QStringLiteral("3"),
         QStringLiteral("epochs without a better validation AUC before a retraining stops"),
         wholeNumber(&Settings::dkt_patience, 1, 1000),
         [](const Settings& s) -> QJsonValue { return s.dkt_patience; }},
    };
    return table;
}

QString flagName(const QString& setting) {
    return QStringLiteral("--") + QString(setting).replace(QLatin1Char('_'), QLatin1Char('-'));
}

QString environmentName(const QString& setting) {
    return QStringLiteral("KITE_SERVER_") + setting.toUpper();
}

Result<Settings> loadSettings(const SettingsInput& input) {
    Settings settings;
    auto path = configPath(input);
    if (!path) return path.error();
    QHash<QString, FileValue> file;
    if (!path->isEmpty()) {
        auto read = readConfigFile(*path);
        if (!read) return read.error();
        file = std::move(*read);
        settings.config_file = *path;
    }
    for (const SettingSpec& spec : settingTable()) {
        QString value = spec.fallback;
        QString source = QStringLiteral("default");
        const QString env = environmentName(spec.name);
        if (input.flags.contains(spec.name)) {
            value = input.flags.value(spec.name);
            source = QStringLiteral("flag ") + flagName(spec.name);
        } else if (input.environment.contains(env)) {
            value = input.environment.value(env);
            source = QStringLiteral("env ") + env;
        } else if (file.contains(spec.name)) {
            value = file.value(spec.name).value;
            source = file.value(spec.name).where;
        }
        if (Status s = spec.read(value, settings); !s) {
            if (source == QLatin1String("default")) return s.error();  // only `data` has no usable default
            return fail(
                QStringLiteral("%1: %2 (%3)").arg(spec.name, QString::fromStdString(s.error().message), source));
        }
        settings.sources.insert(spec.name, source);
    }
    if (settings.tls_cert.isEmpty() != settings.tls_key.isEmpty())
        return fail(QStringLiteral("TLS needs both tls_cert and tls_key (%1 is missing)")
                        .arg(settings.tls_cert.isEmpty() ? QStringLiteral("tls_cert") : QStringLiteral("tls_key")));
    return settings;
}

QJsonObject describeSettings(const Settings& settings) {
    QJsonObject each;
    for (const SettingSpec& spec : settingTable())
        each.insert(spec.name, QJsonObject{{QStringLiteral("value"), spec.show(settings)},
                                           {QStringLiteral("source"), settings.sources.value(spec.name)}});
    return {{QStringLiteral("config_file"), settings.config_file}, {QStringLiteral("settings"), each}};
}

}  // namespace kite::server
