// Pictures of a course, read and decoded on the store's thread and served
// as image://course/COURSE/PATH: an SVG at the size asked for, and a clear
// error for a picture the course does not have.
#include <QGuiApplication>
#include <QQuickImageResponse>
#include <QQuickTextureFactory>
#include <QSignalSpy>

#include "kite/course_images.h"
#include "store_fixture.h"

namespace {

using kite::ui::CourseImages;

class CourseImagesTest : public kite::testing::StoreFixtureOf<QGuiApplication> {};

TEST_F(CourseImagesTest, AnSvgOfTheCourseIsDrawnAtTheSizeAskedFor) {
    CourseImages images(*async_);
    std::unique_ptr<QQuickImageResponse> response(
        images.requestImageResponse(QStringLiteral("fractions/images/circle-quarters.svg"), QSize(120, 120)));
    QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
    ASSERT_TRUE(finished.wait(10'000));
    EXPECT_TRUE(response->errorString().isEmpty()) << response->errorString().toStdString();
    std::unique_ptr<QQuickTextureFactory> factory(response->textureFactory());
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(factory->image().size(), QSize(120, 120));
}

TEST_F(CourseImagesTest, APictureTheCourseDoesNotHaveIsAnErrorNamingIt) {
    CourseImages images(*async_);
    std::unique_ptr<QQuickImageResponse> response(
        images.requestImageResponse(QStringLiteral("fractions/images/no-such.svg"), QSize()));
    QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
    ASSERT_TRUE(finished.wait(10'000));
    EXPECT_EQ(response->textureFactory(), nullptr);
    EXPECT_TRUE(response->errorString().contains(QStringLiteral("no-such.svg"))) << response->errorString().toStdString();
}

}  // namespace
