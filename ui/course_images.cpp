#include "kite/course_images.h"

#include <QBuffer>
#include <QImageReader>

namespace kite::ui {

namespace {

class Response : public QQuickImageResponse {
public:
    void finish(QImage image, QString error) {
        image_ = std::move(image);
        error_ = std::move(error);
        emit finished();
    }
    QQuickTextureFactory* textureFactory() const override {
        return image_.isNull() ? nullptr : QQuickTextureFactory::textureFactoryForImage(image_);
    }
    QString errorString() const override { return error_; }

private:
    QImage image_;
    QString error_;
};

}  // namespace

QQuickImageResponse* CourseImages::requestImageResponse(const QString& id, const QSize& requestedSize) {
    auto* response = new Response;
    const QString course = id.section(QLatin1Char('/'), 0, 0);
    const QString path = id.section(QLatin1Char('/'), 1);
    store_.run<QImage>(
        [course, path, requestedSize](store::Store& s) -> Result<QImage> {
            auto bytes = s.courseFile(course, path);
            if (!bytes) return bytes.error();
            QBuffer buffer(&*bytes);
            QImageReader reader(&buffer);
            if (requestedSize.isValid() && !requestedSize.isEmpty()) reader.setScaledSize(requestedSize);
            QImage image = reader.read();
            if (image.isNull())
                return Error{"the picture " + path.toStdString() + " of " + course.toStdString() +
                             " cannot be read: " + reader.errorString().toStdString()};
            return image;
        },
        response,
        [response](Result<QImage> image) {
            if (image)
                response->finish(std::move(*image), {});
            else
                response->finish({}, QString::fromStdString(image.error().message));
        });
    return response;
}

}  // namespace kite::ui
