// .kitepack files (docs/formats.md, ".kitepack"): a deterministic
// gzip-compressed pax tar whose first entry is the manifest kitepack.json.

#include <archive.h>
#include <archive_entry.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <memory>

#include "course_check.h"
#include "course_paths.h"
#include "json_fields.h"
#include "kite/course.h"

namespace kite::course {
namespace {

using detail::Presence;
using detail::Problems;

const QString kManifest = QStringLiteral("kitepack.json");
// A package is compressed, so it is smaller than the course it holds, give
// or take the tar headers of its files.
constexpr qint64 kMaxPackBytes = detail::kMaxCourseBytes + (qint64(16) << 20);
constexpr int kPackFormatVersion = 1;

struct ArchiveWriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

QString archiveError(archive* a) {
    const char* text = archive_error_string(a);
    return text ? QString::fromUtf8(text) : QStringLiteral("unknown error");
}

// --- writing

QByteArray manifestFor(const Course& course) {
    QJsonArray files;
    QMap<QString, QString> hashes;
    for (const QString& path : detail::sortedPaths(course.files.keys())) {
        const QByteArray& bytes = course.files.value(path);
        hashes.insert(path, detail::sha256Hex(bytes));
        files.append(QJsonObject{{QStringLiteral("path"), path},
                                 {QStringLiteral("size"), static_cast<double>(bytes.size())},
                                 {QStringLiteral("sha256"), hashes.value(path)}});
    }
    const QJsonObject summary{{QStringLiteral("id"), course.id},
                              {QStringLiteral("title"), course.title},
                              {QStringLiteral("version"), course.version},
                              {QStringLiteral("language"), course.language}};
    const QJsonObject manifest{{QStringLiteral("format"), QStringLiteral("kitepack")},
                               {QStringLiteral("format_version"), kPackFormatVersion},
                               {QStringLiteral("course"), summary},
                               {QStringLiteral("files"), files},
                               {QStringLiteral("content_sha256"), detail::contentSha256(hashes)}};
    return QJsonDocument(manifest).toJson(QJsonDocument::Indented);
}

la_ssize_t appendToByteArray(archive*, void* buffer, const void* data, size_t length) {
    static_cast<QByteArray*>(buffer)->append(static_cast<const char*>(data), static_cast<qsizetype>(length));
    return static_cast<la_ssize_t>(length);
}

// Adds one regular file with the fixed owner, mode and time that make
// packages reproducible.
Status addEntry(archive* a, const QString& path, const QByteArray& bytes) {
    std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname_utf8(entry.get(), path.toUtf8().constData());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), bytes.size());
    archive_entry_set_mtime(entry.get(), 0, 0);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    if (archive_write_header(a, entry.get()) < ARCHIVE_WARN ||
        archive_write_data(a, bytes.constData(), static_cast<size_t>(bytes.size())) != bytes.size())
        return Error{QStringLiteral("%1: %2").arg(path, archiveError(a)).toStdString()};
    return success();
}

// The bytes of the package: the manifest, then the files in path order.
Result<QByteArray> archiveBytes(const Course& course) {
    QByteArray out;
    std::unique_ptr<archive, ArchiveWriteFree> a(archive_write_new());
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
        // No time in the gzip header, so that the same course packs to the same bytes.
        archive_write_set_options(a.get(), "gzip:!timestamp") != ARCHIVE_OK ||
        // The gzip stream ends where it ends, without padding to a tape block.
        archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
        archive_write_open2(a.get(), &out, nullptr, appendToByteArray, nullptr, nullptr) != ARCHIVE_OK)
        return Error{"cannot start the package: " + archiveError(a.get()).toStdString()};
    if (Status s = addEntry(a.get(), kManifest, manifestFor(course)); !s) return s.error();
    for (const QString& path : detail::sortedPaths(course.files.keys()))
        if (Status s = addEntry(a.get(), path, course.files.value(path)); !s) return s.error();
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return Error{"cannot finish the package: " + archiveError(a.get()).toStdString()};
    return out;
}

// Why `course` cannot be packed, or "" when it can.
QString unpackableReason(const Course& course) {
    if (!course.files.contains(QStringLiteral("course.json"))) return QStringLiteral("the course has no course.json");
    for (const QString& path : course.files.keys()) {
        const QString reason = detail::unsafePathReason(path);
        if (!reason.isEmpty()) return QStringLiteral("%1: %2").arg(path, reason);
        // libarchive 3.6 crashes writing a non-ASCII name in the C locale.
        if (!detail::isPortablePath(path)) return QStringLiteral("%1: not a portable file name").arg(path);
        if (path == kManifest) return QStringLiteral("%1 is the name of the manifest, not a course file").arg(path);
    }
    return {};
}

// --- reading

// The entries of a package as unpacked, before they are checked against the manifest.
struct Unpacked {
    QByteArray manifest;
    QMap<QString, QByteArray> files;
    qint64 bytes = 0;
};

// Reads the data of the current entry into `data`; "" or why not.
QString readEntryData(archive* a, const QString& path, Unpacked& unpacked, QByteArray& data) {
    char buffer[64 * 1024];
    for (;;) {
        const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
        if (n == 0) return {};
        if (n < 0) return QStringLiteral("the package is damaged (%1: %2)").arg(path, archiveError(a));
        data.append(buffer, static_cast<qsizetype>(n));
        unpacked.bytes += n;
        if (data.size() > detail::kMaxFileBytes)
            return QStringLiteral("%1 is larger than %2 MB, the most a course file may be")
                .arg(path)
                .arg(detail::kMaxFileBytes >> 20);
        if (unpacked.bytes > detail::kMaxCourseBytes)
            return QStringLiteral("the package is larger than %1 MB unpacked, the most it may be")
                .arg(detail::kMaxCourseBytes >> 20);
    }
}

// Why the entry `path` may not be in a package at this position, or "".
QString entryProblem(archive_entry* entry, const QString& path, bool first, const Unpacked& unpacked) {
    if (first && path != kManifest)
        return QStringLiteral("the first entry must be %1, not '%2': this is not a .kitepack, or it is damaged")
            .arg(kManifest, path);
    if (archive_entry_filetype(entry) != AE_IFREG)
        return QStringLiteral("'%1' is not a plain file (links and folders are not allowed)").arg(path);
    const QString reason = detail::unsafePathReason(path);
    if (!reason.isEmpty()) return QStringLiteral("entry '%1': %2 is not allowed").arg(path, reason);
    if (!first && (path == kManifest || unpacked.files.contains(path)))
        return QStringLiteral("'%1' is in the package twice").arg(path);
    return {};
}

// Unpacks every entry into `unpacked`; "" or why the package cannot be read.
QString unpack(const QByteArray& bytes, Unpacked& unpacked) {
    if (bytes.isEmpty()) return QStringLiteral("the file is empty");
    std::unique_ptr<archive, ArchiveReadFree> a(archive_read_new());
    archive_read_support_filter_gzip(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_memory(a.get(), bytes.constData(), static_cast<size_t>(bytes.size())) != ARCHIVE_OK)
        return QStringLiteral("the package is damaged, or not a .kitepack: %1").arg(archiveError(a.get()));
    for (bool first = true;; first = false) {
        archive_entry* entry = nullptr;
        const int status = archive_read_next_header(a.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN) return QStringLiteral("the package is damaged: %1").arg(archiveError(a.get()));
        if (first && archive_filter_code(a.get(), 0) != ARCHIVE_FILTER_GZIP)
            return QStringLiteral("not a .kitepack: the tar is not gzip-compressed");
        // Names are ASCII (checked with the course), but a damaged or foreign
        // package may hold others, which libarchive cannot always give as UTF-8.
        const char* utf8 = archive_entry_pathname_utf8(entry);
        const char* raw = archive_entry_pathname(entry);
        if (!utf8 && !raw) return QStringLiteral("an entry has no readable name");
        const QString path = utf8 ? QString::fromUtf8(utf8) : QString::fromLocal8Bit(raw);
        if (QString problem = entryProblem(entry, path, first, unpacked); !problem.isEmpty()) return problem;
        QByteArray data;
        if (QString problem = readEntryData(a.get(), path, unpacked, data); !problem.isEmpty()) return problem;
        if (first)
            unpacked.manifest = data;
        else
            unpacked.files.insert(path, data);
    }
    if (unpacked.manifest.isNull())
        return QStringLiteral("the package has no %1: it is not a .kitepack").arg(kManifest);
    return {};
}

// The manifest as read.
struct ManifestFile {
    QString path;
    int size = 0;
    QString sha256;
    QString pointer;
};
struct Manifest {
    Course summary;  // id, title, version and language
    QList<ManifestFile> files;
    QString contentSha256;
};

void readManifestFiles(detail::JsonFields& fields, detail::JsonReport& report, Manifest& manifest) {
    const QJsonArray files = fields.array(QStringLiteral("files"), Presence::Required).value_or(QJsonArray());
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString pointer = detail::childPointer(fields.pointer(QStringLiteral("files")), i);
        detail::JsonFields file(files.at(i).toObject(), pointer, report, QStringLiteral("files[%1]").arg(i));
        ManifestFile entry;
        entry.pointer = pointer;
        entry.path = file.text(QStringLiteral("path"), Presence::Required).value_or(QString());
        entry.size = file.wholeNumber(QStringLiteral("size"), Presence::Required, 0).value_or(-1);
        entry.sha256 = file.text(QStringLiteral("sha256"), Presence::Required).value_or(QString());
        manifest.files.append(entry);
    }
}

std::optional<Manifest> readManifest(const QByteArray& bytes, const QString& file, Problems& problems) {
    const int errorsBefore = problems.errorCount();
    const auto document = detail::parseJsonFile(bytes, file, problems);
    if (!document) return std::nullopt;
    detail::JsonReport report(problems, file, detail::JsonLines::scan(bytes));
    detail::JsonFields fields(document->object(), QString(), report, QStringLiteral("manifest"));
    Manifest manifest;
    if (fields.text(QStringLiteral("format"), Presence::Required).value_or(QString()) != u"kitepack")
        fields.error(QStringLiteral("format"), QStringLiteral("'format' must be \"kitepack\""));
    if (const auto version = fields.wholeNumber(QStringLiteral("format_version"), Presence::Required, 1);
        version && *version != kPackFormatVersion)
        fields.error(QStringLiteral("format_version"),
                     QStringLiteral("format_version %1 is newer than this Kite reads (%2): update Kite")
                         .arg(*version)
                         .arg(kPackFormatVersion));
    const QJsonObject course = fields.object(QStringLiteral("course"), Presence::Required).value_or(QJsonObject());
    manifest.summary.id = course.value(QStringLiteral("id")).toString();
    manifest.summary.title = course.value(QStringLiteral("title")).toString();
    manifest.summary.version = course.value(QStringLiteral("version")).toInt();
    manifest.summary.language = course.value(QStringLiteral("language")).toString();
    readManifestFiles(fields, report, manifest);
    manifest.contentSha256 = fields.text(QStringLiteral("content_sha256"), Presence::Required).value_or(QString());
    if (problems.errorCount() != errorsBefore) return std::nullopt;
    return manifest;
}

// Checks that the unpacked files are exactly those of the manifest, with
// their sizes and hashes, and that content_sha256 names them.
void checkAgainstManifest(const Manifest& manifest, const Unpacked& unpacked, const QString& name, Problems& problems) {
    const QString manifestFile = name + u'/' + kManifest;
    const QString damaged = QStringLiteral("the package is damaged or was changed after it was built");
    QMap<QString, QString> hashes;
    for (const ManifestFile& file : manifest.files) {
        const QString where = name + u'/' + file.path;
        if (hashes.contains(file.path)) {
            problems.error(manifestFile, 0, QStringLiteral("'%1' is listed twice").arg(file.path));
        } else if (!unpacked.files.contains(file.path)) {
            problems.error(where, 0, QStringLiteral("missing from the package, but listed in its manifest"));
        } else if (const QByteArray& bytes = unpacked.files.value(file.path); bytes.size() != file.size) {
            problems.error(
                where, 0,
                QStringLiteral("%1 bytes, but the manifest says %2: %3").arg(bytes.size()).arg(file.size).arg(damaged));
        } else if (detail::sha256Hex(bytes) != file.sha256) {
            problems.error(where, 0, QStringLiteral("SHA-256 does not match the manifest: %1").arg(damaged));
        }
        hashes.insert(file.path, file.sha256);
    }
    for (const QString& path : unpacked.files.keys())
        if (!hashes.contains(path))
            problems.error(name + u'/' + path, 0, QStringLiteral("in the package, but not listed in its manifest"));
    if (detail::contentSha256(hashes) != manifest.contentSha256)
        problems.error(manifestFile, 0, QStringLiteral("content_sha256 does not match the files: %1").arg(damaged));
}

// The manifest's summary of the course must agree with course.json.
void checkSummary(const Manifest& manifest, const Course& course, const QString& name, Problems& problems) {
    const Course& said = manifest.summary;
    if (said.id != course.id || said.version != course.version || said.title != course.title ||
        said.language != course.language)
        problems.error(
            name + u'/' + kManifest, 0,
            QStringLiteral("the manifest describes course '%1' version %2, but course.json is '%3' version %4")
                .arg(said.id)
                .arg(said.version)
                .arg(course.id)
                .arg(course.version));
}

}  // namespace

Result<QByteArray> packBytes(const Course& course) {
    if (const QString reason = unpackableReason(course); !reason.isEmpty())
        return Error{QStringLiteral("cannot pack: %1").arg(reason).toStdString()};
    return archiveBytes(course);
}

Status writePack(const Course& course, const QString& path) {
    Result<QByteArray> bytes = packBytes(course);
    if (!bytes) return Error{path.toStdString() + ": " + bytes.error().message};
    QSaveFile file(path);  // writes beside `path` and renames on commit()
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.value()) != bytes->size() || !file.commit())
        return Error{QStringLiteral("%1: cannot write the package: %2").arg(path, file.errorString()).toStdString()};
    return success();
}

CheckReport readPack(const QString& path) {
    CheckReport report;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        report.problems.append({path, 0, QStringLiteral("cannot read the package: %1").arg(file.errorString()), false});
        return report;
    }
    if (file.size() > kMaxPackBytes) {
        report.problems.append(
            {path, 0, QStringLiteral("the package is larger than %1 MB, the most it may be").arg(kMaxPackBytes >> 20),
             false});
        return report;
    }
    return readPackBytes(file.readAll(), path);
}

CheckReport readPackBytes(const QByteArray& bytes, const QString& nameForMessages) {
    CheckReport report;
    Unpacked unpacked;
    if (const QString problem = unpack(bytes, unpacked); !problem.isEmpty()) {
        report.problems.append({nameForMessages, 0, problem, false});
        return report;
    }
    Problems problems;
    const auto manifest = readManifest(unpacked.manifest, nameForMessages + u'/' + kManifest, problems);
    if (manifest) checkAgainstManifest(*manifest, unpacked, nameForMessages, problems);
    if (problems.errorCount() > 0) {
        report.problems = problems.sorted();
        return report;
    }

    // The files are what the manifest promised: now check them as a course.
    report = readCourseFiles(unpacked.files);
    for (Problem& problem : report.problems)
        problem.file = problem.file.isEmpty() ? nameForMessages : nameForMessages + u'/' + problem.file;
    if (report.course) {
        checkSummary(*manifest, *report.course, nameForMessages, problems);
        if (problems.errorCount() > 0) {
            report.course.reset();
            report.problems += problems.sorted();
        }
    }
    return report;
}

}  // namespace kite::course
