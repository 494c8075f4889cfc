"""The self-contained HTML report: well-formed, offline, escaped, and pointing at the right lines."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from integrity.documents import Document, Problem, Submission
from integrity.fragments import Fragment
from integrity.report import render_report
from integrity.scoring import PairScore

EVIL = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }}"


# ---- a small DOM built with html.parser, checking that tags nest --------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None") -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """The text inside, skipping the CSS and script (a script's own text is its code)."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children
                       if isinstance(c, str) or c.tag not in ("script", "style"))

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]


class Dom(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.stack = [self.root]
        self.errors: list[str] = []
        self.ids: dict[str, Node] = {}
        self.feed(page)
        self.close()
        if len(self.stack) != 1:
            self.errors.append(f"unclosed: {[n.tag for n in self.stack[1:]]}")

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(node)
        if "id" in node.attrs:
            if node.attrs["id"] in self.ids:
                self.errors.append(f"duplicate id {node.attrs['id']}")
            self.ids[node.attrs["id"]] = node
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def __getitem__(self, element_id: str) -> Node:
        return self.ids[element_id]


def parse(page: str) -> Dom:
    dom = Dom(page)
    assert dom.errors == []
    return dom


# ---- fixtures -------------------------------------------------------------------------


def doc(path: str, text: str, language: str = "python", kind: str = "code") -> Document:
    data = text.encode("utf-8", "surrogateescape")
    return Document(path, kind, language, text, hashlib.sha256(data).hexdigest())


def numbered(prefix: str, n: int) -> str:
    """n distinct lines of Python, line i reading `<prefix>_i = i`."""
    return "".join(f"{prefix}_{i} = {i}\n" for i in range(1, n + 1))


ALICE = Submission("alice", (
    doc("train.py", numbered("alice_train", 40)),
    doc("kernel.cu", numbered("alice_kernel", 30), "cuda"),
    doc("notes.md", "ALICE_UNUSED_DOCUMENT\n", "text", "prose"),
))
BOB = Submission("bob", (doc("src/model.py", numbered("bob_model", 45)), doc("k.cu", numbered("bob_k", 30), "cuda")))
CAROL = Submission("carol", (doc("main.py", "CAROL_ONLY_TEXT = 1\n" + numbered("carol", 20)),))

PAIR_AB = PairScore("alice", "bob", 0.87, 0.812, 0.9049, 57, (
    Fragment("train.py", (10, 24), "src/model.py", (12, 27), 57),
    Fragment("kernel.cu", (3, 8), "k.cu", (5, 10), 31),
))
PAIR_AC = PairScore("alice", "carol", 0.554, 0.40, 0.70, 20, (Fragment("train.py", (1, 5), "main.py", (2, 6), 20),),
                    unusual=3.25)


def render(**kw) -> str:
    args = dict(title="Assignment 2", submissions=[ALICE, BOB, CAROL], pairs=[PAIR_AB, PAIR_AC])
    args.update(kw)
    return render_report(args.pop("title"), args.pop("submissions"), args.pop("pairs"), **args)


def line(dom: Dom, pair: str, side: str, path: str, number: int) -> Node:
    """The div of line `number` of document `path` on `side` of pair section `pair`."""
    docs = [d for d in dom[f"{pair}-{side}"].find_all("div", "doc") if d.attrs.get("data-path") == path]
    assert len(docs) == 1, f"{path} shown {len(docs)} times on side {side}"
    [lines] = docs[0].find_all("div", "lines")
    divs = [c for c in lines.children if isinstance(c, Node)]
    assert all(d.tag == "div" and "l" in d.classes for d in divs)
    return divs[number - 1]


def source_text(line_div: Node) -> str:
    """A line's text without the fragment badges in its gutter."""
    return "".join(c if isinstance(c, str) else c.text() for c in line_div.children
                   if isinstance(c, str) or "fm" not in c.classes)


def colour(node: Node) -> str:
    [c] = [c for c in node.classes if re.fullmatch(r"c\d", c)]
    return c


# ---- tests ----------------------------------------------------------------------------


def test_report_is_well_formed_and_offline():
    page = render(subtitle="2026-11-25, k=25", clusters=[["alice", "bob", "carol"]],
                  problems=[Problem("dave/x.pdf", "encrypted")])
    dom = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "<link" not in lowered and "<script src" not in lowered and "@import" not in lowered
    for node in dom.root.walk():
        for name in ("href", "src", "action"):
            value = node.attrs.get(name)
            assert value is None or value.startswith("#"), (node.tag, name, value)
    [script] = dom.root.find_all("script")
    assert "src" not in script.attrs
    # The CSP admits exactly this script, by hash, and nothing from anywhere else.
    [csp] = [m for m in dom.root.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(script.text().encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp.attrs["content"]
    assert "default-src 'none'" in csp.attrs["content"]


def test_header_shows_title_subtitle_and_counts():
    dom = parse(render(subtitle="A2 · 2026-11-25", problems=[Problem("x.zip", "bad zip")]))
    header = dom.root.find_all("header")[0].text()
    assert "Assignment 2" in header and "A2 · 2026-11-25" in header
    stats = {s.find_all("span")[0].text(): s.find_all("b")[0].text() for s in dom.root.find_all("div", "stat")}
    assert stats["Submissions"] == "3" and stats["Pairs with evidence"] == "2" and stats["Problems"] == "1"


def test_untrusted_text_is_escaped_everywhere():
    evil_name = f'{EVIL}{JINJA}" onmouseover="alert(2)'
    evil_path = f"evil</textarea>{EVIL}.py"
    code = f"x = '{EVIL}'\ny = '{JINJA}'\n# </textarea></div></span>\n"
    prose = f"Intro {EVIL} and {JINJA} </pre>\n"
    evil = Submission(evil_name, (doc(evil_path, code), doc("r.md", prose, "text", "prose")))
    pair = PairScore("carol", evil_name, 0.5, 0.5, 0.5, 9, (
        Fragment("main.py", (1, 3), evil_path, (1, 3), 9),
        Fragment("main.py", (4, 4), "r.md", (1, 1), 3),
    ))
    page = render(title=f"T {EVIL}", submissions=[CAROL, evil], pairs=[pair],
                  clusters=[["carol", evil_name]], problems=[Problem(evil_path, f"reason {EVIL} {JINJA}")],
                  subtitle=JINJA)
    dom = parse(page)

    assert "<script>alert" not in page and "</textarea>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert JINJA in page and "49" not in dom.root.text()
    assert len(dom.root.find_all("script")) == 1
    for node in dom.root.walk():
        assert not any(name.startswith("on") for name in node.attrs), node.attrs
    # Names and paths come back as exactly the text they were.
    first_row = dom.root.find_all("tbody")[0].find_all("tr")[0]
    assert first_row.find_all("td")[2].text() == evil_name
    assert [m.text() for m in dom.root.find_all("span", "member")] == ["carol", evil_name]
    assert dom["p1-b"].find_all("div", "doc")[0].attrs["data-path"] == evil_path
    # Code and prose come back line by line as the student wrote them, highlighted or not.
    for path, text in ((evil_path, code), ("r.md", prose)):
        for number, expected in enumerate(text.splitlines(), 1):
            assert source_text(line(dom, "p1", "b", path, number)) == expected
    problems = dom.root.find_all("details", "problems")[0].text()
    assert f"{evil_path}: reason {EVIL} {JINJA}" in problems


def test_fragment_lines_are_highlighted_on_both_sides_in_one_colour():
    dom = parse(render())
    # Fragment 1: train.py L10-24 <-> src/model.py L12-27.
    a = {n: line(dom, "p1", "a", "train.py", n) for n in (9, 10, 24, 25)}
    b = {n: line(dom, "p1", "b", "src/model.py", n) for n in (11, 12, 27, 28)}
    assert "frag-1" in a[10].classes and "frag-1" in a[24].classes
    assert "frag-1" not in a[9].classes and "frag-1" not in a[25].classes
    assert "frag-1" in b[12].classes and "frag-1" in b[27].classes
    assert "frag-1" not in b[11].classes and "frag-1" not in b[28].classes
    assert colour(a[10]) == colour(b[12])
    assert source_text(a[10]) == "alice_train_10 = 10"
    assert source_text(b[12]) == "bob_model_12 = 12"
    # The fragment's anchors sit on its first line on each side.
    assert dom["p1-f1-a"].parent is a[10]
    assert dom["p1-f1-b"].parent is line(dom, "p1", "b", "src/model.py", 12)
    # Fragment 2 lives in the second document of each submission, in another colour.
    k3, k5 = line(dom, "p1", "a", "kernel.cu", 3), line(dom, "p1", "b", "k.cu", 5)
    assert "frag-2" in k3.classes and "frag-2" in k5.classes
    assert "frag-2" not in line(dom, "p1", "a", "kernel.cu", 2).classes
    assert colour(k3) == colour(k5) != colour(a[10])
    assert dom["p1-f2-a"].parent is k3
    # The fragment list links to both sides' anchors.
    links = [n for n in dom["p1"].find_all("a") if n.attrs.get("data-f") == "p1-f2"]
    assert links[0].attrs["href"] == "#p1-f2-a"
    text = " ".join(links[0].text().split())
    assert "kernel.cu L3–8" in text and "k.cu L5–10" in text and "(31 tokens)" in text


def test_only_documents_taking_part_in_fragments_are_embedded():
    page = render()
    assert "ALICE_UNUSED_DOCUMENT" not in page
    dom = parse(page)
    paths = [d.attrs["data-path"] for d in dom["p1-a"].find_all("div", "doc")]
    assert paths == ["train.py", "kernel.cu"]


def test_pair_table_keeps_the_given_order_with_percentages():
    dom = parse(render(pairs=[PAIR_AC, PAIR_AB]))  # the caller's ranking is kept as given
    rows = dom.root.find_all("tbody")[0].find_all("tr")
    cells = [[td.text().strip() for td in row.find_all("td")] for row in rows]
    assert cells[0] == ["1", "alice", "carol", "55%", "+3.2σ", "40%", "70%", "20", "1"]
    assert cells[1] == ["2", "alice", "bob", "87%", "+0.0σ", "81%", "90%", "57", "2"]
    for rank, row in enumerate(rows, 1):
        assert {a.attrs["href"] for a in row.find_all("a")} == {f"#p{rank}"}
        assert f"p{rank}" in dom.ids
    bars = [row.find_all("i")[0].attrs["style"] for row in rows]
    assert bars == ["width: 55.4%", "width: 87.0%"]


def test_max_pairs_limits_the_shown_pairs_and_their_documents():
    page = render(max_pairs=1)
    dom = parse(page)
    assert len(dom.root.find_all("tbody")[0].find_all("tr")) == 1
    assert "p1" in dom.ids and "p2" not in dom.ids
    assert "CAROL_ONLY_TEXT" not in page and "carol_1 = 1" not in page
    assert "Top 1 of 2 pairs" in " ".join(dom.root.text().split())

    empty = parse(render(max_pairs=0))
    assert empty.root.find_all("tbody") == [] and "p1" not in empty.ids


def test_clusters_and_problems_appear():
    dom = parse(render(
        clusters=[["carol", "alice"], ["alice", "bob", "carol"], ["solo"]],
        problems=[Problem("dave/notes.pdf", "encrypted PDF"), Problem("erin.zip", "not a zip")],
    ))
    items = [[m.text() for m in li.find_all("span", "member")] for li in dom["clusters"].find_all("li")]
    assert items == [["alice", "bob", "carol"], ["carol", "alice"]]  # groups first; singletons dropped
    [details] = dom["problems"].find_all("details", "problems")
    assert "open" not in details.attrs  # collapsed until the TA opens it
    lines = [" ".join(li.text().split()) for li in details.find_all("li")]
    assert lines == ["dave/notes.pdf: encrypted PDF", "erin.zip: not a zip"]
    assert "2 problems" in details.find_all("summary")[0].text()


@pytest.mark.parametrize("language", ["python", "c", "cpp", "cuda", "java", "text", "klingon"])
def test_line_numbers_match_the_source(language):
    text = ('\n\n/* a block\n   comment */\n"""doc\nstring"""\r\nint x = 1; // tail\r\n'
            'lone\rcarriage\n\tindented <b>&amp;</b>\n\n')
    lines = text.replace("\r\n", "\n").split("\n")[:-1]  # fingerprints count lines by "\n" only
    sub_a = Submission("a", (doc("f", text, language),))
    sub_b = Submission("b", (doc("g", "only line", language),))
    pair = PairScore("a", "b", 0.1, 0.1, 0.1, 1, (Fragment("f", (3, 4), "g", (1, 1), 1),))
    dom = parse(render_report("t", [sub_a, sub_b], [pair]))
    shown = dom["p1-a"].find_all("div", "l")
    assert len(shown) == len(lines) == 10
    for number, expected in enumerate(lines, 1):
        got = source_text(line(dom, "p1", "a", "f", number))
        assert got == expected.replace("\r", "\u240d")  # a lone CR is shown, not a line break
    assert [n for n in range(1, 11) if "frag-1" in line(dom, "p1", "a", "f", n).classes] == [3, 4]
    assert source_text(line(dom, "p1", "b", "g", 1)) == "only line"
    highlighted = {c for n in dom["p1-a"].find_all("span") for c in n.classes if c.startswith("t")}
    if language in ("python", "c", "cpp", "cuda", "java"):
        assert "tc" in highlighted or "ts" in highlighted  # tokenised, not the plain fallback
    else:
        assert highlighted == set()


def test_hidden_characters_are_made_visible():
    text = "access = 'user\u202e \u2066// admin\u2069 \u2066'\nok = 1\n"
    sub = Submission("a", (doc("t.py", text),))
    pair = PairScore("a", "b", 0.1, 0.1, 0.1, 1, (Fragment("t.py", (1, 1), "x", (1, 1), 1),))
    dom = parse(render_report("t", [sub], [pair]))
    shown = line(dom, "p1", "a", "t.py", 1)
    assert "\u202e" not in shown.text() and "U+202E" in shown.text()
    assert len(shown.find_all("span", "hid")) == 4


def test_missing_data_is_reported_not_fatal():
    pairs = [
        PairScore("alice", "nobody", 0.6, 0.5, 0.5, 10, (Fragment("train.py", (1, 2), "x.py", (1, 2), 10),)),
        PairScore("alice", "bob", 0.5, 0.5, 0.5, 10, (Fragment("gone.py", (1, 2), "k.cu", (999, 2000), 10),)),
        PairScore("bob", "carol", 0.0, 0.0, 0.0, 0, ()),
    ]
    dom = parse(render(pairs=pairs))
    text = " ".join(dom.root.text().split())
    assert "This submission is not in the report’s data." in text
    assert "the submission does not contain it" in text
    assert "No fragments were recorded for this pair." in text
    # A range past the end of the file is clamped: the anchor lands on the last line.
    assert dom["p2-f1-b"].parent is line(dom, "p2", "b", "k.cu", 30)
    stats = {s.find_all("span")[0].text(): s.find_all("b")[0].text() for s in dom.root.find_all("div", "stat")}
    assert stats["Pairs with evidence"] == "2"


def test_undecodable_text_does_not_break_rendering():
    sub = Submission("a\udcff", (doc("t.py", "x = '\udcfe'\n"),))
    pair = PairScore("a\udcff", "b", 0.1, 0.1, 0.1, 1, (Fragment("t.py", (1, 1), "x", (1, 1), 1),))
    page = render_report("t", [sub], [pair])
    page.encode("utf-8")  # writable as UTF-8
    parse(page)


def test_a_reworded_sentence_is_labelled_as_such():
    reworded = PairScore("alice", "bob", 0.4, 0.3, 0.3, 20, (
        Fragment("train.py", (10, 24), "src/model.py", (12, 27), 57),
        Fragment("train.py", (30, 30), "src/model.py", (40, 40), 12, paraphrase=True),
    ))
    section = parse(render(pairs=[reworded]))["p1"]
    links = [n for n in section.find_all("a") if n.attrs.get("data-f", "").startswith("p1-f")]
    texts = [" ".join(n.text().split()) for n in links]
    assert "(57 tokens)" in texts[0] and "reworded" not in texts[0]
    assert "(reworded sentence)" in texts[1]
