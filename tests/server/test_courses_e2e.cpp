// Courses on the real kite-server: `course import` from the command line while
// the server runs, then the list, the package with its ETag, and the pull's
// "course" changes, as devices of two schools see them.

#define ZLIB_CONST
#include <zlib.h>

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>

#include "../support/server_fixture.h"
#include "kite/course.h"

namespace {

using namespace kite::testing;

const std::filesystem::path kFractions = std::filesystem::path(KITE_SOURCE_DIR) / "resources/courses/fractions";

// The bytes of one gzip member, as a client would undo Content-Encoding: gzip.
QByteArray gunzip(const QByteArray& data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) return {};
    z.next_in = reinterpret_cast<const Bytef*>(data.constData());
    z.avail_in = static_cast<uInt>(data.size());
    QByteArray out;
    char buffer[16384];
    int status = Z_OK;
    while (status == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        status = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, static_cast<qsizetype>(sizeof buffer - z.avail_out));
    }
    inflateEnd(&z);
    return status == Z_STREAM_END ? out : QByteArray();
}

QString sha256Of(const QByteArray& bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

class CoursesE2E : public ServerFixture {
protected:
    // `kite-server course import --data DIR PATH ... --json`.
    Finished import(const std::filesystem::path& course, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> words{KITE_SERVER_BINARY, "course", "import", "--data", data_,
                                       course.string(),    "--json"};
        words.insert(words.end(), extra.begin(), extra.end());
        return runProgram(words, dir_.path().toStdString(), "import");
    }
    QJsonObject imported(const std::filesystem::path& course, const std::vector<std::string>& extra = {}) {
        const Finished done = import(course, extra);
        EXPECT_EQ(done.exit, 0) << done.err;
        return QJsonDocument::fromJson(QByteArray::fromStdString(done.out)).object();
    }

    // A copy of the sample course under `name`, with course.json's members
    // replaced by `changes` (id, version, title, ...).
    std::filesystem::path copyOfFractions(const std::string& name, const QJsonObject& changes = {}) {
        const std::filesystem::path to = std::filesystem::path(dir_.path().toStdString()) / name;
        std::filesystem::copy(kFractions, to, std::filesystem::copy_options::recursive);
        QFile file(QString::fromStdString((to / "course.json").string()));
        EXPECT_TRUE(file.open(QIODevice::ReadOnly));
        QJsonObject course = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        for (auto it = changes.begin(); it != changes.end(); ++it) course[it.key()] = it.value();
        EXPECT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(course).toJson());
        return to;
    }

    QJsonArray courses(const QString& token) {
        const auto r = call("GET", QStringLiteral("/v1/courses"), {}, token);
        EXPECT_EQ(r.status, 200) << r.raw.toStdString();
        return r.body[QStringLiteral("courses")].toArray();
    }
    static QStringList idsOf(const QJsonArray& list) {
        QStringList ids;
        for (const QJsonValue& c : list) ids << c[QStringLiteral("id")].toString();
        return ids;
    }

    // Every "course" change a device pulls from the start, as the device's
    // own parser reads them.
    QList<kite::wire::CourseChange> courseChanges(const QString& token) {
        const auto r = call("GET", QStringLiteral("/v1/sync/pull"), {}, token);
        EXPECT_EQ(r.status, 200) << r.raw.toStdString();
        const auto reply = kite::wire::parsePullReply(r.raw);
        EXPECT_TRUE(reply.ok()) << (reply ? std::string() : reply.error().message.toStdString());
        QList<kite::wire::CourseChange> out;
        if (!reply) return out;
        for (const auto& change : reply->changes)
            if (const auto* c = std::get_if<kite::wire::CourseChange>(&change)) out << *c;
        return out;
    }
};

TEST_F(CoursesE2E, AnImportedCourseIsListedAndItsPackageDownloadsWithAnETag) {
    const QJsonObject done = imported(kFractions);
    EXPECT_EQ(done[QStringLiteral("status")].toString(), QStringLiteral("imported"));
    const QString token = enroll(school_, "kiosk 1");

    const QJsonArray list = courses(token);
    ASSERT_EQ(list.size(), 1);
    const QJsonObject course = list.first().toObject();
    EXPECT_EQ(course[QStringLiteral("id")].toString(), QStringLiteral("fractions"));
    EXPECT_EQ(course[QStringLiteral("title")].toString(), QStringLiteral("Fractions"));
    EXPECT_EQ(course[QStringLiteral("version")].toInt(), done[QStringLiteral("version")].toInt());
    EXPECT_EQ(course[QStringLiteral("sha256")].toString(), done[QStringLiteral("sha256")].toString());
    const QString url = course[QStringLiteral("package_url")].toString();
    ASSERT_FALSE(url.isEmpty());

    // The package is the listed bytes, and reads as the course.
    const auto package = call("GET", url, {}, token);
    ASSERT_EQ(package.status, 200) << package.raw.toStdString();
    EXPECT_EQ(package.headers.at("content-type"), "application/vnd.kite.pack");
    EXPECT_EQ(package.headers.count("content-encoding"), 0u) << "a .kitepack is gzip already";
    EXPECT_EQ(package.raw.size(), course[QStringLiteral("size")].toInteger());
    EXPECT_EQ(sha256Of(package.raw), course[QStringLiteral("sha256")].toString());
    const auto read = kite::course::readPackBytes(package.raw, QStringLiteral("download"));
    ASSERT_TRUE(read.ok()) << (read.problems.isEmpty() ? "" : read.problems.first().toString().toStdString());
    EXPECT_EQ(read.course->id, QStringLiteral("fractions"));
    EXPECT_EQ(read.course->content_sha256, course[QStringLiteral("content_sha256")].toString());
    const QByteArray etag = '"' + course[QStringLiteral("sha256")].toString().toLatin1() + '"';
    EXPECT_EQ(package.headers.at("etag"), etag);

    // A device that has it revalidates for nothing; one with another version downloads.
    const auto same =
        call("GET", QStringLiteral("/v1/courses/fractions/package"), {}, token, {{"If-None-Match", etag}});
    EXPECT_EQ(same.status, 304);
    EXPECT_TRUE(same.raw.isEmpty());
    EXPECT_EQ(same.headers.at("etag"), etag);
    const auto other = call("GET", QStringLiteral("/v1/courses/fractions/package"), {}, token,
                            {{"If-None-Match", "\"" + QByteArray(64, 'a') + "\""}});
    EXPECT_EQ(other.status, 200);
    EXPECT_EQ(other.raw, package.raw);

    // Any token of the school lists courses; no token does not.
    EXPECT_EQ(idsOf(courses(adminToken(school_))), QStringList{QStringLiteral("fractions")});
    EXPECT_EQ(call("GET", QStringLiteral("/v1/courses")).status, 401);
    EXPECT_EQ(call("GET", url).status, 401);
}

TEST_F(CoursesE2E, ManyDevicesDownloadingAtOnceAllGetThePackage) {
    // The first downloads of a package find it in no memory: it is read once,
    // on a reader thread, while the others wait for that read.
    const QJsonObject done = imported(kFractions);
    const QString token = enroll(school_, "kiosk 1");
    const QString url = base_ + QStringLiteral("/v1/courses/fractions/package");
    QList<QNetworkReply*> replies;
    for (int i = 0; i < 24; ++i) {
        QNetworkRequest req{QUrl(url)};
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        replies << net_.get(req);
    }
    QEventLoop loop;
    int finished = 0;
    for (QNetworkReply* reply : replies)
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&] {
            if (++finished == replies.size()) loop.quit();
        });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    ASSERT_EQ(finished, replies.size()) << "every download finished within 30 s";
    for (QNetworkReply* reply : replies) {
        EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        EXPECT_EQ(sha256Of(reply->readAll()), done[QStringLiteral("sha256")].toString());
        reply->deleteLater();
    }
}

TEST_F(CoursesE2E, ImportingTheSameAgainIsANoOpAndVersionsOnlyMoveForward) {
    const QJsonObject first = imported(kFractions);
    const QJsonObject again = imported(kFractions);
    EXPECT_EQ(again[QStringLiteral("status")].toString(), QStringLiteral("already imported"));
    EXPECT_EQ(again[QStringLiteral("sha256")], first[QStringLiteral("sha256")]);
    const QString token = enroll(school_, "kiosk 1");
    auto changes = courseChanges(token);
    ASSERT_EQ(changes.size(), 1) << "the no-op added no second change";
    EXPECT_EQ(changes[0].id, QStringLiteral("fractions"));
    EXPECT_EQ(changes[0].version, 1);
    EXPECT_EQ(changes[0].sha256, first[QStringLiteral("sha256")].toString());
    EXPECT_EQ(changes[0].size, first[QStringLiteral("size")].toInteger());

    // Other content under the same version is refused, and nothing changes.
    const Finished sameVersion =
        import(copyOfFractions("retitled", {{QStringLiteral("title"), QStringLiteral("Fractions, retitled")}}));
    EXPECT_EQ(sameVersion.exit, 2);
    EXPECT_TRUE(contains(sameVersion.err, "version 1 is already imported with other content")) << sameVersion.err;
    EXPECT_EQ(courses(token).first()[QStringLiteral("title")].toString(), QStringLiteral("Fractions"));

    // A higher version is the new latest; the old one stays downloadable.
    const auto v2 = copyOfFractions(
        "v2", {{QStringLiteral("version"), 2}, {QStringLiteral("title"), QStringLiteral("Fractions 2")}});
    const QJsonObject second = imported(v2);
    EXPECT_EQ(second[QStringLiteral("status")].toString(), QStringLiteral("imported"));
    const QJsonObject listed = courses(token).first().toObject();
    EXPECT_EQ(listed[QStringLiteral("version")].toInt(), 2);
    EXPECT_EQ(listed[QStringLiteral("title")].toString(), QStringLiteral("Fractions 2"));
    const auto old = call("GET", QStringLiteral("/v1/courses/fractions/package?version=1"), {}, token);
    ASSERT_EQ(old.status, 200);
    EXPECT_EQ(sha256Of(old.raw), first[QStringLiteral("sha256")].toString());
    changes = courseChanges(token);
    ASSERT_EQ(changes.size(), 2);
    EXPECT_EQ(changes[1].version, 2);

    // Back to version 1 with other content: refused; the same v1 is a no-op.
    const Finished older =
        import(copyOfFractions("older", {{QStringLiteral("description"), QStringLiteral("changed")}}));
    EXPECT_EQ(older.exit, 2);
    EXPECT_TRUE(contains(older.err, "older than the imported version 2")) << older.err;
    EXPECT_EQ(imported(kFractions)[QStringLiteral("status")].toString(), QStringLiteral("already imported"));

    // A package built by kite-pack from the same folder is the same content.
    const std::string pack = dir_.filePath(QStringLiteral("v2.kitepack")).toStdString();
    ASSERT_EQ(runProgram({KITE_PACK_BINARY, "build", v2.string(), "-o", pack}, dir_.path().toStdString(), "pack").exit,
              0);
    const QJsonObject fromPack = imported(pack);
    EXPECT_EQ(fromPack[QStringLiteral("status")].toString(), QStringLiteral("already imported"));
    EXPECT_EQ(fromPack[QStringLiteral("sha256")], second[QStringLiteral("sha256")]);
    EXPECT_EQ(courseChanges(token).size(), 2);
}

TEST_F(CoursesE2E, ACourseWithErrorsIsRefusedWithFileAndLineAndNothingIsStored) {
    const auto broken = copyOfFractions("broken");
    const std::filesystem::path items = broken / "items/parts.json";
    std::string text = readFile(items);
    const auto at = text.find("\"answer\": 0,");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 12, "\"answer\": 9,");
    std::ofstream(items, std::ios::binary | std::ios::trunc) << text;

    const Finished done = import(broken);
    EXPECT_EQ(done.exit, 2);
    // QRegularExpression: GCC 12's <regex> trips -Wmaybe-uninitialized under ASan.
    EXPECT_TRUE(QRegularExpression(QStringLiteral("broken/items/parts\\.json:[0-9]+: "))
                    .match(QString::fromStdString(done.err))
                    .hasMatch())
        << done.err;
    EXPECT_TRUE(done.out.empty()) << done.out;
    const QString token = enroll(school_, "kiosk 1");
    EXPECT_TRUE(courses(token).isEmpty());
    EXPECT_TRUE(courseChanges(token).isEmpty());
    // Not a course at all.
    EXPECT_EQ(import(dir_.filePath(QStringLiteral("nothing-here")).toStdString()).exit, 2);
    EXPECT_TRUE(courses(token).isEmpty());
}

TEST_F(CoursesE2E, ACourseLimitedToASchoolReachesOnlyThatSchool) {
    imported(kFractions);
    const std::string valleyId = other_[QStringLiteral("school_id")].toString().toStdString();
    const auto valleyCourse = copyOfFractions("valley", {{QStringLiteral("id"), QStringLiteral("valley-fractions")}});
    const QJsonObject limited = imported(valleyCourse, {"--school", valleyId});
    EXPECT_EQ(limited[QStringLiteral("school")].toString().toStdString(), valleyId);

    const QString hill = enroll(school_, "hill kiosk");
    const QString valley = enroll(other_, "valley kiosk");
    EXPECT_EQ(idsOf(courses(hill)), QStringList{QStringLiteral("fractions")});
    EXPECT_EQ(idsOf(courses(valley)), (QStringList{QStringLiteral("fractions"), QStringLiteral("valley-fractions")}));
    const auto hidden = call("GET", QStringLiteral("/v1/courses/valley-fractions/package"), {}, hill);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(call("GET", QStringLiteral("/v1/courses/valley-fractions/package"), {}, valley).status, 200);

    QStringList hillPulled, valleyPulled;
    for (const auto& c : courseChanges(hill)) hillPulled << c.id;
    for (const auto& c : courseChanges(valley)) valleyPulled << c.id;
    EXPECT_EQ(hillPulled, QStringList{QStringLiteral("fractions")});
    EXPECT_EQ(valleyPulled, (QStringList{QStringLiteral("fractions"), QStringLiteral("valley-fractions")}));

    // A course keeps its scope, and --school must name a school.
    const Finished widened = import(copyOfFractions(
        "valley2", {{QStringLiteral("id"), QStringLiteral("valley-fractions")}, {QStringLiteral("version"), 2}}));
    EXPECT_EQ(widened.exit, 2);
    EXPECT_TRUE(contains(widened.err, "belongs to school " + valleyId)) << widened.err;
    const Finished nowhere = import(kFractions, {"--school", "no-such-school"});
    EXPECT_EQ(nowhere.exit, 2);
    EXPECT_TRUE(contains(nowhere.err, "no-such-school")) << nowhere.err;
    EXPECT_EQ(idsOf(courses(hill)), QStringList{QStringLiteral("fractions")});
}

TEST_F(CoursesE2E, AnUnknownCourseOrVersionIsA404NamingIt) {
    imported(kFractions);
    const QString token = enroll(school_, "kiosk 1");
    const auto unknown = call("GET", QStringLiteral("/v1/courses/algebra/package"), {}, token);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.body[QStringLiteral("error")].toString(), QStringLiteral("not_found"));
    EXPECT_EQ(unknown.body[QStringLiteral("field")].toString(), QStringLiteral("id"));
    EXPECT_TRUE(unknown.body[QStringLiteral("message")].toString().contains(QStringLiteral("'algebra'")));
    const auto noVersion = call("GET", QStringLiteral("/v1/courses/fractions/package?version=9"), {}, token);
    EXPECT_EQ(noVersion.status, 404);
    EXPECT_EQ(noVersion.body[QStringLiteral("field")].toString(), QStringLiteral("version"));
    for (const char* bad : {"0", "-1", "two", "99999999999"}) {
        const auto r =
            call("GET", QStringLiteral("/v1/courses/fractions/package?version=") + QLatin1String(bad), {}, token);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(r.body[QStringLiteral("field")].toString(), QStringLiteral("version")) << bad;
    }
    EXPECT_EQ(call("POST", QStringLiteral("/v1/courses"), "{}", token).status, 405);
}

TEST_F(CoursesE2E, TheListIsGzipCompressedWhenTheClientTakesIt) {
    for (int i = 1; i <= 6; ++i) {
        const std::string id = "course-" + std::to_string(i);
        imported(copyOfFractions(id, {{QStringLiteral("id"), QString::fromStdString(id)}}));
    }
    const QString token = enroll(school_, "kiosk 1");
    const auto packed = call("GET", QStringLiteral("/v1/courses"), {}, token, {{"Accept-Encoding", "gzip"}});
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.headers.at("content-encoding"), "gzip");
    EXPECT_EQ(packed.headers.at("vary"), "Accept-Encoding");
    const QByteArray json = gunzip(packed.raw);
    ASSERT_FALSE(json.isEmpty()) << "a gzip body";
    EXPECT_LT(packed.raw.size(), json.size());
    EXPECT_EQ(QJsonDocument::fromJson(json).object()[QStringLiteral("courses")].toArray().size(), 6);

    const auto plain = call("GET", QStringLiteral("/v1/courses"), {}, token, {{"Accept-Encoding", "identity"}});
    ASSERT_EQ(plain.status, 200);
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
    EXPECT_EQ(plain.raw, json);
    const auto refused = call("GET", QStringLiteral("/v1/courses"), {}, token, {{"Accept-Encoding", "gzip;q=0, br"}});
    EXPECT_EQ(refused.headers.count("content-encoding"), 0u);
}

TEST_F(CoursesE2E, ASchoolAddedLaterLearnsOfTheServerWideCourses) {
    const QJsonObject done = imported(kFractions);
    const QJsonObject third = runJson({"school", "add", "--data", data_, "--name", "River School", "--json"},
                                      dir_.path().toStdString(), "add3");
    const QString token = enroll(third, "river kiosk");
    const auto changes = courseChanges(token);
    ASSERT_EQ(changes.size(), 1);
    EXPECT_EQ(changes[0].id, QStringLiteral("fractions"));
    EXPECT_EQ(changes[0].sha256, done[QStringLiteral("sha256")].toString());
    EXPECT_EQ(idsOf(courses(token)), QStringList{QStringLiteral("fractions")});
}

}  // namespace
