#include "bkt_estep.h"

#include <cmath>

namespace kite::bkt::detail {

void LaneParams::setEmission(int item, int lane, double guess, double slip) {
    auto at = [&](int correct, int known) -> double& {
        return emission[static_cast<std::size_t>(((item * 2 + correct) * 2 + known) * kMaxLanes + lane)];
    };
    at(1, 0) = guess;
    at(0, 0) = 1.0 - guess;
    at(1, 1) = 1.0 - slip;
    at(0, 1) = slip;
}

void LaneCounts::reset(int items) {
    init_total = 0.0;
    init_known = uu = uk = ku = kk = loglik = Lanes{};
    emission.assign(static_cast<std::size_t>(items) * 4 * kMaxLanes, 0.0);
}

namespace {

// Scaling products are folded into the log-likelihood before they can underflow.
constexpr double kFoldBelow = 1e-200;

template <int N, bool kPerItem>
void eStep(const SkillSequences& data, const LaneParams& p, LaneCounts& c, EStepScratch& scratch) {
    scratch.filtered.resize(static_cast<std::size_t>(data.longest) * N);
    scratch.predicted.resize(static_cast<std::size_t>(data.longest) * N);
    double* const filtered = scratch.filtered.data();
    double* const predicted = scratch.predicted.data();
    const std::int8_t* const obs = data.obs.data();
    const std::int32_t* const item = kPerItem ? data.item.data() : nullptr;

    double notLearn[N], notForget[N];
    for (int r = 0; r < N; ++r) {
        notLearn[r] = 1.0 - p.learn[r];
        notForget[r] = 1.0 - p.forget[r];
    }
    // Without per-item emissions the emission sums stay in registers.
    double emU1[N] = {}, emU[N] = {}, emK0[N] = {}, emK[N] = {};

    for (std::size_t s = 0; s < data.size(); ++s) {
        const std::uint32_t begin = data.start[s];
        const int T = static_cast<int>(data.start[s + 1] - begin);
        const double w = data.weight[s];

        // Forward: filtered[t] = P(K_t | o_0..o_t), predicted[t] = P(K_t | o_0..o_{t-1}).
        double pk[N], scale[N], ll[N];
        for (int r = 0; r < N; ++r) {
            pk[r] = p.prior[r];
            scale[r] = 1.0;
            ll[r] = 0.0;
        }
        for (int t = 0; t < T; ++t) {
            const int o = obs[begin + t];
            double* const f = filtered + t * N;
            double* const pr = predicted + t * N;
            if (o < 0) {
                for (int r = 0; r < N; ++r) f[r] = pr[r] = pk[r];
            } else {
                const int it = kPerItem ? item[begin + t] : 0;
                const double* eU = &p.emission[static_cast<std::size_t>(((it * 2 + o) * 2 + 0) * kMaxLanes)];
                const double* eK = eU + kMaxLanes;
                for (int r = 0; r < N; ++r) {
                    pr[r] = pk[r];
                    const double aK = pk[r] * eK[r];
                    const double norm = aK + (1.0 - pk[r]) * eU[r];
                    // An answer impossible in both states carries no evidence.
                    const bool informative = norm > 0.0;
                    f[r] = informative ? aK / norm : pk[r];
                    scale[r] *= informative ? norm : 1.0;
                }
                for (int r = 0; r < N; ++r) {
                    if (scale[r] < kFoldBelow) {
                        ll[r] += std::log(scale[r]);
                        scale[r] = 1.0;
                    }
                }
            }
            for (int r = 0; r < N; ++r) pk[r] = f[r] * notForget[r] + (1.0 - f[r]) * p.learn[r];
        }
        for (int r = 0; r < N; ++r) c.loglik[r] += w * (ll[r] + std::log(scale[r]));

        // Backward smoothing: gK/gU = P(K_t/U_t | all answers of the sequence).
        double gK[N], gU[N], sUU[N] = {}, sUK[N] = {}, sKU[N] = {}, sKK[N] = {};
        double sU1[N] = {}, sU[N] = {}, sK0[N] = {}, sK[N] = {};
        auto emit = [&](int t) {
            const int o = obs[begin + t];
            if (o < 0) return;
            if constexpr (kPerItem) {
                double* e = &c.emission[static_cast<std::size_t>(item[begin + t] * 4 * kMaxLanes)];
                for (int r = 0; r < N; ++r) {
                    e[r] += w * gU[r] * o;
                    e[kMaxLanes + r] += w * gU[r];
                    e[2 * kMaxLanes + r] += w * gK[r] * (1 - o);
                    e[3 * kMaxLanes + r] += w * gK[r];
                }
            } else {
                for (int r = 0; r < N; ++r) {
                    sU1[r] += gU[r] * o;
                    sU[r] += gU[r];
                    sK0[r] += gK[r] * (1 - o);
                    sK[r] += gK[r];
                }
            }
        };
        for (int r = 0; r < N; ++r) {
            gK[r] = filtered[(T - 1) * N + r];
            gU[r] = 1.0 - gK[r];
        }
        emit(T - 1);
        for (int t = T - 2; t >= 0; --t) {
            const double* const f = filtered + t * N;
            const double* const next = predicted + (t + 1) * N;
            for (int r = 0; r < N; ++r) {
                const double a = f[r];
                const double predK = next[r];
                const double predU = a * p.forget[r] + (1.0 - a) * notLearn[r];
                // xi(i -> j) = P(i at t) A(i,j) P(j at t+1 | all) / P(j at t+1 | up to t); 0/0 is 0.
                const double rK = predK > 0.0 ? gK[r] / predK : 0.0;
                const double rU = predU > 0.0 ? gU[r] / predU : 0.0;
                const double xUU = (1.0 - a) * notLearn[r] * rU;
                const double xUK = (1.0 - a) * p.learn[r] * rK;
                const double xKU = a * p.forget[r] * rU;
                const double xKK = a * notForget[r] * rK;
                sUU[r] += xUU;
                sUK[r] += xUK;
                sKU[r] += xKU;
                sKK[r] += xKK;
                gU[r] = xUU + xUK;
                gK[r] = xKU + xKK;
            }
            emit(t);
        }
        c.init_total += w;
        for (int r = 0; r < N; ++r) {
            c.init_known[r] += w * gK[r];
            c.uu[r] += w * sUU[r];
            c.uk[r] += w * sUK[r];
            c.ku[r] += w * sKU[r];
            c.kk[r] += w * sKK[r];
            if constexpr (!kPerItem) {
                emU1[r] += w * sU1[r];
                emU[r] += w * sU[r];
                emK0[r] += w * sK0[r];
                emK[r] += w * sK[r];
            }
        }
    }
    if constexpr (!kPerItem) {
        for (int r = 0; r < N; ++r) {
            c.emission[static_cast<std::size_t>(r)] += emU1[r];
            c.emission[static_cast<std::size_t>(kMaxLanes + r)] += emU[r];
            c.emission[static_cast<std::size_t>(2 * kMaxLanes + r)] += emK0[r];
            c.emission[static_cast<std::size_t>(3 * kMaxLanes + r)] += emK[r];
        }
    }
}

template <int N>
void dispatchItems(const SkillSequences& data, const LaneParams& p, LaneCounts& c, EStepScratch& s) {
    if (data.item.empty())
        eStep<N, false>(data, p, c, s);
    else
        eStep<N, true>(data, p, c, s);
}

}  // namespace

void runEStep(const SkillSequences& data, const LaneParams& params, int lanes, LaneCounts& counts,
              EStepScratch& scratch) {
    switch (lanes) {
        case 1: return dispatchItems<1>(data, params, counts, scratch);
        case 2: return dispatchItems<2>(data, params, counts, scratch);
        case 3: return dispatchItems<3>(data, params, counts, scratch);
        case 4: return dispatchItems<4>(data, params, counts, scratch);
        case 5: return dispatchItems<5>(data, params, counts, scratch);
        case 6: return dispatchItems<6>(data, params, counts, scratch);
        case 7: return dispatchItems<7>(data, params, counts, scratch);
        default: return dispatchItems<8>(data, params, counts, scratch);
    }
}

}  // namespace kite::bkt::detail
