#include "kite/bkt_fit.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "bkt_estep.h"
#include "bkt_sequences.h"
#include "splitmix64.h"

namespace kite::bkt {
namespace {

using detail::EStepScratch;
using detail::kMaxLanes;
using detail::LaneCounts;
using detail::LaneParams;
using detail::SkillSequences;

// Extrapolated SQUAREM points stay this far inside the bounds: a parameter at
// exactly 0 or 1 is a fixed point of EM and would never move again.
constexpr double kInteriorMargin = 1e-10;

// One start's parameters as a vector: [prior, learn, forget, guess_0..guess_{I-1}, slip_0..slip_{I-1}].
using Theta = std::vector<double>;

struct Layout {
    int items = 1;
    bool forgets = false;
    std::vector<Bounds> bounds;  // per coordinate
    std::vector<char> free;      // coordinates EM updates (forget is fixed at its start without forgets)
    // learn of a skill without a single transition out of U: the data says
    // nothing about it. pyBKT sets 1 (kept in fixed-iteration mode for parity);
    // otherwise the documented default, which predicts a student's second try
    // far better than certainty that the skill was learned.
    double learnWithoutEvidence = kUnseenSkillDefaults.learn;

    Layout(int itemCount, const FitOptions& o)
        : items(itemCount),
          forgets(o.forgets),
          learnWithoutEvidence(o.fixed_iterations > 0 ? 1.0 : kUnseenSkillDefaults.learn) {
        bounds = {o.prior, o.learn, o.forget};
        bounds.insert(bounds.end(), static_cast<std::size_t>(items), o.guess);
        bounds.insert(bounds.end(), static_cast<std::size_t>(items), o.slip);
        free.assign(bounds.size(), 1);
        free[2] = forgets ? 1 : 0;
    }
    std::size_t size() const { return bounds.size(); }
    std::size_t guess(int item) const { return 3 + static_cast<std::size_t>(item); }
    std::size_t slip(int item) const { return 3 + static_cast<std::size_t>(items + item); }
};

double clampTo(double v, const Bounds& b) {
    return std::min(std::max(v, b.lo), b.hi);
}

Theta thetaFrom(const Params& p, const Layout& layout) {
    Theta t(layout.size());
    t[0] = p.prior;
    t[1] = p.learn;
    t[2] = layout.forgets ? p.forget : 0.0;
    for (int i = 0; i < layout.items; ++i) {
        t[layout.guess(i)] = p.guess;
        t[layout.slip(i)] = p.slip;
    }
    for (std::size_t k = 0; k < t.size(); ++k) t[k] = clampTo(t[k], layout.bounds[k]);
    return t;
}

std::uint64_t hashName(const std::string& name) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
    return h;
}

// Random start k >= 1 of a skill. Ranges are documented in docs/formats.md.
Theta randomTheta(std::uint64_t seed, const std::string& skill, int restart, const Layout& layout) {
    kite::detail::SplitMix64 rng(seed ^ hashName(skill) ^
                                 (0x5851f42d4c957f2dULL * static_cast<std::uint64_t>(restart)));
    Theta t(layout.size());
    t[0] = rng.uniform(0.05, 0.95);
    t[1] = rng.uniform(0.01, 0.5);
    t[2] = layout.forgets ? rng.uniform(0.01, 0.2) : 0.0;
    for (int i = 0; i < layout.items; ++i) {
        t[layout.guess(i)] = rng.uniform(0.01, 0.4);
        t[layout.slip(i)] = rng.uniform(0.01, 0.4);
    }
    for (std::size_t k = 0; k < t.size(); ++k) t[k] = clampTo(t[k], layout.bounds[k]);
    return t;
}

void loadLane(const Theta& t, int lane, const Layout& layout, LaneParams& p) {
    const auto r = static_cast<std::size_t>(lane);
    p.prior[r] = t[0];
    p.learn[r] = t[1];
    p.forget[r] = t[2];
    for (int i = 0; i < layout.items; ++i) p.setEmission(i, lane, t[layout.guess(i)], t[layout.slip(i)]);
}

// M-step: the parameters that maximise the expected complete-data likelihood,
// clamped to their bounds (exact, since each parameter's term is concave and
// separate). Empty counts, as in pyBKT: none out of K gives forget 0, no
// answers in a state gives guess or slip 0.5; none out of U: see Layout.
Theta mStep(const LaneCounts& c, int lane, const Layout& layout, const Theta& current) {
    const auto r = static_cast<std::size_t>(lane);
    Theta t(layout.size());
    t[0] = c.init_total > 0.0 ? c.init_known[r] / c.init_total : current[0];
    const double outU = c.uu[r] + c.uk[r];
    const double outK = c.ku[r] + c.kk[r];
    t[1] = outU > 0.0 ? c.uk[r] / outU : layout.learnWithoutEvidence;
    t[2] = layout.forgets ? (outK > 0.0 ? c.ku[r] / outK : 0.0) : current[2];
    for (int i = 0; i < layout.items; ++i) {
        const double* e = &c.emission[static_cast<std::size_t>(i * 4 * kMaxLanes)];
        const double inU = e[kMaxLanes + r];
        const double inK = e[3 * kMaxLanes + r];
        t[layout.guess(i)] = inU > 0.0 ? e[r] / inU : 0.5;
        t[layout.slip(i)] = inK > 0.0 ? e[2 * kMaxLanes + r] / inK : 0.5;
    }
    for (std::size_t k = 0; k < t.size(); ++k)
        if (layout.free[k] != 0) t[k] = clampTo(t[k], layout.bounds[k]);
    return t;
}

double maxChange(const Theta& a, const Theta& b) {
    double m = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) m = std::max(m, std::abs(a[k] - b[k]));
    return m;
}

// One start's progress through EM accelerated by SQUAREM (scheme S3 with the
// step-length rules of the SQUAREM package). Each cycle evaluates the EM map at
// theta0, theta1 = M(theta0) and an extrapolated point; the extrapolation is
// kept only if its log-likelihood is at least that of theta1, so the
// log-likelihood at the start of each cycle never decreases.
struct Start {
    enum class Stage { kAtTheta0, kAtTheta1, kAtExtrapolated };
    Stage stage = Stage::kAtTheta0;
    Theta theta0, theta1, theta2, extrapolated;
    double loglik0 = -std::numeric_limits<double>::infinity();
    double loglik1 = 0.0;
    double stepMax = 1.0;
    int evaluations = 0;
    int updates = 0;  // fixed-iteration mode
    bool done = false;
    bool converged = false;

    const Theta& point() const {
        switch (stage) {
            case Stage::kAtTheta0: return theta0;
            case Stage::kAtTheta1: return theta1;
            case Stage::kAtExtrapolated: return extrapolated;
        }
        return theta0;
    }
};

Theta extrapolate(Start& s, const Layout& layout, double& alpha) {
    double sr2 = 0.0, sv2 = 0.0;
    for (std::size_t k = 0; k < layout.size(); ++k) {
        if (layout.free[k] == 0) continue;
        const double r = s.theta1[k] - s.theta0[k];
        const double v = s.theta2[k] - 2.0 * s.theta1[k] + s.theta0[k];
        sr2 += r * r;
        sv2 += v * v;
    }
    alpha = sv2 > 0.0 ? std::sqrt(sr2 / sv2) : s.stepMax;
    alpha = std::clamp(alpha, 1.0, s.stepMax);
    Theta t = s.theta2;
    for (std::size_t k = 0; k < layout.size(); ++k) {
        if (layout.free[k] == 0) continue;
        const double r = s.theta1[k] - s.theta0[k];
        const double v = s.theta2[k] - 2.0 * s.theta1[k] + s.theta0[k];
        const double x = s.theta0[k] + 2.0 * alpha * r + alpha * alpha * v;
        const Bounds& b = layout.bounds[k];
        const double lo = std::min(b.lo + kInteriorMargin, s.theta2[k]);
        const double hi = std::max(b.hi - kInteriorMargin, s.theta2[k]);
        t[k] = std::isfinite(x) ? std::clamp(x, lo, hi) : s.theta2[k];
    }
    return t;
}

// Advances one start by the evaluation of the EM map at its current point.
void advance(Start& s, const Theta& mapped, double loglik, const Layout& layout, const FitOptions& o) {
    ++s.evaluations;
    if (o.fixed_iterations > 0) {
        s.loglik0 = loglik;
        if (s.updates == o.fixed_iterations) {
            s.done = true;
            return;
        }
        s.theta0 = mapped;
        ++s.updates;
        return;
    }
    switch (s.stage) {
        case Start::Stage::kAtTheta0:
            s.loglik0 = loglik;
            if (maxChange(mapped, s.theta0) <= o.tolerance) {
                s.done = s.converged = true;
            } else if (s.evaluations >= o.max_iterations) {
                s.done = true;
            } else {
                s.theta1 = mapped;
                s.stage = Start::Stage::kAtTheta1;
            }
            return;
        case Start::Stage::kAtTheta1: {
            s.loglik1 = loglik;
            s.theta2 = mapped;
            double alpha = 1.0;
            s.extrapolated = extrapolate(s, layout, alpha);
            if (alpha == s.stepMax && alpha > 1.0) s.stepMax *= 4.0;
            if (alpha == 1.0) {  // the plain EM step: nothing to check
                s.theta0 = s.theta2;
                s.stage = Start::Stage::kAtTheta0;
            } else {
                s.stage = Start::Stage::kAtExtrapolated;
            }
            if (alpha == 1.0 && s.stepMax == 1.0) s.stepMax = 4.0;
            return;
        }
        case Start::Stage::kAtExtrapolated:
            if (loglik >= s.loglik1) {
                s.theta0 = mapped;  // the stabilising EM step after the jump
            } else {
                s.theta0 = s.theta2;
                s.stepMax = std::max(1.0, s.stepMax / 4.0);
            }
            s.stage = Start::Stage::kAtTheta0;
            return;
    }
}

struct Workspace {
    EStepScratch scratch;
    LaneCounts counts;
    LaneParams params;
};

Params firstStart(const FitOptions& o) {
    Params first = o.start.value_or(kUnseenSkillDefaults);
    if (!o.start && o.forgets) first.forget = 0.1;
    return first;
}

int restartCount(const FitOptions& o) {
    return o.fixed_iterations > 0 ? 1 : std::max(1, o.restarts);
}

// Runs starts [first, first + count) of one skill to their end, up to
// kMaxLanes at a time in lock step, and stores them in `starts`.
void runStarts(const SkillSequences& data, const std::string& name, const FitOptions& o, int first, int count,
               std::vector<Start>& starts, Workspace& ws) {
    const Layout layout(data.itemCount(), o);
    for (int k = first; k < first + count; ++k)
        starts[static_cast<std::size_t>(k)].theta0 =
            k == 0 ? thetaFrom(firstStart(o), layout) : randomTheta(o.seed, name, k, layout);

    ws.params.resize(layout.items);
    std::vector<int> active;
    for (;;) {
        active.clear();
        for (int k = first; k < first + count && static_cast<int>(active.size()) < kMaxLanes; ++k)
            if (!starts[static_cast<std::size_t>(k)].done) active.push_back(k);
        if (active.empty()) break;
        const int lanes = static_cast<int>(active.size());
        for (int lane = 0; lane < lanes; ++lane)
            loadLane(starts[static_cast<std::size_t>(active[lane])].point(), lane, layout, ws.params);
        ws.counts.reset(layout.items);
        detail::runEStep(data, ws.params, lanes, ws.counts, ws.scratch);
        for (int lane = 0; lane < lanes; ++lane) {
            Start& s = starts[static_cast<std::size_t>(active[lane])];
            advance(s, mStep(ws.counts, lane, layout, s.point()), ws.counts.loglik[static_cast<std::size_t>(lane)],
                    layout, o);
        }
    }
}

// The skill's model from its finished starts.
SkillModel bestOf(const SkillSequences& data, const std::string& name, const FitOptions& o,
                  const std::vector<Start>& starts) {
    const Layout layout(data.itemCount(), o);
    // Best log-likelihood wins; NaN never does; ties go to the earlier start.
    std::size_t best = 0;
    for (std::size_t k = 1; k < starts.size(); ++k)
        if (starts[k].loglik0 > starts[best].loglik0 || std::isnan(starts[best].loglik0)) best = k;
    const Start& s = starts[best];

    SkillModel m;
    m.name = name;
    m.params.prior = s.theta0[0];
    m.params.learn = s.theta0[1];
    m.params.forget = s.theta0[2];
    m.params.guess = s.theta0[layout.guess(0)];
    m.params.slip = s.theta0[layout.slip(0)];
    if (!data.item_names.empty()) {
        m.item_names = data.item_names;
        double g = 0.0, sl = 0.0, n = 0.0;
        for (int i = 0; i < layout.items; ++i) {
            const Emission e{s.theta0[layout.guess(i)], s.theta0[layout.slip(i)]};
            m.items.push_back(e);
            const double w = data.item_answers[static_cast<std::size_t>(i)];
            g += w * e.guess;
            sl += w * e.slip;
            n += w;
        }
        if (n > 0.0) {
            m.params.guess = g / n;
            m.params.slip = sl / n;
        }
    }
    m.answers = data.answers;
    m.sequences = data.sequences;
    m.loglik = s.loglik0;
    m.iterations = s.evaluations;
    m.converged = s.converged || o.fixed_iterations > 0;
    return m;
}

}  // namespace

Status validate(const FitOptions& o) {
    if (o.restarts < 1 || o.restarts > 1000) return Error{"restarts must be between 1 and 1000"};
    if (o.threads < 0 || o.threads > 256) return Error{"threads must be between 0 (one per core) and 256"};
    if (!(o.tolerance > 0.0)) return Error{"tolerance must be greater than 0"};
    if (o.max_iterations < 1) return Error{"the iteration limit must be at least 1"};
    if (o.fixed_iterations < 0) return Error{"fixed iterations must be 0 (off) or more"};
    const std::pair<const char*, Bounds> bounds[] = {
        {"prior", o.prior}, {"learn", o.learn}, {"forget", o.forget}, {"guess", o.guess}, {"slip", o.slip}};
    for (const auto& [name, b] : bounds)
        if (!(b.lo >= 0.0 && b.hi <= 1.0 && b.lo <= b.hi))
            return Error{std::string("bounds of ") + name + " must satisfy 0 <= low <= high <= 1"};
    if (o.start) {
        const Params& p = *o.start;
        for (double v : {p.prior, p.learn, p.forget, p.guess, p.slip})
            if (!(v >= 0.0 && v <= 1.0)) return Error{"start parameters must be probabilities in [0, 1]"};
    }
    return success();
}

Result<Model> fit(const Dataset& data, const FitOptions& options, FitSummary* summary) {
    if (auto ok = validate(options); !ok) return ok.error();
    const bool perItem = options.emissions == ItemEmissions::kPerItem;
    if (perItem && !data.hasItems())
        return Error{"per-item guess/slip needs an item column in the data (e.g. template_id)"};
    const auto began = std::chrono::steady_clock::now();

    std::vector<SkillSequences> sequences = detail::buildSkillSequences(data, perItem);
    // Largest skills first so the threads finish together.
    std::vector<std::size_t> order(sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return sequences[a].obs.size() > sequences[b].obs.size(); });

    unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                           : std::max(1U, std::thread::hardware_concurrency());
    // A task runs some starts of one skill. With fewer skills than threads the
    // starts of each skill are shared out, so every core has work; the result
    // is the same either way, since starts do not interact.
    struct Task {
        std::size_t skill;
        int first;
        int count;
    };
    const int restarts = restartCount(options);
    const int groups = sequences.size() < threads ? std::min<int>(restarts, static_cast<int>(threads)) : 1;
    std::vector<Task> tasks;
    for (std::size_t skill : order)
        for (int g = 0; g < groups; ++g) {
            const int first = restarts * g / groups;
            tasks.push_back({skill, first, restarts * (g + 1) / groups - first});
        }

    Model model;
    model.skills.resize(sequences.size());
    std::vector<std::vector<Start>> starts(sequences.size(), std::vector<Start>(static_cast<std::size_t>(restarts)));
    std::vector<std::atomic<int>> tasksLeft(sequences.size());
    for (auto& left : tasksLeft) left = groups;
    std::atomic<std::size_t> next{0};
    std::atomic<int> finished{0};
    std::atomic<bool> stopped{false};
    const int total = static_cast<int>(sequences.size());
    auto work = [&] {
        Workspace ws;
        for (std::size_t i; (i = next.fetch_add(1)) < tasks.size();) {
            if (options.stop_requested && options.stop_requested()) {
                stopped = true;
                return;
            }
            const Task& t = tasks[i];
            const SkillSequences& s = sequences[t.skill];
            const std::string& name = data.skills.name(s.skill);
            runStarts(s, name, options, t.first, t.count, starts[t.skill], ws);
            if (tasksLeft[t.skill].fetch_sub(1) != 1) continue;  // another group of this skill still runs
            model.skills[t.skill] = bestOf(s, name, options, starts[t.skill]);
            const int done = finished.fetch_add(1) + 1;
            if (options.progress) options.progress(done, total);
        }
    };
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, tasks.size())));
    {
        std::vector<std::jthread> pool;
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
        work();
    }
    if (stopped) return Error{"stopped"};
    model.unseen = weightedMean(model.skills);

    if (summary) {
        *summary = FitSummary{};
        for (const SkillModel& m : model.skills) {
            summary->loglik += m.loglik;
            summary->answers += m.answers;
            summary->converged += m.converged ? 1 : 0;
            summary->estep_evaluations += m.iterations;
        }
        summary->skills = total;
        summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    }
    return model;
}

}  // namespace kite::bkt
