// A teacher's line to kite-server (docs/protocol.md: "Learners, classes and
// roles", "Mastery views", "Live polls", "Stream"): with a teacher (or admin)
// token, lists the classes, reads a class's mastery grid, opens and closes
// live polls, and holds a stream that delivers poll results and "mastery"
// (the grids moved) as they happen, reconnecting with backoff.
//
// Everything is asynchronous Qt network on the thread that owns the client
// (the GUI thread is fine: nothing here waits): each call takes a callback
// that gets the result or an error in plain words ("the teacher token is not
// valid any more: ask the school's admin for a new one").
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <random>

#include "kite/live_poll.h"
#include "kite/result.h"

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

namespace kite::client {

struct ClassInfo {
    QString id;
    QString name;
    int learners = 0;
};

// GET /v1/classes/{id}/mastery: learners × skills, one cell per model.
struct MasteryGrid {
    struct Learner {
        QString id;
        QString name;
    };
    struct Skill {
        QString course;
        QString skill;
    };
    struct Cell {
        QString learner;
        QString course;
        QString skill;
        QString model;       // "bkt" (p is P(known)) or "dkt" (p is P(correct next))
        double p = 0;
        int attempts = 0;
    };
    QString class_id;
    QString class_name;
    QList<Learner> learners;
    QList<Skill> skills;
    QList<Cell> cells;
};

// What a new poll asks: a question with options, or an item of a course.
struct PollRequest {
    QString question;
    QStringList options;
    QString item_course;
    QString item;
    QString class_id;  // optional
};

struct TeacherOptions {
    QUrl server;  // http://host:port
    std::chrono::milliseconds timeout{15'000};
    std::chrono::milliseconds backoff_first{500};  // the stream's first retry waits up to this
    std::chrono::milliseconds backoff_most{30'000};
    std::chrono::milliseconds ping_every{30'000};
};

class TeacherClient : public QObject {
    Q_OBJECT
public:
    explicit TeacherClient(TeacherOptions options, QObject* parent = nullptr);
    ~TeacherClient() override;

    void setToken(const QString& token);
    QString token() const { return token_; }

    template <class T>
    using Done = std::function<void(Result<T>)>;

    // GET /v1/classes: also how a token is checked.
    void classes(Done<QList<ClassInfo>> done);
    // GET /v1/classes/{id}/mastery[?course=C]
    void classMastery(const QString& classId, const QString& course, Done<MasteryGrid> done);
    // POST /v1/polls; the poll with its (zero) counts.
    void openPoll(const PollRequest& request, Done<LivePoll> done);
    // POST /v1/polls/{id}/close; the poll with its final counts.
    void closePoll(const QString& pollId, Done<LivePoll> done);

    // The stream: opened now and kept open (reconnecting with backoff) until
    // stopStream() or a token the server refuses.
    void startStream();
    void stopStream();
    bool streamConnected() const { return connected_; }

signals:
    void streamConnectedChanged(bool connected);
    // poll_results: counts, answered and state of a poll this token opened.
    void pollResults(const QJsonObject& message);
    // Mastery of the school was written: read the grids again. Also after
    // each (re)connect, as messages may have been missed meanwhile.
    void masteryChanged();
    // The server does not take the token (a 401 to any call, or on the
    // stream's reconnecting): the stream stopped. Emitted before the call's
    // own callback.
    void tokenRefused(const QString& message);

private:
    QNetworkReply* send(const QByteArray& method, const QString& path, const QJsonObject& body = {});
    // Calls `parse` with the JSON of a reply of `expected` status, or `done` with the error.
    template <class T>
    void expect(QNetworkReply* reply, int expected, Done<T> done, std::function<Result<T>(const QJsonObject&)> parse);
    void openStream();
    void onStreamClosed();
    void received(const QString& text);

    TeacherOptions options_;
    QString token_;
    QNetworkAccessManager* network_ = nullptr;
    QWebSocket* stream_ = nullptr;
    QTimer retry_;
    QTimer ping_;
    bool streaming_ = false;  // wanted open
    bool connected_ = false;
    int failures_ = 0;
    std::mt19937_64 jitter_{std::random_device{}()};
};

// A failed reply in plain words, e.g. "the teacher token is not valid any
// more: ask the school's admin for a new one".
QString describeTeacherFailure(int status, const QByteArray& body, const QString& networkError);

}  // namespace kite::client
