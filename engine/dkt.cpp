#include "kite/dkt.h"

#include <cmath>
#include <random>

namespace kite::dkt {
namespace {

template <class T>
T sigmoid(T x) {
    return T(1) / (T(1) + std::exp(-x));
}

// ln(1 + e^z) - y z: binary cross-entropy of sigmoid(z) against y, without overflow.
double crossEntropy(double z, bool y) {
    const double softplus = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
    return softplus - (y ? z : 0.0);
}

// Applies the gate non-linearities in place to a 4H x n block of pre-activations.
template <class T, class Block>
void activateGates(Block&& g, std::int32_t H) {
    g.topRows(2 * H) = g.topRows(2 * H).unaryExpr([](T x) { return sigmoid(x); });  // input, forget
    g.middleRows(2 * H, H) = g.middleRows(2 * H, H).array().tanh();                  // cell
    g.bottomRows(H) = g.bottomRows(H).unaryExpr([](T x) { return sigmoid(x); });     // output
}

}  // namespace

template <class T>
Weights<T>::Weights(std::int32_t K, std::int32_t H)
    : skills(K),
      hidden(H),
      input(4 * H, 2 * K),
      recurrent(4 * H, H),
      bias(4 * H),
      output(K, H),
      output_bias(K) {
    setZero();
}

template <class T>
void Weights<T>::setZero() {
    input.setZero();
    recurrent.setZero();
    bias.setZero();
    output.setZero();
    output_bias.setZero();
}

template <class T>
void Weights<T>::initialise(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const double a = 1.0 / std::sqrt(static_cast<double>(hidden));
    std::uniform_real_distribution<double> inner(-a, a);
    // The input block stands for an embedding (N(0,1) in PyTorch) times an
    // input matrix: a unit-scale uniform keeps pre-activations alike.
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (Eigen::Index i = 0; i < input.size(); ++i) input.data()[i] = static_cast<T>(unit(rng) * a * std::sqrt(3.0));
    for (Eigen::Index i = 0; i < recurrent.size(); ++i) recurrent.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < bias.size(); ++i) bias.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < output.size(); ++i) output.data()[i] = static_cast<T>(inner(rng));
    for (Eigen::Index i = 0; i < output_bias.size(); ++i) output_bias.data()[i] = static_cast<T>(inner(rng));
}

template <class T>
std::size_t Weights<T>::parameterCount() const {
    return static_cast<std::size_t>(input.size() + recurrent.size() + bias.size() + output.size() +
                                    output_bias.size());
}

template <class T>
void Weights<T>::forEachBlock(const std::function<void(std::string_view, T*, std::size_t)>& f) {
    f("input", input.data(), static_cast<std::size_t>(input.size()));
    f("recurrent", recurrent.data(), static_cast<std::size_t>(recurrent.size()));
    f("bias", bias.data(), static_cast<std::size_t>(bias.size()));
    f("output", output.data(), static_cast<std::size_t>(output.size()));
    f("output_bias", output_bias.data(), static_cast<std::size_t>(output_bias.size()));
}

template <class T>
void Weights<T>::forEachBlock(const std::function<void(std::string_view, const T*, std::size_t)>& f) const {
    f("input", input.data(), static_cast<std::size_t>(input.size()));
    f("recurrent", recurrent.data(), static_cast<std::size_t>(recurrent.size()));
    f("bias", bias.data(), static_cast<std::size_t>(bias.size()));
    f("output", output.data(), static_cast<std::size_t>(output.size()));
    f("output_bias", output_bias.data(), static_cast<std::size_t>(output_bias.size()));
}

template <class T>
State<T> initialState(const Weights<T>& w) {
    return {Vector<T>::Zero(w.hidden), Vector<T>::Zero(w.hidden)};
}

template <class T>
void advance(const Weights<T>& w, State<T>& s, std::int32_t skill, bool correct) {
    const std::int32_t H = w.hidden;
    Vector<T> g = w.recurrent * s.h + w.bias + w.input.col(interaction(skill, correct, w.skills));
    activateGates<T>(g, H);
    s.c = g.segment(H, H).cwiseProduct(s.c) + g.head(H).cwiseProduct(g.segment(2 * H, H));
    s.h = g.tail(H).cwiseProduct(s.c.array().tanh().matrix());
}

template <class T>
T predict(const Weights<T>& w, const State<T>& s, std::int32_t skill) {
    return sigmoid<T>(w.output.row(skill).dot(s.h) + w.output_bias(skill));
}

template <class T>
Vector<T> predictAll(const Weights<T>& w, const State<T>& s) {
    return (w.output * s.h + w.output_bias).unaryExpr([](T x) { return sigmoid(x); });
}

template <class T>
void forward(const Weights<T>& w, const Batch& batch, Workspace<T>& ws) {
    const std::int32_t H = w.hidden;
    const Eigen::Index B = batch.size;
    const Eigen::Index steps = batch.steps;
    auto at = [&](Eigen::Index t, Eigen::Index b) { return batch.interactions[static_cast<std::size_t>(t * B + b)]; };
    ws.gates.resize(4 * H, steps * B);
    ws.cells.setZero(H, (steps + 1) * B);
    ws.hiddens.setZero(H, (steps + 1) * B);
    ws.tanh_cells.resize(H, steps * B);
    ws.output_grad.setZero(H, steps * B);
    ws.dropped.resize(H, steps * B);

    for (Eigen::Index t = 0; t < steps; ++t) {
        auto g = ws.gates.middleCols(t * B, B);
        g.noalias() = w.recurrent * ws.hiddens.middleCols(t * B, B);
        g.colwise() += w.bias;
        for (Eigen::Index b = 0; b < B; ++b)
            if (const std::int32_t x = at(t, b); x >= 0) g.col(b) += w.input.col(x);
        activateGates<T>(g, H);
        auto c = ws.cells.middleCols((t + 1) * B, B);
        c = g.middleRows(H, H).cwiseProduct(ws.cells.middleCols(t * B, B)) +
            g.topRows(H).cwiseProduct(g.middleRows(2 * H, H));
        ws.tanh_cells.middleCols(t * B, B) = c.array().tanh();
        ws.hiddens.middleCols((t + 1) * B, B) = g.bottomRows(H).cwiseProduct(ws.tanh_cells.middleCols(t * B, B));
    }

}

template <class T>
Loss lossAndGradient(const Weights<T>& w, const Batch& batch, double dropout, std::uint64_t dropoutSeed,
                     Weights<T>& grad, Workspace<T>& ws) {
    const std::int32_t H = w.hidden;
    const std::int32_t K = w.skills;
    const Eigen::Index B = batch.size;
    const Eigen::Index steps = batch.steps;
    auto at = [&](Eigen::Index t, Eigen::Index b) { return batch.interactions[static_cast<std::size_t>(t * B + b)]; };

    forward(w, batch, ws);

    // Output layer and loss at every step that has a next answer.
    std::mt19937_64 rng(dropoutSeed);
    std::bernoulli_distribution keep(1.0 - dropout);
    const T scale = dropout > 0.0 ? static_cast<T>(1.0 / (1.0 - dropout)) : T(1);
    Loss loss;
    Vector<T> h(H);
    for (Eigen::Index t = 0; t + 1 < steps; ++t) {
        for (Eigen::Index b = 0; b < B; ++b) {
            const std::int32_t next = at(t + 1, b);
            if (next < 0 || at(t, b) < 0) continue;
            auto mask = ws.dropped.col(t * B + b);
            if (dropout > 0.0) {
                for (std::int32_t k = 0; k < H; ++k) mask(k) = keep(rng) ? scale : T(0);
            } else {
                mask.setOnes();
            }
            h = ws.hiddens.col((t + 1) * B + b).cwiseProduct(mask);
            const std::int32_t q = next % K;
            const bool y = next >= K;
            const double z = static_cast<double>(w.output.row(q).dot(h) + w.output_bias(q));
            loss.sum += crossEntropy(z, y);
            ++loss.predictions;
            const T dz = static_cast<T>(1.0 / (1.0 + std::exp(-z)) - (y ? 1.0 : 0.0));
            grad.output.row(q) += dz * h.transpose();
            grad.output_bias(q) += dz;
            ws.output_grad.col(t * B + b) = (dz * w.output.row(q).transpose()).cwiseProduct(mask);
        }
    }

    // Backward through time.
    Matrix<T> dH = Matrix<T>::Zero(H, B);
    Matrix<T> dC = Matrix<T>::Zero(H, B);
    Matrix<T> dG(4 * H, B);
    for (Eigen::Index t = steps - 1; t >= 0; --t) {
        const auto g = ws.gates.middleCols(t * B, B);
        const auto i = g.topRows(H).array();
        const auto f = g.middleRows(H, H).array();
        const auto gc = g.middleRows(2 * H, H).array();
        const auto o = g.bottomRows(H).array();
        const auto tc = ws.tanh_cells.middleCols(t * B, B).array();
        const auto cPrev = ws.cells.middleCols(t * B, B).array();
        dH += ws.output_grad.middleCols(t * B, B);
        dC.array() += dH.array() * o * (T(1) - tc * tc);
        dG.bottomRows(H).array() = dH.array() * tc * o * (T(1) - o);
        dG.topRows(H).array() = dC.array() * gc * i * (T(1) - i);
        dG.middleRows(H, H).array() = dC.array() * cPrev * f * (T(1) - f);
        dG.middleRows(2 * H, H).array() = dC.array() * i * (T(1) - gc * gc);
        dC.array() *= f;
        grad.recurrent.noalias() += dG * ws.hiddens.middleCols(t * B, B).transpose();
        grad.bias += dG.rowwise().sum();
        for (Eigen::Index b = 0; b < B; ++b)
            if (const std::int32_t x = at(t, b); x >= 0) grad.input.col(x) += dG.col(b);
        dH.noalias() = w.recurrent.transpose() * dG;
    }
    return loss;
}

template <class T>
std::vector<T> predictBatch(const Weights<T>& w, const Batch& batch, Workspace<T>& ws) {
    forward(w, batch, ws);
    const Eigen::Index B = batch.size;
    std::vector<T> p(batch.interactions.size(), T(-1));
    for (Eigen::Index t = 0; t + 1 < batch.steps; ++t) {
        for (Eigen::Index b = 0; b < B; ++b) {
            const std::int32_t next = batch.interactions[static_cast<std::size_t>((t + 1) * B + b)];
            if (next < 0 || batch.interactions[static_cast<std::size_t>(t * B + b)] < 0) continue;
            const std::int32_t q = next % w.skills;
            p[static_cast<std::size_t>((t + 1) * B + b)] =
                sigmoid<T>(w.output.row(q).dot(ws.hiddens.col((t + 1) * B + b)) + w.output_bias(q));
        }
    }
    return p;
}

#define KITE_DKT_INSTANTIATE(T)                                                                                 \
    template struct Weights<T>;                                                                                 \
    template State<T> initialState(const Weights<T>&);                                                          \
    template void advance(const Weights<T>&, State<T>&, std::int32_t, bool);                                    \
    template T predict(const Weights<T>&, const State<T>&, std::int32_t);                                       \
    template Vector<T> predictAll(const Weights<T>&, const State<T>&);                                          \
    template Loss lossAndGradient(const Weights<T>&, const Batch&, double, std::uint64_t, Weights<T>&, \
                                  Workspace<T>&);                                                       \
    template std::vector<T> predictBatch(const Weights<T>&, const Batch&, Workspace<T>&);

KITE_DKT_INSTANTIATE(float)
KITE_DKT_INSTANTIATE(double)

}  // namespace kite::dkt
