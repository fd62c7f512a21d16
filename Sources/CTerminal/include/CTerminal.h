#ifndef CTERMINAL_H
#define CTERMINAL_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API must be requested here.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncurses.h>

// ncurses macros and globals that Swift cannot import (function-like macros) or that Swift 6
// rejects as shared mutable state (stdscr, COLORS, stdout).
attr_t ct_color_pair(short pair);
attr_t ct_a_bold(void);
attr_t ct_a_reverse(void);
attr_t ct_a_underline(void);
attr_t ct_a_dim(void);
WINDOW *ct_stdscr(void);
int ct_colors(void);
int ct_color_pairs(void);
void ct_getmaxyx(WINDOW *window, int *rows, int *columns);

// newterm(NULL, stdout, stdin): returns NULL on an unknown TERM instead of exiting like initscr().
SCREEN *ct_newterm(void);

// wcwidth(3), hidden from Swift's Glibc module; meaningful only after setlocale.
int ct_wcwidth(unsigned codepoint);

// Whether the current LC_CTYPE codeset is UTF-8 (after setlocale(LC_ALL, "")).
int ct_locale_is_utf8(void);

// SIGINT, SIGTERM and SIGHUP only record the signal (no SA_RESTART, so blocking reads return);
// the run loop polls ct_pending_signal() and leaves through the normal teardown.
// SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP and SIGABRT restore the terminal modes saved by
// ct_save_terminal_modes() with async-signal-safe calls, then re-raise with the default action.
void ct_install_signal_handlers(void);
int ct_pending_signal(void);
void ct_save_terminal_modes(void);

// Reports button-1 clicks as KEY_MOUSE; ct_read_click returns 1 with the cell of a click.
void ct_enable_mouse(void);
int ct_read_click(int *row, int *column);

#endif
