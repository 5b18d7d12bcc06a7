// Deep Knowledge Tracing: one LSTM layer over the student's interactions
// (skill, correct) and a sigmoid output per skill giving P(correct) of the
// next answer on that skill (Piech et al. 2015).
//
// The input is one of 2K interactions, so the input-to-gate product is a
// column gather of `input` (4H x 2K), not a matrix product. Gate order in all
// 4H-row blocks: input, forget, cell, output.
//
// Weights<T> and State<T> are plain values; the functions here are safe to
// call from several threads on different workspaces and gradients.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "kite/dkt_types.h"

namespace kite::dkt {

template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// Index of an interaction: skill in [0, K), correct 0 or 1.
inline std::int32_t interaction(std::int32_t skill, bool correct, std::int32_t skills) {
    return skill + (correct ? skills : 0);
}

template <class T>
struct Weights {
    std::int32_t skills = 0;  // K
    std::int32_t hidden = 0;  // H
    Matrix<T> input;          // 4H x 2K
    Matrix<T> recurrent;      // 4H x H
    Vector<T> bias;           // 4H
    Matrix<T> output;         // K x H
    Vector<T> output_bias;    // K

    Weights() = default;
    Weights(std::int32_t K, std::int32_t H);

    // PyTorch's LSTM/Linear initialisation: uniform in +-1/sqrt(H); seeded.
    void initialise(std::uint64_t seed);
    void setZero();
    std::size_t parameterCount() const;
    // Calls f(name, data, size) for each parameter block, in a fixed order.
    void forEachBlock(const std::function<void(std::string_view, T*, std::size_t)>& f);
    void forEachBlock(const std::function<void(std::string_view, const T*, std::size_t)>& f) const;
};

// One student's LSTM state, carried from answer to answer.
template <class T>
struct State {
    Vector<T> h;
    Vector<T> c;
};

template <class T>
State<T> initialState(const Weights<T>& w);

// Advances `state` by one answer: one LSTM step.
template <class T>
void advance(const Weights<T>& w, State<T>& state, std::int32_t skill, bool correct);

// P(correct) of the next answer on `skill` in `state`.
template <class T>
T predict(const Weights<T>& w, const State<T>& state, std::int32_t skill);

// P(correct) of the next answer on every skill.
template <class T>
Vector<T> predictAll(const Weights<T>& w, const State<T>& state);

// Scratch space of lossAndGradient and predictBatch, reused from batch to batch.
template <class T>
struct Workspace {
    std::vector<T> gates, cells, hiddens, tanh_cells, output_grad, masks, scratch;
};

// Forward and backward pass over a batch; adds d(loss sum)/d(weights) to
// `gradient` (same shape as `w`). `dropout` in [0, 1) is applied to the LSTM
// output before the output layer, with masks from `dropoutSeed`; 0 disables it.
template <class T>
Loss lossAndGradient(const Weights<T>& w, const Batch& batch, double dropout, std::uint64_t dropoutSeed,
                     Weights<T>& gradient, Workspace<T>& workspace);

// P(correct) of every answer of the batch but each chunk's first, from the
// chunk's earlier answers: p[t * B + b] for the answer at step t (-1 where
// there is none). Same network as advance()/predict(), batched.
template <class T>
std::vector<T> predictBatch(const Weights<T>& w, const Batch& batch, Workspace<T>& workspace);

}  // namespace kite::dkt
