/* The compiled JSON writer of tradetruce. (The module's other half, the reader of time values,
 * is _speedups_when.c.)
 *
 * ``tradetruce._write`` describes, once per attrs class, how each field goes on the wire: its
 * key, when it is left out, and how its value is written (as it is, as ``str(value)``, as a text
 * attribute of the value, as an enumeration's value, or as a nested object by that object's own
 * plan). ``encode`` follows those plans through an object graph and writes the JSON document in
 * one pass, the way msgspec writes its own structs: fields are read straight from the instance's
 * slots, nothing is built in between. Its output is byte for byte what the Python writer in
 * ``_write`` gives through msgspec (the tests compare them); anything it does not expect (a class
 * without a plan, a value of an unplanned type, text that is not valid Unicode) raises
 * ``Unsupported``, and the caller writes the object in Python instead.
 *
 * It only reads the objects it is given and owns no state between calls.
 */
#include "_speedups.h"
#include <structmember.h>

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* When a field is left out. */
enum { OMIT_NEVER = 0, OMIT_NONE = 1, OMIT_EMPTY = 2, OMIT_IS = 3, OMIT_EQ = 4 };
/* How a value is written. */
enum { CONV_PLAIN = 0, CONV_STR = 1, CONV_TEXT = 2, CONV_MAP = 3, CONV_NESTED = 4 };

typedef struct {
    PyObject *attr;      /* the attribute name */
    PyObject *key;       /* the wire key, as bytes: "key": */
    PyObject *dflt;      /* compared with for OMIT_IS / OMIT_EQ */
    PyObject *extra;     /* CONV_MAP: dict of values; CONV_TEXT: attribute name to read */
    Py_ssize_t offset;   /* the slot's offset in the instance, or -1: read by name */
    Py_ssize_t extra_offset;  /* CONV_TEXT: offset of that attribute in extra_type, or -1 */
    PyTypeObject *extra_type; /* CONV_TEXT: the value class extra_offset belongs to */
    int omit;
    int conv;
    int many;            /* a tuple of values, written as a list */
} Field;

typedef struct {
    PyTypeObject *cls;
    Py_ssize_t n;
    Field fields[1];
} Plan;

static const char *PLAN_NAME = "tradetruce._speedups.plan";
static PyObject *Unsupported = NULL;

/* ------------------------------------------------------------------------------------ plans */

static void
field_clear(Field *f)
{
    Py_CLEAR(f->attr);
    Py_CLEAR(f->key);
    Py_CLEAR(f->dflt);
    Py_CLEAR(f->extra);
    Py_CLEAR(f->extra_type);
}

static void
plan_destroy(Plan *plan)
{
    for (Py_ssize_t i = 0; i < plan->n; i++) field_clear(&plan->fields[i]);
    Py_XDECREF(plan->cls);
    PyMem_Free(plan);
}

static void
plan_free(PyObject *capsule)
{
    Plan *plan = (Plan *)PyCapsule_GetPointer(capsule, PLAN_NAME);
    if (plan == NULL) {
        PyErr_Clear();
        return;
    }
    plan_destroy(plan);
}

/* See _speedups.h; a field without a slot is read by name. */
Py_ssize_t
tt_slot_offset(PyTypeObject *cls, PyObject *name)
{
    PyObject *descr = PyObject_GetAttr((PyObject *)cls, name);
    if (descr == NULL) {
        PyErr_Clear();
        return -1;
    }
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *def = ((PyMemberDescrObject *)descr)->d_member;
        if (def->type == T_OBJECT_EX && !(def->flags & READONLY)) offset = def->offset;
    }
    Py_DECREF(descr);
    return offset;
}

PyDoc_STRVAR(plan_doc,
"plan(cls, fields) -> capsule\n\n"
"Compile the wire plan of one class: fields is a tuple of\n"
"(attribute, key, omit, default, conv, extra, many) tuples, in the order they are written.\n"
"For a text field (conv 2), extra is (attribute name, class of the values).");

static PyObject *
make_plan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyType_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "plan() takes a class and a tuple of field tuples");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *fields = args[1];
    Py_ssize_t n = PyTuple_GET_SIZE(fields);
    Plan *plan = (Plan *)PyMem_Calloc(1, sizeof(Plan) + (size_t)(n > 0 ? n : 1) * sizeof(Field));
    if (plan == NULL) return PyErr_NoMemory();
    Py_INCREF(cls);
    plan->cls = cls;
    plan->n = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *spec = PyTuple_GET_ITEM(fields, i);
        PyObject *attr, *key, *dflt, *extra;
        int omit, conv, many;
        if (!PyTuple_Check(spec)) {
            PyErr_SetString(PyExc_TypeError, "a field spec must be a tuple");
            goto error;
        }
        if (!PyArg_ParseTuple(spec, "UUiOiOp", &attr, &key, &omit, &dflt, &conv, &extra, &many)) {
            goto error;
        }
        if (omit < OMIT_NEVER || omit > OMIT_EQ || conv < CONV_PLAIN || conv > CONV_NESTED) {
            PyErr_SetString(PyExc_ValueError, "unknown omit or conv code");
            goto error;
        }
        Field *f = &plan->fields[i];
        plan->n = i + 1;
        f->offset = -1;
        f->extra_offset = -1;
        Py_INCREF(attr);
        f->attr = attr;
        PyUnicode_InternInPlace(&f->attr);
        /* Keys are field names: identifiers, nothing to escape. */
        PyObject *quoted = PyUnicode_FromFormat("\"%U\":", key);
        if (quoted == NULL) goto error;
        f->key = PyUnicode_AsUTF8String(quoted);
        Py_DECREF(quoted);
        if (f->key == NULL) goto error;
        Py_INCREF(dflt);
        f->dflt = dflt;
        f->omit = omit;
        f->conv = conv;
        f->many = many;
        if (conv == CONV_MAP) {
            if (!PyDict_Check(extra)) {
                PyErr_SetString(PyExc_TypeError, "an enumerated field needs a dict of values");
                goto error;
            }
            Py_INCREF(extra);
            f->extra = extra;
        }
        else if (conv == CONV_TEXT) {
            PyObject *name, *value_cls;
            if (!PyArg_ParseTuple(extra, "UO!", &name, &PyType_Type, &value_cls)) goto error;
            Py_INCREF(name);
            f->extra = name;
            PyUnicode_InternInPlace(&f->extra);
            Py_INCREF(value_cls);
            f->extra_type = (PyTypeObject *)value_cls;
            f->extra_offset = tt_slot_offset(f->extra_type, f->extra);
        }
        f->offset = tt_slot_offset(cls, f->attr);
    }
    PyObject *capsule = PyCapsule_New(plan, PLAN_NAME, plan_free);
    if (capsule == NULL) goto error;
    return capsule;
error:
    plan_destroy(plan);
    return NULL;
}

/* ----------------------------------------------------------------------------------- output */

typedef struct {
    char *buf;
    Py_ssize_t len;
    Py_ssize_t cap;
    int ascii;           /* nothing but ASCII written so far */
    PyObject *plans;
} Writer;

static int
grow(Writer *w, Py_ssize_t more)
{
    if (more > PY_SSIZE_T_MAX - w->len) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t need = w->len + more;
    if (need <= w->cap) return 0;
    Py_ssize_t cap = w->cap > PY_SSIZE_T_MAX / 2 ? PY_SSIZE_T_MAX : w->cap * 2;
    if (cap < need) cap = need;
    char *buf = (char *)PyMem_Realloc(w->buf, (size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    w->buf = buf;
    w->cap = cap;
    return 0;
}

static inline int
put(Writer *w, const char *s, Py_ssize_t n)
{
    if (w->len + n > w->cap && grow(w, n) < 0) return -1;
    memcpy(w->buf + w->len, s, (size_t)n);
    w->len += n;
    return 0;
}

static PyObject *
unsupported(const char *what, PyObject *obj)
{
    PyErr_Format(Unsupported, "%s %.200s", what, Py_TYPE(obj)->tp_name);
    return NULL;
}

/* What msgspec writes for each byte below 0x80: 0 as it is, else the escape's second char
 * ('u' for \u00XX). */
static const char ESCAPE[128] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const char HEX[] = "0123456789abcdef";

static int
write_str(Writer *w, PyObject *s)
{
    Py_ssize_t n;
    const char *p;
    if (PyUnicode_IS_COMPACT_ASCII(s)) {
        p = (const char *)PyUnicode_DATA(s);
        n = PyUnicode_GET_LENGTH(s);
    }
    else {
        p = PyUnicode_AsUTF8AndSize(s, &n);
        if (p == NULL) {
            PyErr_Clear();  /* lone surrogates: let the Python writer report them */
            unsupported("text that is not valid Unicode in", s);
            return -1;
        }
        w->ascii = 0;
    }
    /* Worst case: every byte escaped as \u00XX, plus the quotes. */
    if (n > (PY_SSIZE_T_MAX - 2) / 6) {
        PyErr_NoMemory();
        return -1;
    }
    if (grow(w, 6 * n + 2) < 0) return -1;
    char *out = w->buf + w->len;
    *out++ = '"';
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char e = c < 128 ? ESCAPE[c] : 0;
        if (e == 0) {
            *out++ = (char)c;
        }
        else if (e == 'u') {
            *out++ = '\\';
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = HEX[c >> 4];
            *out++ = HEX[c & 0xF];
        }
        else {
            *out++ = '\\';
            *out++ = e;
        }
    }
    *out++ = '"';
    w->len = out - w->buf;
    return 0;
}

static int write_object(Writer *w, PyObject *obj, PyObject *head);

/* Write a value that is written as it is: text, a whole number, a boolean or null. */
static int
write_plain(Writer *w, PyObject *v)
{
    if (PyUnicode_CheckExact(v)) return write_str(w, v);
    if (v == Py_None) return put(w, "null", 4);
    if (v == Py_True) return put(w, "true", 4);
    if (v == Py_False) return put(w, "false", 5);
    if (PyLong_CheckExact(v)) {
        PyObject *digits = PyObject_Str(v);
        if (digits == NULL) return -1;
        Py_ssize_t n;
        const char *p = PyUnicode_AsUTF8AndSize(digits, &n);
        int status = p == NULL ? -1 : put(w, p, n);
        Py_DECREF(digits);
        return status;
    }
    unsupported("a value of an unplanned type:", v);
    return -1;
}

static inline PyObject *
read_slot(PyObject *obj, Py_ssize_t offset, PyObject *name)
{
    if (offset >= 0) {
        PyObject *v = *(PyObject **)((char *)obj + offset);
        if (v != NULL) {
            Py_INCREF(v);
            return v;
        }
    }
    return PyObject_GetAttr(obj, name);
}

/* The plan of ``obj``'s exact class, or NULL with ``Unsupported`` (or another error) set. */
static Plan *
plan_of(Writer *w, PyObject *obj)
{
    PyObject *capsule = PyDict_GetItemWithError(w->plans, (PyObject *)Py_TYPE(obj));
    if (capsule == NULL) {
        if (!PyErr_Occurred()) unsupported("no plan for", obj);
        return NULL;
    }
    Plan *plan = (Plan *)PyCapsule_GetPointer(capsule, PLAN_NAME);
    if (plan != NULL && plan->cls != Py_TYPE(obj)) {
        unsupported("a plan made for another class, given", obj);
        return NULL;
    }
    return plan;
}

/* Memory hints for an object about to be written: reading its values, and what they point to,
 * is most of the time writing takes, so the writer asks for them ahead of use. Stage 1 asks
 * for the object's field values; stage 2 (once those have arrived) for what they hold (the
 * text of a time value or code, a nested object's values, a tuple's items); stage 3 one hop
 * further. Only hints: nothing here can fail or change what is written. */
static void
prefetch_object(Writer *w, PyObject *obj, int stage)
{
    Plan *plan = plan_of(w, obj);
    if (plan == NULL) {
        PyErr_Clear();  /* the writer reports it when it gets there */
        return;
    }
    for (Py_ssize_t i = 0; i < plan->n; i++) {
        Field *f = &plan->fields[i];
        if (f->offset < 0) continue;
        PyObject *v = *(PyObject **)((char *)obj + f->offset);
        if (v == NULL || v == Py_None) continue;
        if (stage == 1) {
            PREFETCH(v);
            continue;
        }
        if (!f->many) {
            if (f->conv == CONV_NESTED) {
                prefetch_object(w, v, stage - 1);
            }
            else if (stage == 2 && f->conv == CONV_TEXT && f->extra_offset >= 0 &&
                     Py_TYPE(v) == f->extra_type) {
                PREFETCH(*(PyObject **)((char *)v + f->extra_offset));
            }
            continue;
        }
        if (!PyTuple_CheckExact(v)) continue;
        Py_ssize_t m = PyTuple_GET_SIZE(v);
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *item = PyTuple_GET_ITEM(v, j);
            if (stage == 2) {
                PREFETCH(item);
            }
            else if (f->conv == CONV_NESTED) {
                prefetch_object(w, item, stage - 2);
            }
            else if (stage == 3 && f->conv == CONV_TEXT && f->extra_offset >= 0 &&
                     Py_TYPE(item) == f->extra_type) {
                PREFETCH(*(PyObject **)((char *)item + f->extra_offset));
            }
        }
    }
}

/* How many items ahead in a tuple the writer asks for memory (measured: deeper costs more
 * than it hides). */
#define LOOKAHEAD 2

static int
write_value(Writer *w, PyObject *v, Field *f)
{
    PyObject *text;
    int status;
    switch (f->conv) {
    case CONV_PLAIN:
        return write_plain(w, v);
    case CONV_STR:
        if (PyUnicode_CheckExact(v)) return write_str(w, v);
        text = PyObject_Str(v);
        if (text == NULL) return -1;
        status = write_str(w, text);
        Py_DECREF(text);
        return status;
    case CONV_TEXT:
        if (Py_TYPE(v) == f->extra_type) {
            text = read_slot(v, f->extra_offset, f->extra);
        }
        else {
            text = PyObject_GetAttr(v, f->extra);
        }
        if (text == NULL) return -1;
        if (!PyUnicode_CheckExact(text)) {
            Py_DECREF(text);
            unsupported("a text attribute that is not a str, in", v);
            return -1;
        }
        status = write_str(w, text);
        Py_DECREF(text);
        return status;
    case CONV_MAP:
        text = PyDict_GetItemWithError(f->extra, v);
        if (text == NULL) {
            if (!PyErr_Occurred()) unsupported("a value outside its enumeration:", v);
            return -1;
        }
        if (!PyUnicode_CheckExact(text)) {
            unsupported("an enumeration value that is not a str:", v);
            return -1;
        }
        return write_str(w, text);
    default:  /* CONV_NESTED */
        return write_object(w, v, NULL);
    }
}

/* Write ``obj`` by the plan of its exact type; ``head`` (bytes, or NULL) is written first,
 * right after the opening brace. */
static int
write_object(Writer *w, PyObject *obj, PyObject *head)
{
    Plan *plan = plan_of(w, obj);
    if (plan == NULL) return -1;
    /* The values live elsewhere in memory: ask for all of them at once rather than wait for
     * each in turn (reading them is most of the time this takes). */
    for (Py_ssize_t i = 0; i < plan->n; i++) {
        Py_ssize_t offset = plan->fields[i].offset;
        if (offset >= 0) PREFETCH(*(PyObject **)((char *)obj + offset));
    }
    if (Py_EnterRecursiveCall(" while writing a tradetruce object")) return -1;
    int status = -1;
    if (put(w, "{", 1) < 0) goto done;
    Py_ssize_t start = w->len;
    if (head != NULL && put(w, PyBytes_AS_STRING(head), PyBytes_GET_SIZE(head)) < 0) goto done;
    for (Py_ssize_t i = 0; i < plan->n; i++) {
        Field *f = &plan->fields[i];
        PyObject *v = read_slot(obj, f->offset, f->attr);
        if (v == NULL) goto done;
        int leave_out = 0;
        switch (f->omit) {
        case OMIT_NONE:
            leave_out = v == Py_None;
            break;
        case OMIT_EMPTY:
            if (PyUnicode_CheckExact(v)) leave_out = PyUnicode_GET_LENGTH(v) == 0;
            else if (PyTuple_CheckExact(v)) leave_out = PyTuple_GET_SIZE(v) == 0;
            else {
                int truth = PyObject_IsTrue(v);
                leave_out = truth < 0 ? -1 : !truth;
            }
            break;
        case OMIT_IS:
            leave_out = v == f->dflt;
            break;
        case OMIT_EQ:
            leave_out = PyObject_RichCompareBool(v, f->dflt, Py_EQ);
            break;
        default:
            break;
        }
        if (leave_out) {
            Py_DECREF(v);
            if (leave_out < 0) goto done;
            continue;
        }
        if (v == Py_None && f->conv != CONV_PLAIN) {
            Py_DECREF(v);
            unsupported("None in a field that needs a value, in", obj);
            goto done;
        }
        int err = put(w, PyBytes_AS_STRING(f->key), PyBytes_GET_SIZE(f->key));
        if (!err && f->many) {
            if (!PyTuple_CheckExact(v)) {
                unsupported("a collection that is not a tuple, in", obj);
                err = -1;
            }
            else {
                Py_ssize_t m = PyTuple_GET_SIZE(v);
                for (Py_ssize_t j = 0; j < m; j++) PREFETCH(PyTuple_GET_ITEM(v, j));
                if (f->conv == CONV_TEXT && f->extra_offset >= 0) {
                    for (Py_ssize_t j = 0; j < m; j++) {
                        PyObject *item = PyTuple_GET_ITEM(v, j);
                        if (Py_TYPE(item) == f->extra_type) {
                            PREFETCH(*(PyObject **)((char *)item + f->extra_offset));
                        }
                    }
                }
                /* Objects in a row: item j + d gets stage LOOKAHEAD + 1 - d of its hints while
                 * item j is written, so each has had every stage by the time its turn comes. */
                int nested = f->conv == CONV_NESTED;
                if (nested) {
                    for (int stage = 1; stage <= LOOKAHEAD; stage++) {
                        for (Py_ssize_t j = 0; j < m && j <= LOOKAHEAD - stage; j++) {
                            prefetch_object(w, PyTuple_GET_ITEM(v, j), stage);
                        }
                    }
                }
                err = put(w, "[", 1);
                for (Py_ssize_t j = 0; !err && j < m; j++) {
                    if (nested) {
                        for (int d = 1; d <= LOOKAHEAD && j + d < m; d++) {
                            prefetch_object(w, PyTuple_GET_ITEM(v, j + d), LOOKAHEAD + 1 - d);
                        }
                    }
                    err = write_value(w, PyTuple_GET_ITEM(v, j), f) || put(w, ",", 1);
                }
                if (!err) {
                    if (m) w->buf[w->len - 1] = ']';
                    else err = put(w, "]", 1);
                }
            }
        }
        else if (!err) {
            err = write_value(w, v, f);
        }
        Py_DECREF(v);
        if (err || put(w, ",", 1) < 0) goto done;
    }
    /* Overwrite the trailing comma, or close an empty object. */
    if (w->len != start) {
        w->buf[w->len - 1] = '}';
        status = 0;
    }
    else {
        status = put(w, "}", 1);
    }
done:
    Py_LeaveRecursiveCall();
    return status;
}

PyDoc_STRVAR(encode_doc,
"encode(obj, plans, head) -> str\n\n"
"The compact JSON text of obj, following plans (a dict of class -> plan()); head (bytes) is\n"
"written first inside the outermost object: '\"format\":\"...\",' or b''.");

static PyObject *
encode(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyDict_CheckExact(args[1]) || !PyBytes_CheckExact(args[2])) {
        PyErr_SetString(PyExc_TypeError, "encode() takes an object, a dict of plans and bytes");
        return NULL;
    }
    Writer w = {NULL, 0, 0, 1, args[1]};
    w.cap = 1 << 16;
    w.buf = (char *)PyMem_Malloc((size_t)w.cap);
    if (w.buf == NULL) return PyErr_NoMemory();
    PyObject *head = PyBytes_GET_SIZE(args[2]) ? args[2] : NULL;
    PyObject *out = NULL;
    if (write_object(&w, args[0], head) == 0) {
        if (w.ascii) {
            out = PyUnicode_New(w.len, 127);
            if (out != NULL) memcpy(PyUnicode_DATA(out), w.buf, (size_t)w.len);
        }
        else {
            out = PyUnicode_DecodeUTF8(w.buf, w.len, "strict");
        }
    }
    PyMem_Free(w.buf);
    return out;
}

static PyMethodDef methods[] = {
    {"plan", (PyCFunction)(void (*)(void))make_plan, METH_FASTCALL, plan_doc},
    {"encode", (PyCFunction)(void (*)(void))encode, METH_FASTCALL, encode_doc},
    {"when_reader", (PyCFunction)(void (*)(void))tt_when_reader, METH_FASTCALL,
     tt_when_reader_doc},
    {"read_when", (PyCFunction)(void (*)(void))tt_read_when, METH_FASTCALL, tt_read_when_doc},
    {NULL, NULL, 0, NULL},
};

static int
speedups_exec(PyObject *module)
{
    if (Unsupported == NULL) {
        Unsupported = PyErr_NewExceptionWithDoc(
            "tradetruce._speedups.Unsupported",
            "An object the compiled writer has no plan for: the caller writes it in Python.",
            PyExc_Exception, NULL);
        if (Unsupported == NULL) return -1;
    }
    return PyModule_AddObjectRef(module, "Unsupported", Unsupported);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, speedups_exec},
    {0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "tradetruce._speedups",
    "The compiled JSON writer (see tradetruce._write) and reader of time values (see\n"
    "tradetruce.when) of tradetruce.",
    0,
    methods,
    slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module_def);
}
