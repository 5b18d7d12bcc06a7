// `kite --hash-pin`: reads a teacher PIN from standard input (without echo
// when it is a terminal) and prints the line for the managed settings,
//
//   teacher_pin_hash=pbkdf2-sha256$10000$…$…
//
// for the [kiosk] section of /etc/xdg/Kite/kite.conf (docs/deploy.md). No
// display is needed: it runs before any window is made.
#pragma once

#include <QString>

#include <cstdio>
#include <iostream>
#include <string>

#if defined(__unix__) || defined(__APPLE__)
#include <termios.h>
#include <unistd.h>
#endif

#include "kite/pin_hash.h"

namespace kite::app {

// Whether argv holds `word` (before the app parses its options).
inline bool hasWord(int argc, char** argv, const char* word) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == word) return true;
    return false;
}

// One line of standard input; not echoed when it is a terminal.
inline std::string readSecretLine() {
    std::string line;
#if defined(__unix__) || defined(__APPLE__)
    termios before{};
    const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &before) == 0;
    if (tty) {
        std::fputs("Teacher PIN (4 to 8 digits): ", stderr);
        termios quiet = before;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
        std::fputs("\n", stderr);
    }
#else
    std::getline(std::cin, line);
#endif
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// The whole command: 0, or 2 with a message for a PIN that is not 4 to 8 digits.
inline int hashPinCommand() {
    const QString pin = QString::fromStdString(readSecretLine()).trimmed();
    if (!isPin(pin)) {
        std::fputs("kite --hash-pin: a teacher PIN is 4 to 8 digits (0-9); nothing was printed\n", stderr);
        return 2;
    }
    std::printf("teacher_pin_hash=%s\n", qPrintable(hashPin(pin)));
    std::fputs("Put this line in the [kiosk] section of /etc/xdg/Kite/kite.conf (docs/deploy.md).\n", stderr);
    return 0;
}

}  // namespace kite::app
