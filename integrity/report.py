"""The self-contained HTML report: ranked pairs, clusters, problems and side-by-side evidence.

One file a TA opens from disk: inline CSS and one small inline script, nothing fetched.
Every piece of submitted text is untrusted. Jinja2 autoescapes what the template prints;
source code is tokenised with Pygments here and each piece escaped before it is wrapped
in markup. A Content-Security-Policy pins the one script by its hash, so markup that
slipped through could still not run script or load anything.
"""
from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Keyword, Name, Number, Operator, String
from pygments.util import ClassNotFound

from integrity.disclosure.crosscheck import EVIDENCE_NOTE, KINDS, LABELS
from integrity.documents import Document, Problem, Submission
from integrity.scoring import PairScore

__all__ = ["render_report", "highlight_lines", "mark_lines", "PALETTE_SIZE"]

_TEMPLATES = Path(__file__).with_name("templates")
PALETTE_SIZE = 8  # fragment i is drawn in colour i % PALETTE_SIZE on both sides (see the CSS)
_MAX_HIGHLIGHT_CHARS = 500_000  # larger documents are shown plain: regex lexers can be slow

_LEXER_NAMES = {"python": "python", "c": "c", "cpp": "cpp", "cuda": "cuda", "java": "java"}

# Coarse token classes keep the colour scheme restrained; order matters (first match wins).
_TOKEN_CLASSES = (
    (Comment.Preproc, "tp"),
    (Comment, "tc"),
    (String, "ts"),
    (Number, "tn"),
    (Keyword, "tk"),
    (Operator.Word, "tk"),
    (Name.Builtin, "tb"),
    (Name.Function, "tf"),
    (Name.Class, "tf"),
    (Name.Decorator, "td"),
)

# Invisible or reordering characters (Trojan-source bidi controls, zero-width marks, C0
# controls) are shown as a visible code point, so the TA sees what the file really holds.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_SCRIPT = """
(function () {
  function show(f) {
    ["a", "b"].forEach(function (side) {
      var mark = document.getElementById(f + "-" + side);
      if (!mark) return;
      var line = mark.closest(".l"), pane = mark.closest(".pane");
      if (!line || !pane) return;
      var head = line.closest(".doc").querySelector(".doc-head");
      var top = line.getBoundingClientRect().top - pane.getBoundingClientRect().top;
      pane.scrollTop += top - (head ? head.offsetHeight : 0) - 8;
      line.classList.remove("flash");
      void line.offsetWidth;
      line.classList.add("flash");
    });
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-f]");
    if (!link) return;
    var f = link.getAttribute("data-f");
    var pair = document.getElementById(f.split("-")[0]);
    var panes = pair && pair.querySelector(".panes");
    if (!panes) return;
    e.preventDefault();
    var r = panes.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) panes.scrollIntoView({block: "nearest"});
    show(f);
    if (history.replaceState) history.replaceState(null, "", "#" + f + "-a");
  });
  window.addEventListener("load", function () {
    var m = /^#(p\\d+-f\\d+)-[ab]$/.exec(location.hash);
    if (m) show(m[1]);
  });
})();
"""


# ---- view types: what the template prints -------------------------------------------


@dataclass(frozen=True)
class _Row:
    rank: int
    anchor: str
    a: str
    b: str
    similarity: str
    unusual: str  # e.g. "+6.2σ": spreads above the assignment's typical pair
    share_a: str
    share_b: str
    longest: int
    fragments: int
    bar: str  # CSS width, e.g. "87.5%"
    level: str  # "low", "mid" or "high"


@dataclass(frozen=True)
class _Cluster:
    members: tuple[str, ...]
    best: _Row | None  # the strongest shown pair inside the cluster, if any
    best_similarity: str  # of the strongest pair given, shown or not ("" if none)


@dataclass(frozen=True)
class _FragmentLink:
    number: int
    colour: int
    ref: str  # "p3-f2": anchors are ref + "-a" and ref + "-b"
    doc_a: str
    lines_a: str
    doc_b: str
    lines_b: str
    tokens: int
    unit: str  # what `tokens` counts: "tokens" of code, "words" of prose
    paraphrase: bool  # a reworded sentence rather than a copied run (passages.py)
    found_a: bool
    found_b: bool


@dataclass(frozen=True)
class _DocView:
    anchor: str
    path: str
    language: str
    line_count: int
    lines: Markup | None  # None: the fragment names a document the submission lacks


@dataclass(frozen=True)
class _Side:
    key: str  # "a" or "b"
    name: str
    found: bool
    docs: tuple[_DocView, ...]


@dataclass(frozen=True)
class _PairView:
    row: _Row
    fragments: tuple[_FragmentLink, ...]
    sides: tuple[_Side, _Side]


# ---- public entry ---------------------------------------------------------------------


def render_report(
    title: str,
    submissions: Sequence[Submission],
    pairs: Sequence[PairScore],
    clusters: Sequence[Sequence[str]] = (),
    problems: Sequence[Problem] = (),
    *,
    subtitle: str = "",
    max_pairs: int = 100,
    disclosures: dict | None = None,
    disclosures_at: str = "",
) -> str:
    """One self-contained HTML document for the TA.

    `pairs` are expected ranked (similarity descending) and are kept in that order; the
    first `max_pairs` are listed and get a side-by-side section. Only documents taking
    part in a shown pair's fragments are embedded, which bounds the file size.
    `disclosures` is a cross-check of the AI-use disclosures (crosscheck's result), listed
    with its evidence.
    """
    by_name = {s.name: s for s in submissions}
    shown = list(pairs[: max(0, max_pairs)])
    rows = [_row(rank, p) for rank, p in enumerate(shown, 1)]
    cache: dict[tuple[str, str], list[str]] = {}
    sections = [_pair_view(row, p, by_name, cache) for row, p in zip(rows, shown)]

    page = _environment().get_template("report.html").render(
        title=title,
        subtitle=subtitle,
        n_submissions=len(submissions),
        n_pairs=sum(1 for p in pairs if p.similarity > 0 or p.fragments),
        n_total_pairs=len(pairs),
        n_problems=len(problems),
        rows=rows,
        clusters=_clusters(clusters, pairs, rows),
        problems=list(problems),
        sections=sections,
        disclosures=disclosures,
        disclosures_at=disclosures_at,
        flag_kinds=KINDS,
        flag_labels=LABELS,
        evidence_note=EVIDENCE_NOTE,
        script=Markup(_SCRIPT),
        script_hash=_csp_hash(_SCRIPT),
    )
    # Lone surrogates (undecodable bytes read with surrogateescape) cannot be written as UTF-8.
    return page.encode("utf-8", "replace").decode("utf-8")


# ---- building the views ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _csp_hash(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if math.isfinite(x) else "n/a"


def _row(rank: int, p: PairScore) -> _Row:
    s = p.similarity if math.isfinite(p.similarity) else 0.0
    s = min(1.0, max(0.0, s))
    return _Row(
        rank=rank,
        anchor=f"p{rank}",
        a=p.a,
        b=p.b,
        similarity=_pct(p.similarity),
        unusual=f"{p.unusual:+.1f}σ" if math.isfinite(p.unusual) else "n/a",
        share_a=_pct(p.share_a),
        share_b=_pct(p.share_b),
        longest=p.longest,
        fragments=len(p.fragments),
        bar=f"{s * 100:.1f}%",
        level="high" if s >= 0.7 else "mid" if s >= 0.4 else "low",
    )


def _clusters(clusters: Sequence[Sequence[str]], pairs: Sequence[PairScore],
              rows: Sequence[_Row]) -> list[_Cluster]:
    """Clusters of two or more distinct members, groups (3+) before pairs, else as given."""
    best_given: dict[frozenset[str], float] = {}
    for p in pairs:
        key = frozenset((p.a, p.b))
        best_given[key] = max(best_given.get(key, 0.0), p.similarity)
    row_of = {frozenset((r.a, r.b)): r for r in reversed(rows)}  # first (best) row wins

    out = []
    for members in clusters:
        names = tuple(dict.fromkeys(members))
        if len(names) < 2:
            continue
        inside = [frozenset((x, y)) for i, x in enumerate(names) for y in names[i + 1:]]
        given = [best_given[k] for k in inside if k in best_given]
        shown = [row_of[k] for k in inside if k in row_of]
        out.append(_Cluster(
            members=names,
            best=min(shown, key=lambda r: r.rank) if shown else None,
            best_similarity=_pct(max(given)) if given else "",
        ))
    return sorted(out, key=lambda c: len(c.members) < 3)


def _kind(sub: Submission | None, path: str) -> str:
    """The kind of a submission's document ("" when it is missing)."""
    return next((d.kind for d in sub.documents if d.path == path), "") if sub else ""


def _pair_view(row: _Row, p: PairScore, by_name: dict[str, Submission],
               cache: dict[tuple[str, str], list[str]]) -> _PairView:
    sides = (
        _side("a", row, p.a, [(f.doc_a, f.lines_a) for f in p.fragments], by_name, cache),
        _side("b", row, p.b, [(f.doc_b, f.lines_b) for f in p.fragments], by_name, cache),
    )
    present = [{d.path for d in side.docs if d.lines is not None} for side in sides]
    links = tuple(
        _FragmentLink(
            number=i + 1,
            colour=i % PALETTE_SIZE,
            ref=f"{row.anchor}-f{i + 1}",
            doc_a=f.doc_a,
            lines_a=_span_label(f.lines_a),
            doc_b=f.doc_b,
            lines_b=_span_label(f.lines_b),
            tokens=f.tokens,
            unit="words" if _kind(by_name.get(p.a), f.doc_a) == "prose" else "tokens",
            paraphrase=f.paraphrase,
            found_a=f.doc_a in present[0],
            found_b=f.doc_b in present[1],
        )
        for i, f in enumerate(p.fragments)
    )
    return _PairView(row=row, fragments=links, sides=sides)


def _span_label(lines: tuple[int, int]) -> str:
    lo, hi = sorted(lines)
    return f"L{lo}" if lo == hi else f"L{lo}\u2013{hi}"


def _side(key: str, row: _Row, name: str, spans: list[tuple[str, tuple[int, int]]],
          by_name: dict[str, Submission], cache: dict[tuple[str, str], list[str]]) -> _Side:
    """The documents of one submission that take part in the pair's fragments."""
    sub = by_name.get(name)
    docs_by_path = {d.path: d for d in sub.documents} if sub else {}
    wanted = dict.fromkeys(path for path, _ in spans)
    # Submission order first (how the student laid it out), then paths it does not have.
    order = [d.path for d in sub.documents if d.path in wanted] if sub else []
    order += [path for path in wanted if path not in docs_by_path]

    views = []
    for index, path in enumerate(order):
        anchor = f"{row.anchor}-{key}{index}"
        doc = docs_by_path.get(path)
        if doc is None:
            views.append(_DocView(anchor, path, "", 0, None))
            continue
        cache_key = (doc.language, doc.text)  # identical files (copies!) are lexed once
        if cache_key not in cache:
            cache[cache_key] = highlight_lines(doc)
        lines = cache[cache_key]
        marks = [(i, span) for i, (p, span) in enumerate(spans) if p == path]
        html_lines = mark_lines(f"{row.anchor}-f", key, lines, marks)
        views.append(_DocView(anchor, path, doc.language, len(lines), html_lines))
    return _Side(key=key, name=name, found=sub is not None, docs=tuple(views))


def mark_lines(frag_prefix: str, side: str, lines: list[str],
               marks: list[tuple[int, tuple[int, int]]], discounted: frozenset[int] = frozenset()) -> Markup:
    """One div per source line, in order (CSS counters number them, which keeps the file
    small); lines inside fragment i carry the classes `frag-{i+1}` and a palette colour,
    other lines in `discounted` (template or common code, 1-based) the class `d`.

    Each fragment's first line holds its anchor (`p3-f2-a`): a numbered badge linking to
    the other side. `lines` is already-escaped HTML.
    """
    n = len(lines)
    cover: dict[int, list[int]] = defaultdict(list)
    starts: dict[int, list[int]] = defaultdict(list)
    for i, (lo, hi) in sorted(marks):
        lo, hi = sorted((lo, hi))
        lo, hi = max(1, lo), min(n, hi)  # bogus ranges must not run away
        for number in range(lo, hi + 1):
            cover[number].append(i)
        starts[min(lo, n)].append(i)

    other = "b" if side == "a" else "a"
    out = []
    for number, code in enumerate(lines, 1):
        frags = cover.get(number)
        if frags:
            classes = " ".join(f"frag-{i + 1}" for i in frags)
            out.append(f'<div class="l m c{frags[0] % PALETTE_SIZE} {classes}">')
        elif number in discounted:
            out.append('<div class="l d">')
        else:
            out.append('<div class="l">')
        for i in starts.get(number, ()):
            ref = f"{frag_prefix}{i + 1}"
            out.append(f'<a class="fm c{i % PALETTE_SIZE}" id="{ref}-{side}" href="#{ref}-{other}" '
                       f'data-f="{ref}" title="fragment {i + 1}">{i + 1}</a>')
        out.append(code)
        out.append("</div>")
    return Markup("".join(out))


# ---- highlighting ---------------------------------------------------------------------


def highlight_lines(doc: Document) -> list[str]:
    """The document as escaped, syntax-highlighted HTML, one string per source line.

    Lines are counted as the fingerprinting counts them: by "\\n" only. Tokens spanning
    lines (docstrings, block comments) are split so every line closes its own spans.
    """
    text = doc.text.replace("\r\n", "\n").replace("\r", "\u240d")  # a lone CR is no line break
    raw = text.split("\n")
    if text.endswith("\n"):
        raw.pop()  # the final newline ends the last line rather than starting one
    lexer = _lexer(doc.language)
    if lexer is None or len(text) > _MAX_HIGHLIGHT_CHARS:
        return [_escape(line) for line in raw]

    out: list[str] = []
    current: list[str] = []  # finished pieces of the line being built
    run_cls, run = "", []  # adjacent tokens of one class share one span

    def flush() -> None:
        if run:
            escaped = _escape("".join(run))
            current.append(f'<span class="{run_cls}">{escaped}</span>' if run_cls else escaped)
            run.clear()

    for ttype, value in lexer.get_tokens(text):
        cls = _token_class(ttype)
        for j, piece in enumerate(value.split("\n")):
            if j:
                flush()
                out.append("".join(current))
                current = []
            if piece:
                if cls != run_cls and not piece.isspace():
                    flush()
                    run_cls = cls
                run.append(piece)
    flush()
    out.append("".join(current))
    if out and out[-1] == "":
        out.pop()  # the lexer always ends its input with a newline
    if len(out) != len(raw):  # a lexer that changed the text: never misnumber lines
        return [_escape(line) for line in raw]
    return out


def _lexer(language: str) -> Lexer | None:
    name = _LEXER_NAMES.get(language)
    if name is None:
        return None
    try:
        # stripnl=False: leading blank lines must stay, or every line number shifts.
        return get_lexer_by_name(name, stripnl=False, stripall=False, ensurenl=True)
    except ClassNotFound:
        return get_lexer_by_name("cpp", stripnl=False) if language == "cuda" else None


@lru_cache(maxsize=None)
def _token_class(ttype: tuple) -> str:  # a pygments token type
    for parent, cls in _TOKEN_CLASSES:
        if ttype in parent:
            return cls
    return ""


def _escape(text: str) -> str:
    return _HIDDEN.sub(_hidden_char, html.escape(text))


def _hidden_char(m: re.Match[str]) -> str:
    code = f"U+{ord(m.group()):04X}"
    return f'<span class="hid" title="hidden character {code}">{code}</span>'
