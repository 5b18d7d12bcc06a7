#include "kite/dkt_train.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>

namespace kite::dkt {
namespace {

// Largest steps x chunks of one inference batch (bounds the workspace memory).
constexpr std::int64_t kInferenceCells = 16384;

struct Sequence {
    std::vector<std::int32_t> interactions;
    std::vector<std::size_t> answers;  // index of each interaction's answer in the dataset
};

// Each student's answers as interactions, skipping answers without a response
// and answers on skills outside `skillOf` (-1).
std::vector<Sequence> sequencesOf(const Dataset& data, const std::vector<std::int32_t>& skillOf, std::int32_t K) {
    std::vector<Sequence> out;
    std::int32_t student = -1;
    for (std::size_t i = 0; i < data.answers.size(); ++i) {
        const Answer& a = data.answers[i];
        if (a.student != student) {
            out.emplace_back();
            student = a.student;
        }
        const std::int32_t skill = skillOf[static_cast<std::size_t>(a.skill)];
        if (skill < 0 || a.outcome == Outcome::kNoResponse) continue;
        out.back().interactions.push_back(interaction(skill, a.outcome == Outcome::kCorrect, K));
        out.back().answers.push_back(i);
    }
    return out;
}

// Step-major batch of the given sequences (or parts of them), which must be
// sorted longest first (see Batch).
Batch makeBatch(const std::vector<std::span<const std::int32_t>>& chunks) {
    Batch batch;
    batch.size = static_cast<std::int32_t>(chunks.size());
    for (const auto& c : chunks) batch.steps = std::max(batch.steps, static_cast<std::int32_t>(c.size()));
    batch.interactions.assign(static_cast<std::size_t>(batch.steps) * chunks.size(), -1);
    for (std::size_t b = 0; b < chunks.size(); ++b)
        for (std::size_t t = 0; t < chunks[b].size(); ++t) batch.interactions[t * chunks.size() + b] = chunks[b][t];
    return batch;
}

// Calls f(block, n) for the parameters of `w`, in forEachBlock order.
std::vector<std::pair<float*, std::size_t>> blocksOf(Weights<float>& w) {
    std::vector<std::pair<float*, std::size_t>> out;
    w.forEachBlock([&](std::string_view, float* data, std::size_t n) { out.emplace_back(data, n); });
    return out;
}

class Adam {
public:
    Adam(const Weights<float>& shape, double rate)
        : m_(shape.skills, shape.hidden), v_(shape.skills, shape.hidden), rate_(rate) {}

    // One step along the mean-loss gradient `g` (modified: clipped).
    void step(Weights<float>& w, Weights<float>& g, double clipNorm) {
        auto gb = blocksOf(g);
        double norm2 = 0.0;
        for (auto [p, n] : gb)
            for (std::size_t i = 0; i < n; ++i) norm2 += static_cast<double>(p[i]) * p[i];
        const double norm = std::sqrt(norm2);
        const float clip = norm > clipNorm ? static_cast<float>(clipNorm / norm) : 1.0F;
        ++t_;
        const double c1 = 1.0 - std::pow(kBeta1, t_);
        const double c2 = 1.0 - std::pow(kBeta2, t_);
        const auto step = static_cast<float>(rate_ * std::sqrt(c2) / c1);
        auto wb = blocksOf(w);
        auto mb = blocksOf(m_);
        auto vb = blocksOf(v_);
        for (std::size_t k = 0; k < wb.size(); ++k) {
            float* wp = wb[k].first;
            const float* gp = gb[k].first;
            float* mp = mb[k].first;
            float* vp = vb[k].first;
            for (std::size_t i = 0; i < wb[k].second; ++i) {
                const float gi = gp[i] * clip;
                mp[i] = kBeta1 * mp[i] + (1.0F - kBeta1) * gi;
                vp[i] = kBeta2 * vp[i] + (1.0F - kBeta2) * gi * gi;
                wp[i] -= step * mp[i] / (std::sqrt(vp[i]) + kEpsilon * static_cast<float>(std::sqrt(c2)));
            }
        }
    }

private:
    static constexpr float kBeta1 = 0.9F;
    static constexpr float kBeta2 = 0.999F;
    static constexpr float kEpsilon = 1e-8F;
    Weights<float> m_, v_;
    double rate_;
    int t_ = 0;
};

unsigned threadCount(int requested) {
    return requested > 0 ? static_cast<unsigned>(requested) : std::max(1U, std::thread::hardware_concurrency());
}

// Runs f(part, first, count) over `n` items split into `parts` contiguous parts, one thread each.
template <class F>
void inParallel(unsigned parts, std::size_t n, F&& f) {
    parts = std::max(1U, std::min<unsigned>(parts, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
    std::vector<std::jthread> pool;
    for (unsigned p = 1; p < parts; ++p)
        pool.emplace_back([&, p] { f(p, n * p / parts, n * (p + 1) / parts - n * p / parts); });
    f(0U, std::size_t{0}, n / parts);
}

}  // namespace

DktPredictions predictDataset(const TrainedModel& model, const Dataset& data, int threads) {
    const std::int32_t K = model.weights.skills;
    std::unordered_map<std::string, std::int32_t> byName;
    for (std::size_t i = 0; i < model.skill_names.size(); ++i)
        byName.emplace(model.skill_names[i], static_cast<std::int32_t>(i));
    std::vector<std::int32_t> skillOf(static_cast<std::size_t>(data.skills.size()), -1);
    for (std::int32_t s = 0; s < data.skills.size(); ++s)
        if (auto it = byName.find(data.skills.name(s)); it != byName.end())
            skillOf[static_cast<std::size_t>(s)] = it->second;

    DktPredictions out;
    out.p_correct.assign(data.answers.size(), std::numeric_limits<double>::quiet_NaN());
    for (const Answer& a : data.answers)
        if (skillOf[static_cast<std::size_t>(a.skill)] < 0 && a.outcome != Outcome::kNoResponse)
            ++out.unknown_skill_answers;
    const std::vector<Sequence> sequences = sequencesOf(data, skillOf, K);
    // Longest first, in batches whose steps x size stays bounded.
    std::vector<std::size_t> order(sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sequences[a].interactions.size() > sequences[b].interactions.size();
    });
    std::vector<std::pair<std::size_t, std::size_t>> batches;  // [first, last) in order
    for (std::size_t i = 0; i < order.size();) {
        const auto steps = static_cast<std::int64_t>(std::max<std::size_t>(1, sequences[order[i]].interactions.size()));
        const auto size = static_cast<std::size_t>(std::max<std::int64_t>(1, kInferenceCells / steps));
        batches.emplace_back(i, std::min(order.size(), i + size));
        i = batches.back().second;
    }
    std::atomic<std::size_t> next{0};
    inParallel(threadCount(threads), threadCount(threads), [&](unsigned, std::size_t, std::size_t) {
        Workspace<float> ws;
        for (std::size_t k; (k = next.fetch_add(1)) < batches.size();) {
            std::vector<std::span<const std::int32_t>> chunks;
            for (std::size_t i = batches[k].first; i < batches[k].second; ++i)
                chunks.emplace_back(sequences[order[i]].interactions);
            const Batch batch = makeBatch(chunks);
            const std::vector<float> p = predictBatch(model.weights, batch, ws);
            for (std::size_t b = 0; b < chunks.size(); ++b) {
                const Sequence& s = sequences[order[batches[k].first + b]];
                for (std::size_t t = 1; t < s.answers.size(); ++t)
                    out.p_correct[s.answers[t]] = p[t * chunks.size() + b];
            }
        }
    });
    return out;
}

Metrics evaluate(const Dataset& data, const DktPredictions& predictions) {
    std::vector<double> p;
    std::vector<signed char> y;
    for (std::size_t i = 0; i < data.answers.size(); ++i) {
        if (std::isnan(predictions.p_correct[i]) || data.answers[i].outcome == Outcome::kNoResponse) continue;
        p.push_back(predictions.p_correct[i]);
        y.push_back(data.answers[i].outcome == Outcome::kCorrect ? 1 : 0);
    }
    return computeMetrics(p, y);
}

Result<TrainedModel> train(const Dataset& data, const Dataset* valid, const TrainOptions& o) {
    if (o.hidden < 1 || o.hidden > 4096) return Error{"hidden size must be between 1 and 4096"};
    if (o.batch < 1) return Error{"batch size must be at least 1"};
    if (o.max_epochs < 1) return Error{"epochs must be at least 1"};
    if (!(o.learning_rate > 0.0)) return Error{"learning rate must be greater than 0"};
    if (!(o.dropout >= 0.0 && o.dropout < 1.0)) return Error{"dropout must be in [0, 1)"};
    if (!(o.valid_fraction > 0.0 && o.valid_fraction < 1.0) && valid == nullptr)
        return Error{"validation fraction must be in (0, 1) when no validation file is given"};
    if (o.max_steps < 2) return Error{"chunk length must be at least 2"};

    const std::int32_t K = data.skills.size();
    TrainedModel model;
    model.skill_names = data.skills.names();
    model.weights = Weights<float>(K, o.hidden);
    model.weights.initialise(o.seed);

    std::vector<std::int32_t> identity(static_cast<std::size_t>(K));
    std::iota(identity.begin(), identity.end(), 0);
    std::vector<Sequence> students = sequencesOf(data, identity, K);

    // Hold out students for early stopping when no validation set is given.
    Dataset heldOut;
    if (valid == nullptr) {
        std::vector<std::size_t> order(students.size());
        std::iota(order.begin(), order.end(), 0);
        std::mt19937_64 rng(o.seed ^ 0x9e3779b97f4a7c15ULL);
        std::shuffle(order.begin(), order.end(), rng);
        const auto held = static_cast<std::size_t>(std::ceil(o.valid_fraction * static_cast<double>(students.size())));
        std::vector<char> isHeld(students.size(), 0);
        for (std::size_t i = 0; i < held && i < order.size(); ++i) isHeld[order[i]] = 1;
        heldOut.skills = data.skills;
        std::vector<Sequence> kept;
        for (std::size_t s = 0; s < students.size(); ++s) {
            if (isHeld[s] == 0) {
                kept.push_back(std::move(students[s]));
                continue;
            }
            const std::int32_t id = heldOut.students.intern(std::to_string(s));
            for (std::size_t i : students[s].answers) {
                Answer a = data.answers[i];
                a.student = id;
                heldOut.answers.push_back(a);
            }
        }
        students = std::move(kept);
        valid = &heldOut;
    }

    // Chunks for truncated BPTT, grouped into batches of similar length.
    std::vector<std::span<const std::int32_t>> chunks;
    for (const Sequence& s : students) {
        model.answers += static_cast<long long>(s.interactions.size());
        for (std::size_t at = 0; at < s.interactions.size(); at += static_cast<std::size_t>(o.max_steps)) {
            const std::size_t n = std::min(s.interactions.size() - at, static_cast<std::size_t>(o.max_steps));
            if (n >= 2) chunks.emplace_back(s.interactions.data() + at, n);
        }
    }
    if (chunks.empty()) return Error{"no student has two answers in a row to learn from"};
    // Batches are drawn anew each epoch from the shuffled chunks, so their
    // mix is random (a batch of only short chunks would give students'
    // first answers too much weight); within a batch, chunks are sorted
    // longest first and the kernels skip the steps after a chunk's end.
    const auto batchSize = static_cast<std::size_t>(o.batch);
    auto drawBatches = [&](std::mt19937_64& rng) {
        std::shuffle(chunks.begin(), chunks.end(), rng);
        std::vector<Batch> out;
        for (std::size_t i = 0; i < chunks.size(); i += batchSize) {
            std::vector<std::span<const std::int32_t>> members(
                chunks.begin() + static_cast<std::ptrdiff_t>(i),
                chunks.begin() + static_cast<std::ptrdiff_t>(std::min(chunks.size(), i + batchSize)));
            std::stable_sort(members.begin(), members.end(),
                             [](const auto& a, const auto& b) { return a.size() > b.size(); });
            out.push_back(makeBatch(members));
        }
        return out;
    };

    const unsigned threads = threadCount(o.threads);
    std::vector<Weights<float>> grads(threads, Weights<float>(K, o.hidden));
    std::vector<Workspace<float>> workspaces(threads);
    std::vector<Loss> losses(threads);
    Adam adam(model.weights, o.learning_rate);
    std::mt19937_64 shuffler(o.seed);

    Weights<float> best = model.weights;
    double bestAuc = -1.0;
    int sinceBest = 0;
    double spent = 0.0;
    for (int epoch = 1; epoch <= o.max_epochs; ++epoch) {
        const auto began = std::chrono::steady_clock::now();
        const std::vector<Batch> batches = drawBatches(shuffler);
        double lossSum = 0.0;
        long long predictions = 0;
        for (std::size_t k = 0; k < batches.size(); ++k) {
            if (o.stop_requested && o.stop_requested()) return Error{"stopped"};
            const Batch& batch = batches[k];
            // Data parallel: each thread takes a slice of the batch's chunks.
            inParallel(
                threads, static_cast<std::size_t>(batch.size),
                [&](unsigned part, std::size_t first, std::size_t count) {
                    grads[part].setZero();
                    losses[part] = Loss{};
                    if (count == 0) return;
                    Batch slice;
                    slice.size = static_cast<std::int32_t>(count);
                    slice.steps = batch.steps;
                    slice.interactions.resize(static_cast<std::size_t>(batch.steps) * count);
                    for (std::int32_t t = 0; t < batch.steps; ++t)
                        for (std::size_t b = 0; b < count; ++b)
                            slice.interactions[static_cast<std::size_t>(t) * count + b] =
                                batch.interactions[static_cast<std::size_t>(t) * static_cast<std::size_t>(batch.size) +
                                                   first + b];
                    const std::uint64_t seed =
                        o.seed + 1000003ULL * static_cast<std::uint64_t>(epoch) + 7919ULL * k + part;
                    losses[part] =
                        lossAndGradient(model.weights, slice, o.dropout, seed, grads[part], workspaces[part]);
                });
            Loss total;
            for (unsigned p = 0; p < threads; ++p) {
                total.sum += losses[p].sum;
                total.predictions += losses[p].predictions;
                if (p > 0) {
                    grads[0].input += grads[p].input;
                    grads[0].recurrent += grads[p].recurrent;
                    grads[0].bias += grads[p].bias;
                    grads[0].output += grads[p].output;
                    grads[0].output_bias += grads[p].output_bias;
                }
            }
            if (total.predictions == 0) continue;
            const float inverse = 1.0F / static_cast<float>(total.predictions);
            for (auto [p, n] : blocksOf(grads[0]))
                for (std::size_t i = 0; i < n; ++i) p[i] *= inverse;
            adam.step(model.weights, grads[0], o.clip_norm);
            lossSum += total.sum;
            predictions += total.predictions;
        }
        const auto trained = std::chrono::steady_clock::now();
        const double auc = evaluate(*valid, predictDataset(model, *valid, o.threads)).auc;
        const auto validated = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(validated - began).count();
        spent += seconds;
        EpochReport report;
        report.epoch = epoch;
        report.max_epochs = o.max_epochs;
        report.train_loss = predictions > 0 ? lossSum / static_cast<double>(predictions) : 0.0;
        report.valid_auc = auc;
        report.seconds = seconds;
        report.train_seconds = std::chrono::duration<double>(trained - began).count();
        report.valid_seconds = std::chrono::duration<double>(validated - trained).count();
        report.eta_seconds = spent / epoch * (o.max_epochs - epoch);
        report.improved = auc > bestAuc;
        model.epochs = epoch;
        if (report.improved) {
            bestAuc = auc;
            best = model.weights;
            model.best_epoch = epoch;
            sinceBest = 0;
        } else {
            ++sinceBest;
        }
        if (o.on_epoch) o.on_epoch(report);
        if (sinceBest >= o.patience) break;
    }
    model.weights = std::move(best);
    model.valid_auc = bestAuc;
    return model;
}

}  // namespace kite::dkt
