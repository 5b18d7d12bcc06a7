// What the device's clients of kite-server (SyncEngine, TeacherClient) build
// their requests and retries from: one place for the URL, headers and
// backoff rules of docs/protocol.md. Internal to sync/client.
#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <random>

class QNetworkReply;

namespace kite::client {

// A JSON request of the API: `path` may carry a query ("/v1/sync/pull?cursor=7");
// the bearer token is set when there is one.
QNetworkRequest apiRequest(const QUrl& server, const QString& path, const QByteArray& token);
// The upgrade request of /v1/stream (ws://, or wss:// for an https server).
QNetworkRequest streamRequest(const QUrl& server, const QByteArray& token);
// What the reply carried; nothing when the connection failed before it.
QByteArray replyBody(QNetworkReply* reply);
// After `failures` in a row: a random wait between `floor` (a fraction) and
// all of `first` doubled per failure after the first, at most `most`.
std::int64_t backoffMs(std::chrono::milliseconds first, std::chrono::milliseconds most, int failures, double floor,
                       std::mt19937_64& random);

}  // namespace kite::client
