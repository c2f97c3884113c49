/* What the two halves of tradetruce._speedups share: the writer (_speedups.c) and the reader of
 * time values (_speedups_when.c). */
#ifndef TRADETRUCE_SPEEDUPS_H
#define TRADETRUCE_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The offset of the slot ``name`` in instances of ``cls``, or -1 when it is not a plain object
 * slot. */
Py_ssize_t tt_slot_offset(PyTypeObject *cls, PyObject *name);

PyObject *tt_when_reader(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *tt_read_when(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
extern const char tt_when_reader_doc[];
extern const char tt_read_when_doc[];

#endif
