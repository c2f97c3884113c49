/* The compiled reader of time values: the common forms of ``When``'s text, read in one pass.
 *
 * ``tradetruce.when._parse`` calls ``read_when`` first. It reads the forms documents are written
 * in: an instant as ``str(When)`` writes it (``2025-11-10T00:01:00-05:00[America/New_York]``,
 * seconds, a six-digit fraction only when there is one), a calendar value
 * (``2025-11-01[UTC]``, ``2026-11~[Asia/Shanghai]``) and a range of them (``../2025-10-26[...]``).
 * It builds the same When that the Python reader builds, with the same checks: the zone comes
 * from ``zone`` (the Python function), the calendar parts from ``calendar`` (the Python
 * reader), each local midnight and offset from the zone's own ``utcoffset``, and the value is
 * refused unless the instant's offset is the one the zone has then (not in a repeated or
 * skipped hour). For anything else, including every text that is wrong, it returns None and the
 * Python reader reads the text: it alone writes error messages, and it reads the rare forms
 * (``Z``, no seconds, a repeated hour, non-ASCII digits) itself. The tests compare the two
 * readers on generated and mutated texts.
 */
#include "_speedups.h"
#include <datetime.h>

static const char *READER_NAME = "tradetruce._speedups.when_reader";

enum { S_ZONE, S_INSTANT, S_START, S_END, S_IS_RANGE, S_LO, S_HI, S_TEXT, N_SLOTS };
static const char *const SLOT_NAMES[N_SLOTS] = {
    "zone", "instant", "start", "end", "is_range", "lo_us", "hi_us", "_text",
};

typedef struct {
    PyTypeObject *when;      /* the When class */
    PyTypeObject *datetime;  /* the class of instants (pendulum's DateTime) */
    PyObject *zone;          /* name -> zone, raising for a name that is not a zone */
    PyObject *calendar;      /* EDTF text -> Calendar, raising for text that is not one */
    PyObject *open_lower;    /* the bounds of open range ends, as ints */
    PyObject *open_upper;
    PyObject *utcoffset;     /* "utcoffset", interned */
    long min_year, max_year;
    Py_ssize_t offset[N_SLOTS];
} Reader;

#define DAY_US (86400LL * 1000000LL)

/* ---------------------------------------------------------------------------------- calendar */

static int
is_leap(long y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
days_in(long y, int m)
{
    static const int DAYS[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : DAYS[m];
}

/* date(y, m, d).toordinal(): 0001-01-01 is day 1. */
static long
ordinal(long y, int m, int d)
{
    static const int BEFORE[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    long p = y - 1;
    return p * 365 + p / 4 - p / 100 + p / 400 + BEFORE[m] + (m > 2 && is_leap(y)) + d;
}

/* date.fromordinal(n), for the positive ordinals of years 1 to 9999. */
static void
from_ordinal(long n, long *y, int *m, int *d)
{
    /* Days since 0000-03-01, then eras of 400 years (H. Hinnant's civil_from_days). */
    long z = n + 305;
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const Py_UCS1 *s, Py_ssize_t n, long *out)
{
    long v = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

typedef struct {
    long year;
    int month;      /* 0: a whole year */
    int day;        /* 0: a whole month */
    int qualified;  /* ~, ? or % */
    long first;     /* the first day it may mean, and the day after the last (ordinals) */
    long after;
} Cal;

/* Read YYYY, YYYY-MM or YYYY-MM-DD, then at most one of ~?%, naming a real day within the
 * reader's years; the days it may mean as Calendar._days works them out. -1: not this form. */
static int
read_calendar(const Reader *r, const Py_UCS1 *s, Py_ssize_t n, Cal *c)
{
    long v;
    c->qualified = n > 0 && (s[n - 1] == '~' || s[n - 1] == '?' || s[n - 1] == '%');
    n -= c->qualified;
    c->month = c->day = 0;
    if (n != 4 && n != 7 && n != 10) return -1;
    if (digits(s, 4, &c->year) < 0) return -1;
    /* The last year is left to Python: its widened end runs past the calendar. */
    if (c->year < r->min_year || c->year >= r->max_year) return -1;
    if (n >= 7) {
        if (s[4] != '-' || digits(s + 5, 2, &v) < 0 || v < 1 || v > 12) return -1;
        c->month = (int)v;
    }
    if (n == 10) {
        if (s[7] != '-' || digits(s + 8, 2, &v) < 0 || v < 1 || v > days_in(c->year, c->month))
            return -1;
        c->day = (int)v;
    }
    long start = ordinal(c->year, c->month ? c->month : 1, c->day ? c->day : 1);
    if (c->qualified) {
        /* Widened by one unit of its own precision on each side. */
        if (c->day) {
            c->first = start - 1;
            c->after = start + 2;
        }
        else if (c->month) {
            long k = c->year * 12 + c->month - 1;
            c->first = ordinal((k - 1) / 12, (int)((k - 1) % 12) + 1, 1);
            c->after = ordinal((k + 2) / 12, (int)((k + 2) % 12) + 1, 1);
        }
        else {
            c->first = ordinal(c->year - 1, 1, 1);
            c->after = ordinal(c->year + 2, 1, 1);
        }
    }
    else {
        c->first = start;
        if (c->day)
            c->after = start + 1;
        else if (c->month)
            c->after = start + days_in(c->year, c->month);
        else
            c->after = ordinal(c->year + 1, 1, 1);
    }
    return 0;
}

/* --------------------------------------------------------------------------------- the zone */

/* The zone's UTC offset, in microseconds, at a wall time (``fold`` as datetime has it). */
static int
offset_at(const Reader *r, PyObject *tz, long y, int m, int d, int hh, int mm, int ss, int us,
          int fold, long long *out)
{
    PyObject *wall = PyDateTimeAPI->DateTime_FromDateAndTimeAndFold(
        (int)y, m, d, hh, mm, ss, us, Py_None, fold, PyDateTimeAPI->DateTimeType);
    if (wall == NULL) return -1;
    PyObject *delta = PyObject_CallMethodOneArg(tz, r->utcoffset, wall);
    Py_DECREF(wall);
    if (delta == NULL) return -1;
    if (!PyDelta_Check(delta)) {
        Py_DECREF(delta);
        PyErr_SetString(PyExc_TypeError, "utcoffset did not return a timedelta");
        return -1;
    }
    *out = ((long long)PyDateTime_DELTA_GET_DAYS(delta) * 86400 +
            PyDateTime_DELTA_GET_SECONDS(delta)) * 1000000LL +
           PyDateTime_DELTA_GET_MICROSECONDS(delta);
    Py_DECREF(delta);
    return 0;
}

/* The first instant of a local day (microseconds since 0001-01-01T00:00 UTC). At fold 0 a day
 * that starts in a gap takes the offset from before the gap: its first real instant. */
static int
midnight(const Reader *r, PyObject *tz, long day, long long *out)
{
    long y;
    int m, d;
    long long off;
    from_ordinal(day, &y, &m, &d);
    if (offset_at(r, tz, y, m, d, 0, 0, 0, 0, 0, &off) < 0) return -1;
    *out = (long long)(day - 1) * DAY_US - off;
    return 0;
}

/* ------------------------------------------------------------------------------ the reader */

/* Free a reader and what it holds (any part may still be NULL). */
static void
reader_destroy(Reader *r)
{
    Py_XDECREF(r->when);
    Py_XDECREF(r->datetime);
    Py_XDECREF(r->zone);
    Py_XDECREF(r->calendar);
    Py_XDECREF(r->open_lower);
    Py_XDECREF(r->open_upper);
    Py_XDECREF(r->utcoffset);
    PyMem_Free(r);
}

static void
reader_free(PyObject *capsule)
{
    Reader *r = (Reader *)PyCapsule_GetPointer(capsule, READER_NAME);
    if (r == NULL) {
        PyErr_Clear();
        return;
    }
    reader_destroy(r);
}

const char tt_when_reader_doc[] =
    "when_reader(When, DateTime, zone, calendar, open_lower, open_upper, min_year, max_year)\n"
    "    -> capsule\n\n"
    "What read_when needs: the When class (with slots zone, instant, start, end, is_range,\n"
    "lo_us, hi_us and _text), the class of instants (a datetime subclass), the functions that\n"
    "give a zone by name and a Calendar by text, the bounds of open range ends, and the years\n"
    "a value may name.";

PyObject *
tt_when_reader(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "when_reader() takes 8 arguments");
        return NULL;
    }
    if (PyDateTimeAPI == NULL) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == NULL) return NULL;
    }
    if (!PyType_Check(args[0]) || !PyType_Check(args[1]) ||
        !PyType_IsSubtype((PyTypeObject *)args[1], PyDateTimeAPI->DateTimeType)) {
        PyErr_SetString(PyExc_TypeError, "when_reader() needs the When class and a datetime class");
        return NULL;
    }
    if (!PyCallable_Check(args[2]) || !PyCallable_Check(args[3]) || !PyLong_Check(args[4]) ||
        !PyLong_Check(args[5]) || !PyLong_Check(args[6]) || !PyLong_Check(args[7])) {
        PyErr_SetString(PyExc_TypeError,
                        "when_reader(): zone and calendar must be callables, the rest ints");
        return NULL;
    }
    long min_year = PyLong_AsLong(args[6]), max_year = PyLong_AsLong(args[7]);
    if (PyErr_Occurred()) return NULL;
    if (min_year < 1 || max_year > 9998 || min_year > max_year) {
        PyErr_SetString(PyExc_ValueError, "when_reader(): years must lie within 1 to 9998");
        return NULL;
    }
    Reader *r = PyMem_Calloc(1, sizeof(Reader));
    if (r == NULL) return PyErr_NoMemory();
    PyTypeObject *when = (PyTypeObject *)args[0];
    for (int i = 0; i < N_SLOTS; i++) {
        PyObject *name = PyUnicode_InternFromString(SLOT_NAMES[i]);
        if (name == NULL) {
            reader_destroy(r);
            return NULL;
        }
        r->offset[i] = tt_slot_offset(when, name);
        Py_DECREF(name);
        if (r->offset[i] < 0) {
            reader_destroy(r);
            return PyErr_Format(PyExc_TypeError, "when_reader(): %s has no slot %s",
                                when->tp_name, SLOT_NAMES[i]);
        }
    }
    r->utcoffset = PyUnicode_InternFromString("utcoffset");
    if (r->utcoffset == NULL) {
        reader_destroy(r);
        return NULL;
    }
    r->when = (PyTypeObject *)Py_NewRef(args[0]);
    r->datetime = (PyTypeObject *)Py_NewRef(args[1]);
    r->zone = Py_NewRef(args[2]);
    r->calendar = Py_NewRef(args[3]);
    r->open_lower = Py_NewRef(args[4]);
    r->open_upper = Py_NewRef(args[5]);
    r->min_year = min_year;
    r->max_year = max_year;
    PyObject *capsule = PyCapsule_New(r, READER_NAME, reader_free);
    if (capsule == NULL) reader_destroy(r);
    return capsule;
}

/* A call into Python failed: an ordinary exception means "let the Python reader say why"
 * (None); anything else (KeyboardInterrupt, MemoryError) goes on. */
static PyObject *
give_up(void)
{
    if (PyErr_ExceptionMatches(PyExc_Exception) && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    return NULL;
}

/* A When from its parts, built as When.__init__ would build it after its checks; steals the
 * references given. */
static PyObject *
make_when(const Reader *r, PyObject *parts[N_SLOTS])
{
    PyObject *w = r->when->tp_alloc(r->when, 0);
    if (w != NULL) {
        for (int i = 0; i < N_SLOTS; i++) {
            *(PyObject **)((char *)w + r->offset[i]) = parts[i];
            parts[i] = NULL;
        }
    }
    for (int i = 0; i < N_SLOTS; i++) Py_XDECREF(parts[i]);
    return w;
}

/* An instant as str(When) writes it: YYYY-MM-DDTHH:MM:SS[.ffffff](+|-)HH:MM. */
static PyObject *
read_instant(const Reader *r, PyObject *text, const Py_UCS1 *s, Py_ssize_t n, PyObject *name,
             PyObject *tz)
{
    long y, mo, d, hh, mi, ss, frac = 0, oh, om;
    if (n != 25 && n != 32) Py_RETURN_NONE;
    const Py_UCS1 *o = s + n - 6; /* the offset */
    if (digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 || s[7] != '-' ||
        digits(s + 8, 2, &d) < 0 || s[10] != 'T' || digits(s + 11, 2, &hh) < 0 ||
        s[13] != ':' || digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
        digits(s + 17, 2, &ss) < 0 || (o[0] != '+' && o[0] != '-') ||
        digits(o + 1, 2, &oh) < 0 || o[3] != ':' || digits(o + 4, 2, &om) < 0)
        Py_RETURN_NONE;
    if (n == 32 && (s[19] != '.' || digits(s + 20, 6, &frac) < 0 || frac == 0))
        Py_RETURN_NONE; /* a zero fraction is written without one: Python reads it */
    if (y < r->min_year || y > r->max_year || mo < 1 || mo > 12 || d < 1 ||
        d > days_in(y, (int)mo) || hh > 23 || mi > 59 || ss > 59 || oh > 23 || om > 59 ||
        (o[0] == '-' && oh == 0 && om == 0))
        Py_RETURN_NONE;
    long long given = (o[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60) * 1000000LL;
    long long before, after;
    /* The zone's offset at this wall time, at both folds: equal unless the wall time is
     * repeated or skipped (those the Python reader sorts out); it must be the one given. */
    if (offset_at(r, tz, y, (int)mo, (int)d, (int)hh, (int)mi, (int)ss, (int)frac, 0, &before) <
            0 ||
        offset_at(r, tz, y, (int)mo, (int)d, (int)hh, (int)mi, (int)ss, (int)frac, 1, &after) < 0)
        return give_up();
    if (before != after || before != given) Py_RETURN_NONE;
    PyObject *instant = PyDateTimeAPI->DateTime_FromDateAndTimeAndFold(
        (int)y, (int)mo, (int)d, (int)hh, (int)mi, (int)ss, (int)frac, tz, 0, r->datetime);
    if (instant == NULL) return give_up();
    long long us = (long long)(ordinal(y, (int)mo, (int)d) - 1) * DAY_US +
                   (hh * 3600 + mi * 60 + ss) * 1000000LL + frac - given;
    PyObject *bound = PyLong_FromLongLong(us);
    if (bound == NULL) {
        Py_DECREF(instant);
        return NULL;
    }
    PyObject *parts[N_SLOTS] = {
        Py_NewRef(name), instant, Py_NewRef(Py_None), Py_NewRef(Py_None),
        Py_NewRef(Py_False), Py_NewRef(bound), bound, Py_NewRef(text),
    };
    return make_when(r, parts);
}

/* One end of a calendar value or range: ".." (open, when open is allowed) or a Calendar. */
static int
calendar_part(const Reader *r, PyObject *text, Py_ssize_t from, Py_ssize_t to, int open,
              Cal *c, PyObject **value)
{
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text) + from;
    if (open && to - from == 2 && s[0] == '.' && s[1] == '.') {
        *value = Py_NewRef(Py_None);
        return 0;
    }
    if (read_calendar(r, s, to - from, c) < 0) return 1;
    PyObject *part = PyUnicode_Substring(text, from, to);
    if (part == NULL) return -1;
    *value = PyObject_CallOneArg(r->calendar, part);
    Py_DECREF(part);
    return *value == NULL ? -1 : 0;
}

static PyObject *
read_calendar_value(const Reader *r, PyObject *text, Py_ssize_t n, PyObject *name, PyObject *tz)
{
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t slash = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == '/') {
            slash = i;
            break;
        }
    }
    int is_range = slash >= 0;
    Cal a, b;
    PyObject *start = NULL, *end = NULL;
    int got = calendar_part(r, text, 0, is_range ? slash : n, is_range, &a, &start);
    if (got == 0 && is_range) got = calendar_part(r, text, slash + 1, n, 1, &b, &end);
    if (got != 0) {
        Py_XDECREF(start);
        Py_XDECREF(end);
        if (got > 0) Py_RETURN_NONE;
        return give_up();
    }
    if (end == NULL) end = Py_NewRef(Py_None);
    long long lo, hi;
    int failed = 0;
    if (start == Py_None)
        lo = PyLong_AsLongLong(r->open_lower);
    else
        failed = midnight(r, tz, a.first, &lo) < 0;
    const Cal *last = is_range ? (end == Py_None ? NULL : &b) : &a;
    if (!failed) {
        if (last == NULL)
            hi = PyLong_AsLongLong(r->open_upper);
        else if (midnight(r, tz, last->after, &hi) < 0)
            failed = 1;
        else
            hi -= 1;
    }
    if (failed || PyErr_Occurred()) {
        Py_DECREF(start);
        Py_DECREF(end);
        return give_up();
    }
    if (hi < lo || (start == Py_None && end == Py_None)) {
        /* Days the zone skipped, an end before the start, or no end at all: Python says. */
        Py_DECREF(start);
        Py_DECREF(end);
        Py_RETURN_NONE;
    }
    PyObject *lo_obj = PyLong_FromLongLong(lo);
    PyObject *hi_obj = PyLong_FromLongLong(hi);
    if (lo_obj == NULL || hi_obj == NULL) {
        Py_XDECREF(lo_obj);
        Py_XDECREF(hi_obj);
        Py_DECREF(start);
        Py_DECREF(end);
        return NULL;
    }
    PyObject *parts[N_SLOTS] = {
        Py_NewRef(name), Py_NewRef(Py_None), start, end,
        Py_NewRef(is_range ? Py_True : Py_False), lo_obj, hi_obj, Py_NewRef(text),
    };
    return make_when(r, parts);
}

const char tt_read_when_doc[] =
    "read_when(text, reader) -> When | None\n\n"
    "The When that text names, in the common forms; None for any other text (read it in\n"
    "Python, which also explains what is wrong).";

PyObject *
tt_read_when(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "read_when() takes 2 arguments");
        return NULL;
    }
    Reader *r = (Reader *)PyCapsule_GetPointer(args[1], READER_NAME);
    if (r == NULL) return NULL;
    PyObject *text = args[0];
    if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text)) Py_RETURN_NONE;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    /* head[zone]: one '[', and the text ends with ']' */
    Py_ssize_t open = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == '[') {
            if (open >= 0) Py_RETURN_NONE;
            open = i;
        }
    }
    if (open < 0 || n < open + 2 || s[n - 1] != ']') Py_RETURN_NONE;
    PyObject *name = PyUnicode_Substring(text, open + 1, n - 1);
    if (name == NULL) return NULL;
    PyObject *tz = PyObject_CallOneArg(r->zone, name);
    if (tz == NULL) {
        Py_DECREF(name);
        return give_up();
    }
    int instant = memchr(s, 'T', (size_t)open) != NULL;
    PyObject *out = instant ? read_instant(r, text, s, open, name, tz)
                            : read_calendar_value(r, text, open, name, tz);
    Py_DECREF(tz);
    Py_DECREF(name);
    return out;
}
