#include "server_requests.h"

#include <QNetworkReply>

#include <algorithm>

namespace kite::client {

QNetworkRequest apiRequest(const QUrl& server, const QString& path, const QByteArray& token) {
    QUrl url = server;
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0) url.setQuery(path.mid(query + 1));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token);
    return request;
}

QNetworkRequest streamRequest(const QUrl& server, const QByteArray& token) {
    QUrl url = server;
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/v1/stream"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    return request;
}

QByteArray replyBody(QNetworkReply* reply) {
    return reply->isOpen() ? reply->readAll() : QByteArray();
}

std::int64_t backoffMs(std::chrono::milliseconds first, std::chrono::milliseconds most, int failures, double floor,
                       std::mt19937_64& random) {
    const std::int64_t ceiling = std::max<std::int64_t>(
        1, std::min<std::int64_t>(most.count(), first.count() << std::clamp(failures - 1, 0, 20)));
    const auto least = static_cast<std::int64_t>(floor * static_cast<double>(ceiling));
    return std::uniform_int_distribution<std::int64_t>(least, ceiling)(random);
}

}  // namespace kite::client
