#include "kite/push_committer.h"

#include <future>

#include "kite/server_metrics.h"

namespace kite::server {

PushCommitter::PushCommitter(QString dataDir) : data_dir_(std::move(dataDir)) {}

Result<std::unique_ptr<PushCommitter>> PushCommitter::start(const QString& dataDir) {
    std::unique_ptr<PushCommitter> committer(new PushCommitter(dataDir));
    std::promise<Status> opened;
    auto result = opened.get_future();
    committer->thread_ = std::thread([c = committer.get(), &opened] {
        c->run([&opened](Status s) { opened.set_value(std::move(s)); });
    });
    if (Status s = result.get(); !s) return s.error();  // the thread has ended
    return committer;
}

PushCommitter::~PushCommitter() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PushCommitter::submit(PushBatch batch, Done done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(Pending{std::move(batch), std::move(done)});
    }
    wake_.notify_one();
}

void PushCommitter::run(std::function<void(Status)> opened) {
    // Qt SQL connections belong to the thread that opens them.
    // Checkpoints are the workers' (ServerStore::housekeeping): none inside
    // a push's commit.
    auto store = openSqliteStore(data_dir_, QStringLiteral("push"), SqliteOptions{SqlSync::Full, false, 64});
    if (!store) {
        opened(store.error());
        return;
    }
    opened(success());
    Histogram& commitSizes = Metrics::histogram(QStringLiteral("kite_push_group_commit_size"),
                                                QStringLiteral("Pushes committed together in one transaction."),
                                                {1, 2, 4, 8, 16, 32, 64, 128, 256, 512});
    for (;;) {
        std::vector<Pending> taken;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            int events = 0;
            while (!queue_.empty() && (taken.empty() || events + queue_.front().batch.events.size() <= kMaxEventsPerCommit)) {
                events += static_cast<int>(queue_.front().batch.events.size());
                taken.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        QList<PushBatch> batches;
        batches.reserve(static_cast<qsizetype>(taken.size()));
        for (const Pending& p : taken) batches.push_back(p.batch);
        auto outcomes = (*store)->pushMany(batches);
        commitSizes.observe({}, static_cast<double>(batches.size()));
        QMetaObject::invokeMethod(this, [this, taken = std::move(taken), outcomes = std::move(outcomes)] {
            bool fresh = false;
            for (std::size_t i = 0; i < taken.size(); ++i) {
                if (outcomes) {
                    fresh = fresh || (*outcomes)[static_cast<qsizetype>(i)].accepted > 0;
                    taken[i].done((*outcomes)[static_cast<qsizetype>(i)]);
                } else {
                    taken[i].done(outcomes.error());
                }
            }
            if (fresh && on_committed_) on_committed_();
        }, Qt::QueuedConnection);
    }
}

}  // namespace kite::server
