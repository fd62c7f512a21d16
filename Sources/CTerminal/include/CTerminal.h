#ifndef CTERMINAL_H
#define CTERMINAL_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
#endif
