"""Single-use procedures are read at their call site: extracting or inlining a block changes nothing."""
import numpy as np
import pytest

from fingerprints.code import tokenize_code
from fingerprints.structure import subtree_hashes
from fingerprints.winnow import symbol_ids

JAVA_INLINE = '''\
public class Table {
    public static void main(String[] args) {
        System.out.println("Miles\\tKilometers");
        int miles = 1;
        while (miles <= 10) {
            System.out.println(miles + "\\t" + miles * 1.609);
            miles++;
        }
    }
}
'''
JAVA_EXTRACTED = '''\
public class Table {
    public static void rows(int miles) {
        while (miles <= 10) {
            System.out.println(miles + "\\t" + miles * 1.609);
            miles++;
        }
    }

    public static void main(String[] args) {
        System.out.println("Miles\\tKilometers");
        int miles = 1;
        rows(miles);
    }
}
'''
PY_INLINE = '''\
def main():
    total = 0
    for x in range(10):
        total += x * x
    print("sum of squares", total)
'''
PY_EXTRACTED = '''\
def report(total):
    print("sum of squares", total)


def main():
    total = 0
    for x in range(10):
        total += x * x
    report(total)
'''
C_INLINE = '''\
int main(void) {
    int s = 0;
    for (int i = 0; i < 10; i++) {
        s += i;
    }
    printf("%d\\n", s);
    return 0;
}
'''
C_EXTRACTED = '''\
void show(int s) {
    printf("%d\\n", s);
}

int main(void) {
    int s = 0;
    for (int i = 0; i < 10; i++) {
        s += i;
    }
    show(s);
    return 0;
}
'''


@pytest.mark.parametrize("language, inline, extracted", [("java", JAVA_INLINE, JAVA_EXTRACTED),
                                                          ("python", PY_INLINE, PY_EXTRACTED),
                                                          ("c", C_INLINE, C_EXTRACTED)])
def test_a_helper_called_once_reads_as_its_body_at_the_call(language, inline, extracted):
    assert tokenize_code(extracted, language).symbols == tokenize_code(inline, language).symbols


def test_the_moved_body_keeps_its_own_lines():
    stream = tokenize_code(JAVA_EXTRACTED, "java")
    lines = stream.first_lines.tolist()
    assert lines != sorted(lines)  # the loop (lines 3-6) comes after main's first lines (10-11)
    assert set(lines) >= {3, 4, 5, 10, 11}


def test_subtrees_of_the_moved_body_are_the_same_as_inline():
    a, b = tokenize_code(JAVA_INLINE, "java"), tokenize_code(JAVA_EXTRACTED, "java")
    assert (np.diff(b.extents[:, 0]) >= 0).all()  # extents still in order, as structure.py needs
    ha = subtree_hashes(symbol_ids(a.symbols), a.extents, 5)
    hb = subtree_hashes(symbol_ids(b.symbols), b.extents, 5)
    assert len(np.intersect1d(ha, hb)) >= 0.9 * len(ha)


@pytest.mark.parametrize("change", [
    lambda s: s.replace("        rows(miles);\n", "        rows(miles);\n        rows(2);\n"),  # called twice
    lambda s: s.replace("        rows(miles);\n", "        int n = count(rows(miles));\n"),  # not a statement
    lambda s: s.replace("        rows(miles);\n", "        Table.rows(miles);\n"),  # not a plain call
    lambda s: s.replace("            miles++;\n", "            miles++;\n            rows(miles);\n"),  # recursive
], ids=["twice", "in an expression", "qualified", "recursive"])
def test_other_helpers_stay_where_they_are(change):
    edited = change(JAVA_EXTRACTED)
    assert edited != JAVA_EXTRACTED
    assert tokenize_code(edited, "java").symbols.count("method_declaration") == 2  # main and the helper


def test_a_cuda_kernel_launch_is_not_inlined():
    kernel = '__global__ void k(float* x) { x[0] = 1; }\nint main(void) { k<<<1, 1>>>(0); return 0; }\n'
    symbols = tokenize_code(kernel, "cuda").symbols
    assert symbols.count("function_definition") == 2 and "kernel_call_syntax" in symbols
