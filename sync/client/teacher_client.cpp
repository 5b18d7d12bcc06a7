#include "kite/teacher_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

#include "kite/wire.h"
#include "server_requests.h"

namespace kite::client {

namespace {

Error failure(const QString& message) {
    return Error{message.toStdString()};
}

QString serverMessage(const QByteArray& body) {
    if (auto e = wire::parseErrorReply(body); e.ok()) return e.value().message;
    return {};
}

Result<QList<ClassInfo>> parseClasses(const QJsonObject& json) {
    const QJsonValue list = json.value(QLatin1String("classes"));
    if (!list.isArray()) return failure(QStringLiteral("the server's list of classes was not understood"));
    QList<ClassInfo> out;
    for (const QJsonValue& v : list.toArray()) {
        const QJsonObject c = v.toObject();
        out.push_back(ClassInfo{c.value(QLatin1String("id")).toString(), c.value(QLatin1String("name")).toString(),
                                static_cast<int>(c.value(QLatin1String("learners")).toArray().size())});
    }
    std::sort(out.begin(), out.end(), [](const ClassInfo& a, const ClassInfo& b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return out;
}

Result<MasteryGrid> parseGrid(const QJsonObject& json) {
    if (!json.value(QLatin1String("learners")).isArray() || !json.value(QLatin1String("cells")).isArray())
        return failure(QStringLiteral("the server's mastery grid was not understood"));
    MasteryGrid g;
    const QJsonObject cls = json.value(QLatin1String("class")).toObject();
    g.class_id = cls.value(QLatin1String("id")).toString();
    g.class_name = cls.value(QLatin1String("name")).toString();
    for (const QJsonValue& v : json.value(QLatin1String("learners")).toArray())
        g.learners.push_back({v[QLatin1String("id")].toString(), v[QLatin1String("name")].toString()});
    for (const QJsonValue& v : json.value(QLatin1String("skills")).toArray())
        g.skills.push_back({v[QLatin1String("course")].toString(), v[QLatin1String("skill")].toString()});
    for (const QJsonValue& v : json.value(QLatin1String("cells")).toArray()) {
        const QJsonObject c = v.toObject();
        const QString model = c.value(QLatin1String("model")).toString(QStringLiteral("bkt"));
        const QJsonValue p = c.value(model == QLatin1String("dkt") ? QLatin1String("p_correct") : QLatin1String("p_known"));
        if (!p.isDouble()) continue;  // a model this client does not know
        g.cells.push_back({c.value(QLatin1String("learner")).toString(), c.value(QLatin1String("course")).toString(),
                           c.value(QLatin1String("skill")).toString(), model, std::clamp(p.toDouble(), 0.0, 1.0),
                           c.value(QLatin1String("attempts")).toInt()});
    }
    return g;
}

Result<LivePoll> parsePoll(const QJsonObject& json) {
    auto poll = parseLivePoll(json);
    if (!poll) return failure(QStringLiteral("the server's poll was not understood"));
    return *poll;
}

}  // namespace

QString describeTeacherFailure(int status, const QByteArray& body, const QString& networkError) {
    const QString said = serverMessage(body);
    switch (status) {
    case 0:
        return QObject::tr("the school server cannot be reached (%1)").arg(networkError);
    case 401:
        return QObject::tr("the teacher token is not valid any more: ask the school's admin for a new one");
    case 403:
        return QObject::tr("this token may not do that: %1").arg(said.isEmpty() ? QObject::tr("it is not a teacher's")
                                                                                : said);
    case 404:
        return said.isEmpty() ? QObject::tr("the server does not know that (any more)") : said;
    case 409:
        return said.isEmpty() ? QObject::tr("that is no longer possible") : said;
    case 429:
    case 503:
        return QObject::tr("the school server is busy: try again in a moment");
    default:
        break;
    }
    if (status >= 500) return QObject::tr("the school server failed (%1): tell the school's admin").arg(status);
    return said.isEmpty() ? QObject::tr("the school server answered %1").arg(status) : said;
}

TeacherClient::TeacherClient(TeacherOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)), network_(new QNetworkAccessManager(this)) {
    network_->setTransferTimeout(static_cast<int>(options_.timeout.count()));
    retry_.setSingleShot(true);
    connect(&retry_, &QTimer::timeout, this, &TeacherClient::openStream);
    connect(&ping_, &QTimer::timeout, this, [this] {
        if (stream_) stream_->ping();
    });
}

TeacherClient::~TeacherClient() {
    stopStream();
}

void TeacherClient::setToken(const QString& token) {
    if (token == token_) return;
    token_ = token;
    if (streaming_) {
        stopStream();
        startStream();
    }
}

QNetworkReply* TeacherClient::send(const QByteArray& method, const QString& path, const QJsonObject& body) {
    const QNetworkRequest request = apiRequest(options_.server, path, token_.toUtf8());
    const QByteArray bytes = body.isEmpty() && method == "GET" ? QByteArray()
                                                                 : QJsonDocument(body).toJson(QJsonDocument::Compact);
    return network_->sendCustomRequest(request, method, bytes);
}

template <class T>
void TeacherClient::expect(QNetworkReply* reply, int expected, Done<T> done,
                           std::function<Result<T>(const QJsonObject&)> parse) {
    connect(reply, &QNetworkReply::finished, this, [this, reply, expected, done = std::move(done), parse = std::move(parse)] {
        reply->deleteLater();
        const QByteArray body = replyBody(reply);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != expected) {
            const QString why = describeTeacherFailure(status, body, reply->errorString());
            if (status == 401) {  // the token is gone for good: whoever holds this client stops using it
                stopStream();
                emit tokenRefused(why);
            }
            return done(failure(why));
        }
        QJsonParseError error{};
        const QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError || !json.isObject())
            return done(failure(tr("the school server's reply was not JSON")));
        done(parse(json.object()));
    });
}

void TeacherClient::classes(Done<QList<ClassInfo>> done) {
    expect<QList<ClassInfo>>(send("GET", QStringLiteral("/v1/classes")), 200, std::move(done), parseClasses);
}

void TeacherClient::classMastery(const QString& classId, const QString& course, Done<MasteryGrid> done) {
    QString path = QStringLiteral("/v1/classes/%1/mastery").arg(QString::fromLatin1(QUrl::toPercentEncoding(classId)));
    if (!course.isEmpty()) path += QStringLiteral("?course=") + QString::fromLatin1(QUrl::toPercentEncoding(course));
    expect<MasteryGrid>(send("GET", path), 200, std::move(done), parseGrid);
}

void TeacherClient::openPoll(const PollRequest& request, Done<LivePoll> done) {
    QJsonObject body;
    if (!request.question.isEmpty()) body.insert(QStringLiteral("question"), request.question);
    if (!request.item.isEmpty())
        body.insert(QStringLiteral("item"),
                    QJsonObject{{QStringLiteral("course"), request.item_course}, {QStringLiteral("item"), request.item}});
    else
        body.insert(QStringLiteral("options"), QJsonArray::fromStringList(request.options));
    if (!request.class_id.isEmpty()) body.insert(QStringLiteral("class"), request.class_id);
    expect<LivePoll>(send("POST", QStringLiteral("/v1/polls"), body), 201, std::move(done), parsePoll);
}

void TeacherClient::closePoll(const QString& pollId, Done<LivePoll> done) {
    expect<LivePoll>(send("POST", QStringLiteral("/v1/polls/%1/close")
                                      .arg(QString::fromLatin1(QUrl::toPercentEncoding(pollId))),
                          QJsonObject{}),
                     200, std::move(done), parsePoll);
}

// ---------------------------------------------------------------- the stream

void TeacherClient::startStream() {
    if (streaming_) return;
    streaming_ = true;
    failures_ = 0;
    openStream();
}

void TeacherClient::stopStream() {
    streaming_ = false;
    retry_.stop();
    ping_.stop();
    if (stream_) {
        stream_->disconnect(this);
        stream_->abort();
        stream_->deleteLater();
        stream_ = nullptr;
    }
    if (connected_) {
        connected_ = false;
        emit streamConnectedChanged(false);
    }
}

void TeacherClient::openStream() {
    if (!streaming_ || token_.isEmpty()) return;
    if (stream_ == nullptr) {
        stream_ = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(stream_, &QWebSocket::connected, this, [this] {
            failures_ = 0;
            connected_ = true;
            ping_.start(static_cast<int>(options_.ping_every.count()));
            emit streamConnectedChanged(true);
            emit masteryChanged();  // what was missed while away
        });
        connect(stream_, &QWebSocket::textMessageReceived, this, &TeacherClient::received);
        connect(stream_, &QWebSocket::disconnected, this, &TeacherClient::onStreamClosed);
    }
    stream_->open(streamRequest(options_.server, token_.toUtf8()));
}

void TeacherClient::received(const QString& text) {
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = message.value(QLatin1String("type")).toString();
    if (type == QLatin1String("poll_results")) emit pollResults(message);
    else if (type == QLatin1String("mastery")) emit masteryChanged();
}

// Closed, or never opened: tried again after a backoff with jitter. A refused
// upgrade does not say why, so the token is checked over HTTP first: a 401
// stops the stream for good.
void TeacherClient::onStreamClosed() {
    ping_.stop();
    if (connected_) {
        connected_ = false;
        emit streamConnectedChanged(false);
    }
    if (!streaming_) return;
    ++failures_;
    const std::int64_t wait = backoffMs(options_.backoff_first, options_.backoff_most, failures_, 0.5, jitter_);
    QNetworkReply* check = send("GET", QStringLiteral("/v1/classes"));
    connect(check, &QNetworkReply::finished, this, [this, check, wait] {
        check->deleteLater();
        const int status = check->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!streaming_) return;
        if (status == 401 || status == 403) {
            const QByteArray body = replyBody(check);
            stopStream();
            emit tokenRefused(describeTeacherFailure(status, body, check->errorString()));
            return;
        }
        retry_.start(static_cast<int>(wait));
    });
}

}  // namespace kite::client
