// Pictures of lessons and items, served to QML as image://course/COURSE/PATH
// (PATH inside the course folder, e.g. images/pizza.svg). A Markdown text
// whose baseUrl is image://course/COURSE/items/ finds "../images/pizza.svg".
//
// Each picture is read and decoded on the store's thread (AsyncStore), never
// on the GUI thread; SVG at the size asked for, so it stays sharp.
#pragma once

#include <QQuickAsyncImageProvider>

#include "kite/async_store.h"

namespace kite::ui {

class CourseImages : public QQuickAsyncImageProvider {
public:
    explicit CourseImages(store::AsyncStore& store) : store_(store) {}
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;

private:
    store::AsyncStore& store_;
};

}  // namespace kite::ui
