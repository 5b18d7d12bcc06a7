#include "kite/async_store.h"

namespace kite::store {

AsyncStore::AsyncStore(const QString& path, QObject* context, std::function<void(Status, QString)> opened) {
    thread_ = new QThread();
    thread_->setObjectName(QStringLiteral("kite-store"));
    worker_ = new QObject();
    worker_->moveToThread(thread_);
    thread_->start();
    QPointer<QObject> guard(context);
    post([this, path, guard, opened = std::move(opened)](Store*) {
        auto store = Store::open(path);
        Status status = success();
        QString notice;
        if (store) {
            store_ = std::move(store.value());
            notice = store_->notice();
        } else {
            open_error_ = store.error().message;
            status = store.error();
        }
        if (guard && opened) {
            QMetaObject::invokeMethod(guard.data(), [opened, status, notice] { opened(status, notice); },
                                      Qt::QueuedConnection);
        }
    });
}

AsyncStore::~AsyncStore() {
    // Jobs are queued events of worker_: deleting it last, from its own
    // thread, lets every earlier job run first.
    post([this](Store*) {
        store_.reset();
        delete worker_;
        QThread::currentThread()->quit();
    });
    thread_->wait();
    delete thread_;
}

void AsyncStore::post(std::function<void(Store*)> job) {
    QMetaObject::invokeMethod(worker_, [this, job = std::move(job)] { job(store_.get()); }, Qt::QueuedConnection);
}

Error AsyncStore::openError() const {
    return Error{open_error_.empty() ? std::string("the store is not open") : open_error_};
}

void AsyncStore::recordAttempt(const AttemptRecord& attempt, QObject* context,
                               std::function<void(Result<Recorded>)> done) {
    run<Recorded>([attempt](Store& s) { return s.recordAttempt(attempt); }, context, std::move(done));
}

void AsyncStore::recordStatement(const StatementRecord& statement, QObject* context,
                                 std::function<void(Result<Recorded>)> done) {
    run<Recorded>([statement](Store& s) { return s.recordStatement(statement); }, context, std::move(done));
}

}  // namespace kite::store
