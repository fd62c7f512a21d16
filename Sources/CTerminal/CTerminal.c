// wcwidth is declared only under _XOPEN_SOURCE.
#define _XOPEN_SOURCE 700
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include "CTerminal.h"

attr_t ct_color_pair(short pair) { return COLOR_PAIR(pair); }
attr_t ct_a_bold(void) { return A_BOLD; }
attr_t ct_a_reverse(void) { return A_REVERSE; }
attr_t ct_a_underline(void) { return A_UNDERLINE; }
attr_t ct_a_dim(void) { return A_DIM; }
WINDOW *ct_stdscr(void) { return stdscr; }
int ct_colors(void) { return COLORS; }
int ct_color_pairs(void) { return COLOR_PAIRS; }

void ct_getmaxyx(WINDOW *window, int *rows, int *columns) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *columns = x;
}

SCREEN *ct_newterm(void) { return newterm(NULL, stdout, stdin); }

int ct_wcwidth(unsigned codepoint) { return wcwidth((wchar_t)codepoint); }

int ct_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

static volatile sig_atomic_t pending_signal = 0;
static struct termios saved_modes;
static volatile sig_atomic_t have_saved_modes = 0;

static void record_signal(int signo) { pending_signal = signo; }

static void restore_and_reraise(int signo) {
    if (have_saved_modes) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    }
    // Leave the alternate screen, show the cursor, stop mouse reporting, reset attributes, and put
    // the cursor keys and keypad back in normal mode (ncurses' keypad() turned on application mode;
    // left on, the shell's arrow keys would send ESC O A instead of ESC [ A).
    static const char reset[] = "\033[?1000l\033[?1006l\033[0m\033[?25h\033[?1l\033>\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
    signal(signo, SIG_DFL);
    raise(signo);
}

void ct_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = record_signal;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);

    struct sigaction fatal;
    memset(&fatal, 0, sizeof fatal);
    sigemptyset(&fatal.sa_mask);
    fatal.sa_flags = SA_RESETHAND;
    fatal.sa_handler = restore_and_reraise;
    int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT};
    for (unsigned i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        sigaction(fatal_signals[i], &fatal, NULL);
    }
}

int ct_pending_signal(void) { return pending_signal; }

void ct_save_terminal_modes(void) {
    if (tcgetattr(STDIN_FILENO, &saved_modes) == 0) {
        have_saved_modes = 1;
    }
}

void ct_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
    mouseinterval(0);
}

int ct_read_click(int *row, int *column) {
    MEVENT event;
    if (getmouse(&event) != OK) {
        return 0;
    }
    if ((event.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) == 0) {
        return 0;
    }
    *row = event.y;
    *column = event.x;
    return 1;
}
