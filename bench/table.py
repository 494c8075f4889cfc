"""Fixed-width plain-text tables."""


def render(headers, rows, left=1):
    """Pad each column to its widest cell: the first `left` columns to the left, the rest to the right."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]])


def num(x, fmt=".3f"):
    """A figure, or n/a where there is none."""
    return "n/a" if x is None else format(x, fmt)
