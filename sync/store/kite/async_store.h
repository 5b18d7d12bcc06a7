// The store on its own thread, for the app: the GUI thread hands it work and
// gets the result back as a queued call, so it never waits on the disk.
//
// Reads for the UI go through a second, read-only Store on the GUI side
// (WAL lets them run while a write is in progress); everything that writes
// goes through here, one job at a time, in the order given.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

#include "kite/store.h"

namespace kite::store {

class AsyncStore {
public:
    // Opens the store at `path` on a new thread; `opened` is called on
    // `context`'s thread with the outcome (an error, or the open's notice).
    AsyncStore(const QString& path, QObject* context, std::function<void(Status, QString notice)> opened);
    // Finishes every job already given, then closes the store and the thread.
    ~AsyncStore();
    AsyncStore(const AsyncStore&) = delete;
    AsyncStore& operator=(const AsyncStore&) = delete;

    // Runs `work` on the store's thread, then `done` with its result on
    // `context`'s thread (not at all if `context` is gone by then). If the
    // store failed to open, work is not run and `done` gets that error.
    template <class T>
    void run(std::function<Result<T>(Store&)> work, QObject* context, std::function<void(Result<T>)> done) {
        QPointer<QObject> guard(context);
        post([work = std::move(work), guard, done = std::move(done), this](Store* store) mutable {
            Result<T> result = store ? work(*store) : Result<T>(openError());
            if (!guard) return;
            QMetaObject::invokeMethod(
                guard.data(), [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
                Qt::QueuedConnection);
        });
    }

    // The common writes.
    void recordAttempt(const AttemptRecord& attempt, QObject* context, std::function<void(Result<Recorded>)> done);
    void recordStatement(const StatementRecord& statement, QObject* context,
                         std::function<void(Result<Recorded>)> done);

    // The store's thread, for tests and diagnostics.
    QThread* thread() const { return thread_; }

private:
    void post(std::function<void(Store*)> job);
    Error openError() const;

    QThread* thread_ = nullptr;
    QObject* worker_ = nullptr;  // lives on thread_; jobs are queued calls to it
    std::unique_ptr<Store> store_;  // used only on thread_
    std::string open_error_;
};

}  // namespace kite::store
