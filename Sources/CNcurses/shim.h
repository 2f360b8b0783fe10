#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
// Enable the wide-char API (get_wch, cchar_t, WACS_*). SwiftPM drops pkg-config's
// -D_XOPEN_SOURCE=600 ("prohibited flag"), so the define has to be here.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <ncurses.h>

// Accessors for curses globals (Swift 6 rejects `stdscr`, `curscr`, `COLS`, `LINES`: not concurrency-safe).
static inline WINDOW *tui_stdscr(void) { return stdscr; }
static inline WINDOW *tui_curscr(void) { return curscr; }
static inline int tui_cols(void) { return COLS; }
static inline int tui_lines(void) { return LINES; }
// Macros Swift cannot import (casts / function-like macros).
static inline attr_t tui_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t tui_A_BOLD(void) { return A_BOLD; }
static inline attr_t tui_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t tui_A_DIM(void) { return A_DIM; }
static inline attr_t tui_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t tui_COLOR_PAIR(short n) { return (attr_t)COLOR_PAIR(n); }
static inline void tui_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline int tui_wattr_on(WINDOW *w, attr_t a) { return wattr_on(w, a, NULL); }
static inline int tui_wattr_off(WINDOW *w, attr_t a) { return wattr_off(w, a, NULL); }
/// Sets the attributes and colour pair of a window in one call.
static inline int tui_wattr_set(WINDOW *w, attr_t a, short pair) { return wattr_set(w, a, pair, NULL); }
static inline const cchar_t *tui_WACS_HLINE(void) { return WACS_HLINE; }
static inline const cchar_t *tui_WACS_VLINE(void) { return WACS_VLINE; }
static inline const cchar_t *tui_WACS_D_HLINE(void) { return WACS_D_HLINE; }
static inline const cchar_t *tui_WACS_D_VLINE(void) { return WACS_D_VLINE; }
/// Turns mouse reporting on (a button-1 press, the wheel) or off, with no click-resolution delay.
static inline void tui_mouse(int on) {
    mmask_t old;
    mousemask(on ? (BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, &old);
    mouseinterval(0);
}
/// The pending mouse event after KEY_MOUSE: 1 button-1 press, 4 wheel up, 5 wheel down, 0 other, -1 none.
static inline int tui_getmouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return -1;
    *x = e.x; *y = e.y;
    if (e.bstate & BUTTON1_PRESSED) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 4;
    if (e.bstate & BUTTON5_PRESSED) return 5;
    return 0;
}
/// The locale's codeset name (`UTF-8` when the locale is a UTF-8 one).
static inline const char *tui_codeset(void) { return nl_langinfo(CODESET); }
#endif
