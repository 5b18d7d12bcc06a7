// Result<T>: a value or an error a person can act on. The engine reports bad
// input and failed I/O with these instead of throwing across layers.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kite {

// What went wrong, in words a user can act on, e.g.
// "data.csv: line 12: expected 0 or 1 in column 'correct', got 'yes'".
struct Error {
    std::string message;
};

// A value, or what went wrong. E is Error everywhere but where callers need
// more than the message (wire::WireError also names the field and status).
template <class T, class E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(E error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    // Precondition: ok().
    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // Precondition: !ok().
    const E& error() const { return std::get<E>(state_); }

private:
    std::variant<T, E> state_;
};

// Result of an operation that produces no value.
struct Done {};
using Status = Result<Done>;

inline Status success() {
    return Done{};
}

}  // namespace kite
