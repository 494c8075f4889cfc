"""Code tokenisation per language profile: what students change cheaply changes nothing, structure does.

Every language gets an ORIGINAL program, a DISGUISED copy (all identifiers renamed, literals
changed, comments and docstrings added/removed/rewritten, reformatted, optional braces and
parentheses toggled) and a few STRUCTURAL edits (an extra statement, a different operator)
that must show in the token stream. Spans are checked against the lines of the source.
"""
from __future__ import annotations

import io
import keyword
import re
import tokenize as pytokenize

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fingerprints import tokenize, tokenize_code
from fingerprints.languages import PROFILES


def line_of(src: str, needle: str, occurrence: int = 0) -> int:
    """1-based line of the n-th occurrence of `needle` in `src`."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = src.index(needle, pos + 1)
    return src.count("\n", 0, pos) + 1


def positions(stream, symbol: str) -> list[int]:
    return [i for i, s in enumerate(stream.symbols) if s == symbol]


# ----------------------------------------------------------------------------- Python

PY_ORIGINAL = '''\
"""Running statistics over a list of numbers."""
import math


def running_mean(values, window=3):
    """Mean of each window of values."""
    out = []
    total = 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


class Stats:
    def __init__(self, data):
        self.data = list(data)
        self.label = "stats"

    def spread(self):
        lo, hi = min(self.data), max(self.data)
        while hi > 100:
            hi = hi / 2
        return math.sqrt(hi - lo) if self.data else None
'''

PY_DISGUISED = '''\
# A completely different header comment.
import math
def mov_avg(xs,
            w=17):
    # no docstring any more, a comment instead
    res = []; acc = 42          # two statements on one line
    for k, item in enumerate(xs):
        acc += item   # add
        if (k >= w):
            acc -= xs[
                k - w
            ]
        res.append((acc) / min(k + 99,
                               w))
    return (res)
class Summary:
    """Now the class has a docstring."""
    def __init__(me, rows):
        me.rows = list(rows)
        me.tag = 'something else entirely'
    def width(me):
        """And so does this method,
        over two lines."""
        a, b = min(me.rows), max(me.rows)
        while (b > 2.5e3):
            b = b / 7
        return (math.sqrt(b - a)
                if me.rows else None)
'''

PY_STRUCTURAL = {
    "extra statement": PY_ORIGINAL.replace("    return out\n", "    out.append(total)\n    return out\n"),
    "different operator": PY_ORIGINAL.replace("total -= values", "total += values"),
    "different binary operator": PY_ORIGINAL.replace("hi = hi / 2", "hi = hi // 2"),
    "if instead of while": PY_ORIGINAL.replace("while hi > 100:", "if hi > 100:"),
}

# ----------------------------------------------------------------------------- C

C_ORIGINAL = '''\
#include <stdio.h>
#define LIMIT 10

/* Sum of the positive entries. */
static int sum_positive(const int *xs, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        if (xs[i] > 0) {
            total += xs[i];
        }
    }
    while (total > LIMIT) total /= 2;
    printf("%d\\n", total);
    return total;
}
'''

C_DISGUISED = '''\
#include <stdlib.h>
#define CAP 999
// a line comment where the block comment was
static int acc_pos(const int *v,
                   int len)
{
    int s = 123;   /* changed literal */
    for (int j = 5; j < len; j++)
        if (v[j] > 7)
            s += v[j];
    while ((s > CAP))
    {
        s /= 3;
    }
    printf("something else: %d", s);
    return (s);
}
'''

C_STRUCTURAL = {
    "extra statement": C_ORIGINAL.replace("    return total;", "    total++;\n    return total;"),
    "different operator": C_ORIGINAL.replace("total += xs[i]", "total -= xs[i]"),
    "different comparison": C_ORIGINAL.replace("xs[i] > 0", "xs[i] >= 0"),
}

# ----------------------------------------------------------------------------- C++

CPP_ORIGINAL = '''\
#include <vector>
#include <string>

namespace ml {
// dot product of two vectors
template <typename T>
T dot(const std::vector<T>& a, const std::vector<T>& b) {
    T acc = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        acc += a[i] * b[i];
    }
    std::string name = "dot";
    if (acc < 0) {
        return -acc;
    }
    return acc;
}
}
'''

CPP_DISGUISED = '''\
#include <vector>
#include <string>
namespace linalg
{
/* inner product, documented differently */
template <typename U>
U inner(const std::vector<U>& p,
        const std::vector<U>& q)
{
    U s = 1;
    for (std::size_t k = 10; k < p.size(); ++k)
        s += p[k] * q[k];   // accumulate
    std::string label = "inner product";
    if ((s < 3))
        return -s;
    return (s);
}
}
'''

CPP_STRUCTURAL = {
    "extra statement": CPP_ORIGINAL.replace("    return acc;\n}", "    acc *= 2;\n    return acc;\n}"),
    "different operator": CPP_ORIGINAL.replace("a[i] * b[i]", "a[i] + b[i]"),
}

# ----------------------------------------------------------------------------- CUDA

CUDA_ORIGINAL = '''\
#include <cuda_runtime.h>

// y = a * x + y on the GPU
__global__ void saxpy(int n, float a, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = a * x[i] + y[i];
    }
}

void launch(int n, float a, float* x, float* y) {
    int threads = 256;
    saxpy<<<(n + threads - 1) / threads, threads>>>(n, a, x, y);
    cudaDeviceSynchronize();
}
'''

CUDA_DISGUISED = '''\
#include <cuda_runtime.h>
/* a block comment
   over two lines */
__global__ void axpy_kernel(int count, float alpha,
                            const float* src, float* dst)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;   // global thread id
    if (t < count)
        dst[t] = alpha * src[t] + dst[t];
}
void run(int count, float alpha, float* src, float* dst)
{
    int tpb = 128;
    axpy_kernel<<<(count + tpb - 7) / tpb, tpb>>>(count,
                                                  alpha, src, dst);
    cudaDeviceSynchronize();
}
'''

CUDA_STRUCTURAL = {
    "extra statement": CUDA_ORIGINAL.replace("    cudaDeviceSynchronize();", "    cudaDeviceSynchronize();\n    cudaDeviceReset();"),
    "different operator": CUDA_ORIGINAL.replace("a * x[i] + y[i]", "a * x[i] - y[i]"),
    "different qualifier": CUDA_ORIGINAL.replace("__global__", "__device__"),
}

# ----------------------------------------------------------------------------- Java

JAVA_ORIGINAL = '''\
import java.util.List;

public class Stats {
    /** Sum of the list. */
    public static int sum(int[] xs) {
        int total = 0;
        for (int x : xs) {
            total += x;
        }
        for (int i = 0; i < xs.length; i++) {
            total -= 1;
        }
        String label = "sum";
        if (total > 100) {
            return total / 2;
        }
        return total;
    }
}
'''

JAVA_DISGUISED = '''\
import java.util.ArrayList;
import java.util.Map;
// the class is package-private now, the method private
class Numbers
{
    private static int add(int[] values)
    {
        int acc = 77;  /* start */
        for (int v : values) acc += v;
        for (int k = 3; k < values.length; k++)
            acc -= 9;
        String tag = "a different string";
        if ((acc > 5))
            return acc / 4;
        return (acc);
    }
}
'''

JAVA_STRUCTURAL = {
    "extra statement": JAVA_ORIGINAL.replace("        return total;\n", "        total++;\n        return total;\n"),
    "different operator": JAVA_ORIGINAL.replace("total / 2", "total * 2"),
}

CASES = {
    "python": (PY_ORIGINAL, PY_DISGUISED, PY_STRUCTURAL),
    "c": (C_ORIGINAL, C_DISGUISED, C_STRUCTURAL),
    "cpp": (CPP_ORIGINAL, CPP_DISGUISED, CPP_STRUCTURAL),
    "cuda": (CUDA_ORIGINAL, CUDA_DISGUISED, CUDA_STRUCTURAL),
    "java": (JAVA_ORIGINAL, JAVA_DISGUISED, JAVA_STRUCTURAL),
}


def test_every_profile_has_a_case():
    assert set(CASES) == set(PROFILES)


@pytest.mark.parametrize("language", sorted(CASES))
def test_disguised_copy_has_the_same_symbols(language):
    original, disguised, _ = CASES[language]
    a, b = tokenize_code(original, language), tokenize_code(disguised, language)
    assert len(a) > 40
    assert a.symbols == b.symbols
    # and the disguise really changed the text, names included
    assert original != disguised


@pytest.mark.parametrize("language,change", [(lang, change) for lang in sorted(CASES)
                                             for change in CASES[lang][2]])
def test_structural_change_changes_the_symbols(language, change):
    original, _, structural = CASES[language]
    edited = structural[change]
    assert edited != original, "the edit did not apply"
    assert tokenize_code(edited, language).symbols != tokenize_code(original, language).symbols


@pytest.mark.parametrize("language", sorted(CASES))
def test_identifiers_and_literals_are_abstracted(language):
    original, _, _ = CASES[language]
    symbols = set(tokenize_code(original, language).symbols)
    assert "ID" in symbols and "NUM" in symbols and "STR" in symbols
    # no raw name, literal or comment node of the grammar survives the profile
    profile = PROFILES[language]
    raw = profile.identifiers | set(profile.literals) | profile.comments | {"comment", "line_comment", "block_comment"}
    assert not symbols & raw
    # and no punctuation: it is formatting
    assert not symbols & {"(", ")", "{", "}", ";", ",", ":"}


@pytest.mark.parametrize("language", sorted(CASES))
def test_comments_alone_make_no_tokens(language):
    comment = {"python": "# just a comment\n", "java": "// just a comment\n/* and a block */\n"}.get(
        language, "// just a comment\n/* and a block */\n")
    assert len(tokenize_code(comment, language)) == 0
    assert len(tokenize_code("", language)) == 0


@pytest.mark.parametrize("language", sorted(CASES))
def test_spans_are_ordered_and_inside_the_source(language):
    for text in CASES[language][:2]:
        s = tokenize_code(text, language)
        n_lines = text.count("\n") + 1
        assert s.first_lines.dtype == np.int32 and s.last_lines.dtype == np.int32
        assert len(s.first_lines) == len(s.last_lines) == len(s.symbols)
        assert (s.first_lines >= 1).all() and (s.last_lines <= n_lines).all()
        assert (s.first_lines <= s.last_lines).all()
        # a pre-order walk meets tokens in source order
        assert (np.diff(s.first_lines) >= 0).all()


# ----------------------------------------------------------------------------- spans per language

LOOP_LINES = {
    # language: (source, needles of each loop statement in order)
    "python": (PY_ORIGINAL, ["for i, v", "while hi"]),
    "c": (C_ORIGINAL, ["for (int i", "while (total"]),
    "cpp": (CPP_ORIGINAL, ["for (std::size_t"]),
    "java": (JAVA_ORIGINAL, ["for (int x", "for (int i"]),
}


@pytest.mark.parametrize("language", sorted(LOOP_LINES))
def test_loop_tokens_sit_on_their_lines(language):
    src, needles = LOOP_LINES[language]
    s = tokenize_code(src, language)
    loops = positions(s, "loop")
    assert [int(s.first_lines[i]) for i in loops] == [line_of(src, n) for n in needles]
    assert [int(s.last_lines[i]) for i in loops] == [line_of(src, n) for n in needles]


def test_cuda_grid_stride_loop_span():
    src = ("__global__ void scale(float* x, int n) {\n"
           "    int stride = blockDim.x * gridDim.x;\n"
           "\n"
           "    // grid-stride loop\n"
           "    for (int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
           "         i < n;\n"
           "         i += stride) {\n"
           "        x[i] *= 2.0f;\n"
           "    }\n"
           "}\n")
    s = tokenize_code(src, "cuda")
    (loop,) = positions(s, "loop")
    assert (int(s.first_lines[loop]), int(s.last_lines[loop])) == (5, 5)
    # the loop's parts keep their own lines
    assert s.first_lines[positions(s, "+=")[0]] == 7
    assert s.first_lines[positions(s, "*=")[0]] == 8


def test_python_spans_by_hand():
    s = tokenize_code(PY_ORIGINAL, "python")
    assert s.symbols[0] == "import_statement" and s.first_lines[0] == 2  # the docstring on line 1 is gone
    loop = positions(s, "loop")[0]
    assert s.first_lines[loop] == 9
    fn = positions(s, "function_definition")
    assert [int(s.first_lines[i]) for i in fn] == [5, 18, 22]
    ret = positions(s, "return_statement")
    assert [int(s.first_lines[i]) for i in ret] == [14, 26]


def test_cuda_kernel_launch_span():
    s = tokenize_code(CUDA_ORIGINAL, "cuda")
    launch = positions(s, "kernel_call_syntax")
    assert len(launch) == 1 and s.first_lines[launch[0]] == line_of(CUDA_ORIGINAL, "saxpy<<<")
    disguised = tokenize_code(CUDA_DISGUISED, "cuda")
    # the launch's arguments are spread over two lines; its last ID is on the second
    call = positions(disguised, "call_expression")[0]
    assert disguised.first_lines[call] == line_of(CUDA_DISGUISED, "axpy_kernel<<<")
    sync = positions(disguised, "call_expression")[1]
    assert disguised.symbols[sync - 1] == "ID"  # dst, the launch's last argument
    assert disguised.first_lines[sync - 1] == line_of(CUDA_DISGUISED, "alpha, src, dst);")
    assert disguised.first_lines[sync] == line_of(CUDA_DISGUISED, "cudaDeviceSynchronize")


def py_identifier_lines(src: str) -> list[int]:
    """Lines of every identifier occurrence, from Python's own tokenizer."""
    lines = []
    for tok in pytokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == pytokenize.NAME and not keyword.iskeyword(tok.string):
            lines.append(tok.start[0])
    return lines


def test_python_identifier_lines_match_pythons_tokenizer():
    # no docstrings here: they are dropped with the names they mention (none) and the rest agrees
    src = "\n".join(line for line in PY_DISGUISED.splitlines()
                    if '"""' not in line and "over two lines" not in line) + "\n"
    s = tokenize_code(src, "python")
    ids = positions(s, "ID")
    assert [int(s.first_lines[i]) for i in ids] == py_identifier_lines(src)
    assert all(s.first_lines[i] == s.last_lines[i] for i in ids)


MULTILINE_STRINGS = {
    # language: (source, needle of the literal's first line, needle of its last line, token)
    "python": ('x = 1\ns = """first\nsecond\nthird"""\ny = 2\n', 's = """', 'third"""', "STR"),
    "c": ('int x = 1;\nconst char *s = "first"\n    "second"\n    "third";\nint y = 2;\n',
          '"first"', '"third"', "STR"),
    "cpp": ('int x = 1;\nconst char *s = R"(first\nsecond\nthird)";\nint y = 2;\n',
            'R"(', 'third)"', "STR"),
    "cuda": ('int x = 1;\nconst char *s = "first"\n    "second"\n    "third";\nint y = 2;\n',
             '"first"', '"third"', "STR"),
    "java": ('class A {\n  String s = """\n      first\n      second\n      """;\n  int y = 2;\n}\n',
             'String s', '      """;', "STR"),
}


@pytest.mark.parametrize("language", sorted(MULTILINE_STRINGS))
def test_multiline_string_literal_spans_its_lines(language):
    src, start, end, token = MULTILINE_STRINGS[language]
    s = tokenize_code(src, language)
    strs = positions(s, token)
    assert len(strs) == 1
    i = strs[0]
    assert (int(s.first_lines[i]), int(s.last_lines[i])) == (line_of(src, start), line_of(src, end))
    assert int(s.last_lines[i]) - int(s.first_lines[i]) >= 2
    # the tokens after the literal are on the lines after it
    assert s.first_lines[i + 1] == s.last_lines[i] + 1


def test_python_docstrings_anywhere_are_dropped_but_other_strings_stay():
    with_docs = 'def f(a):\n    """Doc."""\n    x = "kept"\n    return x\n'
    without = 'def f(a):\n    x = "kept"\n    return x\n'
    a, b = tokenize_code(with_docs, "python"), tokenize_code(without, "python")
    assert a.symbols == b.symbols
    assert "STR" in a.symbols
    # but a string that is used is kept: assigning the docstring text is structure
    used = 'def f(a):\n    d = """Doc."""\n    x = "kept"\n    return x\n'
    assert tokenize_code(used, "python").symbols != a.symbols


def test_python_literal_kinds():
    base = tokenize_code("x = 1\ny = 'a'\nz = True\nw = None\n", "python").symbols
    assert base == tokenize_code('x = 2.5\ny = f"b{x}"\nz = False\nw = None\n', "python").symbols
    # a different kind of literal is a different token
    assert base != tokenize_code("x = '1'\ny = 'a'\nz = True\nw = None\n", "python").symbols


def test_tokenize_dispatches_on_language():
    text = "for i in range(3):\n    print(i)\n"
    assert tokenize(text, "python").symbols == tokenize_code(text, "python").symbols
    # prose: the characters of its words, a space after each
    assert "".join(tokenize(text, "text").symbols) == "for i in range 3 print i "


def test_python_type_hints_change_nothing():
    plain = "def f(a, b=3):\n    x = a + b\n    return x\n"
    hinted = "def f(a: int, b: int = 3) -> int:\n    x: int = a + b\n    return x\n"
    assert tokenize_code(hinted, "python").symbols == tokenize_code(plain, "python").symbols


def test_python_hints_on_defaults_and_assignments_change_nothing():
    # the half of the type-hint invariance that does hold
    plain = "def f(b=3):\n    x = b\n    return x\n"
    hinted = "def f(b: int = 3):\n    x: int = b\n    return x\n"
    assert tokenize_code(hinted, "python").symbols == tokenize_code(plain, "python").symbols


# ----------------------------------------------------------------------------- renaming, as a property

RENAME_PROGRAM = '''\
import collections


def histogram(words, top=5):
    counts = collections.Counter()
    for word in words:
        key = word.lower().strip()
        if key:
            counts[key] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [name for name, _n in ranked[:top]]


class Model:
    def __init__(self, rate, decay=0.9):
        self.rate = rate
        self.decay = decay
        self.steps = 0

    def step(self, grad):
        self.steps += 1
        self.rate = self.rate * self.decay
        try:
            return [g * self.rate for g in grad]
        except TypeError as err:
            raise ValueError(str(err)) from err
'''


def _names(src: str) -> list[str]:
    return sorted({t.string for t in pytokenize.generate_tokens(io.StringIO(src).readline)
                   if t.type == pytokenize.NAME and not keyword.iskeyword(t.string)})


def _rename(src: str, mapping: dict[str, str]) -> str:
    """Replace every NAME token (not inside strings or comments) by its new name."""
    lines = src.splitlines(keepends=True)
    toks = [t for t in pytokenize.generate_tokens(io.StringIO(src).readline)
            if t.type == pytokenize.NAME and t.string in mapping]
    for t in reversed(toks):  # right to left keeps earlier columns valid
        row, col = t.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + mapping[t.string] + line[col + len(t.string):]
    return "".join(lines)


RESERVED = set(keyword.kwlist) | set(keyword.softkwlist) | {"type"}
new_name = st.from_regex(re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,10}"), fullmatch=True).filter(
    lambda s: s not in RESERVED)
ORIGINAL_NAMES = _names(RENAME_PROGRAM)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(new_name, min_size=len(ORIGINAL_NAMES), max_size=len(ORIGINAL_NAMES), unique=True))
def test_random_renaming_leaves_python_symbols_unchanged(names):
    mapping = dict(zip(ORIGINAL_NAMES, names))
    renamed = _rename(RENAME_PROGRAM, mapping)
    compile(renamed, "<renamed>", "exec")  # still a valid program
    a, b = tokenize_code(RENAME_PROGRAM, "python"), tokenize_code(renamed, "python")
    assert a.symbols == b.symbols
    assert (a.first_lines == b.first_lines).all() and (a.last_lines == b.last_lines).all()


def test_rename_helper_really_renames():
    mapping = {n: f"zz_{i}" for i, n in enumerate(ORIGINAL_NAMES)}
    renamed = _rename(RENAME_PROGRAM, mapping)
    assert "histogram" not in renamed and "zz_0" in renamed
    assert _names(renamed) == sorted(mapping.values())


def test_java_declarations_read_as_assignments_whatever_their_type():
    declared = tokenize_code("class A { void f() { double r = in.next(); } }", "java").symbols
    assigned = tokenize_code("class A { void f() { r = in.next(); } }", "java").symbols
    retyped = tokenize_code("class A { void f() { float r = in.next(); } }", "java").symbols
    assert declared == assigned == retyped
    assert "assignment_expression" in declared


def test_java_fields_without_initialiser_leave_no_tokens():
    local = tokenize_code("class A { void f() { double r = in.next(); } }", "java").symbols
    hoisted = tokenize_code("class A { static double r, s; private int n; void f() { r = in.next(); } }",
                            "java").symbols
    initialised = tokenize_code("class A { static int n = 0; void f() { r = in.next(); } }", "java").symbols
    assert hoisted == local
    assert len(initialised) > len(local)  # a field with a value is a statement: it stays
