// Command-line words with typed accessors, shared by Kite's command-line
// programs (kite-kt, kite-pack, kite-sim). A usage mistake throws UsageError,
// which main() turns into a message and exit code.
#pragma once

#include <charconv>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kite::app {

// Exit codes shared by the command-line tools.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   // could not write output, or a store failed
constexpr int kExitBadInput = 2;  // bad input files or a usage mistake

struct UsageError {
    std::string message;
};

// Command-line words after the command, with typed accessors.
class Arguments {
public:
    Arguments(int argc, char** argv, int first) {
        for (int i = first; i < argc; ++i) words_.emplace_back(argv[i]);
    }

    // Removes and returns the value of `--name VALUE`, if given.
    std::optional<std::string> take(std::string_view name) {
        for (std::size_t i = 0; i < words_.size(); ++i) {
            if (words_[i] != name) continue;
            if (i + 1 >= words_.size() || words_[i + 1].starts_with("--"))
                throw UsageError{std::string(name) + " needs a value"};
            std::string value = words_[i + 1];
            words_.erase(words_.begin() + static_cast<long>(i), words_.begin() + static_cast<long>(i) + 2);
            return value;
        }
        return std::nullopt;
    }
    // Removes `--name` and returns whether it was there.
    bool flag(std::string_view name) {
        for (std::size_t i = 0; i < words_.size(); ++i) {
            if (words_[i] == name) {
                words_.erase(words_.begin() + static_cast<long>(i));
                return true;
            }
        }
        return false;
    }
    template <class T>
    std::optional<T> number(std::string_view name) {
        auto text = take(name);
        if (!text) return std::nullopt;
        T value{};
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc() || end != text->data() + text->size())
            throw UsageError{std::string(name) + ": expected a number, got '" + *text + "'"};
        return value;
    }
    // The remaining words, which must all be positional.
    std::vector<std::string> positionals() const {
        for (const std::string& w : words_)
            if (w.starts_with("--")) throw UsageError{"unknown option " + w};
        return words_;
    }

private:
    std::vector<std::string> words_;
};

// The shared shape of a tool's main(): --help and --version, then `run`
// with the words after the program name; a UsageError becomes a message
// pointing at --help and exit code 2.
inline int runTool(int argc, char** argv, const char* name, const char* version, const char* usage,
                   const std::function<int(std::vector<std::string> words)>& run) {
    const std::string first = argc > 1 ? argv[1] : "";
    if (first == "--help" || first == "-h" || first == "help") {
        std::fputs(usage, stdout);
        return kExitOk;
    }
    if (first == "--version") {
        std::printf("%s %s\n", name, version);
        return kExitOk;
    }
    try {
        if (first.empty()) throw UsageError{"missing command"};
        return run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", name, e.message.c_str(), name);
        return kExitBadInput;
    }
}

}  // namespace kite::app
