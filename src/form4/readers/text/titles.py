"""Security titles and natures of ownership read back through OCR.

Titles are made of few words ("Common", "Stock", "Option", "Preferred"…), so a word OCR
garbled is told from a real one by that vocabulary, and the underlying security of a
derivative is nearly always one the form already names: its Table I securities, or common
stock.  Used only on text that came through OCR.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from form4.model import ROW_TABLES, Filing
from form4.readers.text import spelling
from form4.readers.text.evidence import Evidence
from form4.readers.text.memo import Memo

# words of security titles as filers write them (lower case)
WORDS = frozenset((
    "a", "about", "american", "and", "appreciation", "award", "awards", "b", "bonds", "buy", "c",
    "call", "calls", "capital", "class", "common", "contingent", "convertible", "cumulative", "d",
    "debentures", "deferred", "depositary", "due", "e", "employee", "equity", "exchangeable", "f", "g",
    "incentive", "interest", "interests", "limited", "llc", "membership", "non-qualified",
    "nonqualified", "note", "notes", "option", "options", "ordinary", "par", "participating",
    "partnership", "per", "performance", "phantom", "plan", "preferred", "purchase", "put", "puts",
    "qualified", "redeemable", "restricted", "right", "rights", "senior", "series", "settled", "share",
    "shares", "sell", "stock", "stock-settled", "subordinated", "swap", "swaps", "the", "to", "trust",
    "unit", "units", "value", "voting", "warrant", "warrants",
))
_JUNK = re.compile(r"[<>\u00ae\u00a9\u00a2~{}\"'`\u201c\u201d^*|?]")
_CLASS_WORDS = frozenset(("class", "series"))
_UNOPENED = re.compile(r"\d*\)+$")
_UNDERLYING = re.compile(r"(?:Class\s+[A-Z]\s+)?Common\s+Stock|Ordinary\s+Shares|Common\s+Shares")
_COMMON = re.compile(r"^(?:Class\s+[A-Z]\s+)?Common$", re.I)


_WHOLE_ENDS = frozenset(("stock", "units", "unit", "option", "options", "warrant", "warrants", "shares", "share",
                         "rights", "right", "notes", "note", "awards", "award", "interests", "buy)", "sell)"))
_OPENS = frozenset(("common", "class", "series", "restricted", "employee", "performance", "phantom", "preferred",
                    "ordinary"))


def opens_another(title: str, line: str) -> bool:
    """Whether a title's line that follows a title already whole ("Common Stock", "... Units")
    opens another one ("Common Stock, par value $0.01 per"): a security's name begins so."""
    words, after = title.split(), line.split()
    return bool(words and after) and words[-1].lower().strip(",.") in _WHOLE_ENDS and after[0].lower() in _OPENS


def whole(title: str) -> bool:
    """Whether a title ends in the kind of security it names ("Common Stock", "Units")."""
    words = title.split()
    return bool(words) and words[-1].lower().strip(",.") in _WHOLE_ENDS


def _bare(word: str) -> str:
    return word.strip("(),.;:").lower()


def _closest_word(bare: str) -> str | None:
    """The title word ``bare`` is, or is one OCR slip away from."""
    if bare in WORDS:
        return bare
    if len(bare) < 5:
        return None
    # long words take two slips: "porventible" is still "convertible"
    close = difflib.get_close_matches(bare, WORDS, n=1, cutoff=0.8 if len(bare) < 9 else 0.7)
    return close[0] if close else None


_closest = Memo(_closest_word)  # titles repeat from row to row and form to form


def closest(word: str) -> str | None:
    """The title word a printed word is, or is one OCR slip away from."""
    return _closest(_bare(word))


def known(word: str) -> bool:
    return closest(word) is not None


def garbled(words: list[str], i: int) -> bool:
    """Word ``i`` is OCR's noise, not part of the title: odd marks, or a short unknown word
    (a lone letter only names a class after "Class" or "Series")."""
    word = words[i]
    if any(ch.isdigit() for ch in word):  # "$0.01" and "Series 1" stay; "98/2005", "4<", "9s" and a lone "1" go
        lone = word.isdigit() and len(word) <= 2 and not (i > 0 and _bare(words[i - 1]) in _CLASS_WORDS)
        speck = len(word) <= 3 and not word.isdigit() and word[0] != "$" and "%" not in word  # "9s", "9."
        return lone or speck or bool(_JUNK.search(word)) or "/" in word
    if _JUNK.search(word):
        return True
    bare = _bare(word)
    if len(bare) == 1 and bare.isalpha():
        return not (i > 0 and _bare(words[i - 1]) in _CLASS_WORDS) and word != "a"  # an "A" is a class or noise
    return len(bare) <= 3 and bare not in WORDS


def _spelled(word: str, capitals: bool) -> str:
    """A word one OCR slip away from a title word, spelled as that word ("porventible"); in
    capitals if it was, or if its first letter was the slip in a title of capitalised words."""
    bare = _bare(word)
    close = _closest(bare) if bare.isalpha() else None
    if close is None or close == bare:
        return word
    upper = word[:1].isupper() or (capitals and bare[0] != close[0])
    return word.replace(word.strip("(),.;:"), close.capitalize() if upper else close, 1)


def _edge_trimmed(word: str) -> str:
    """"Stock?" is "Stock": a title word with a mark OCR left at its end."""
    trimmed = word.rstrip("?*\"'`^~|.")
    return trimmed if trimmed != word and _bare(trimmed) in WORDS else word


def clean(title: str | None) -> tuple[str | None, list[str]]:
    """The title without OCR's noise words and with its words' OCR slips mended; and the
    words that were dropped or changed."""
    return _cleaned(title) if title else (title, [])


def _clean(title: str) -> tuple[str | None, list[str]]:
    printed = title.split()
    # "Stock22)": marks (2)(3) OCR read without their opening brackets; "Stock?": a stray mark
    words = [_edge_trimmed(_UNOPENED.sub("", w) or w if "(" not in title else w) for w in printed]
    capitals = sum(w[:1].isupper() for w in words) * 2 > len(words)
    kept = [_spelled(w, capitals) for i, w in enumerate(words) if not garbled(words, i)]
    # a word read twice ("Stock Stock": the underlying's wrapped beside the title's)
    kept = [w for i, w in enumerate(kept) if not (i and w.lower() == kept[i - 1].lower() and w.isalpha())]
    if kept and kept[0][:1].islower() and _bare(kept[0]) in WORDS and any(w[:1].isupper() for w in kept[1:]):
        kept[0] = kept[0].capitalize()  # "common Stock": OCR's small letter at the start of a title
    if kept == printed:
        return title, []
    return (" ".join(kept) or None), list((Counter(printed) - Counter(kept)).elements())


_cleaned = Memo(_clean)  # the same few titles recur on every form


def underlying(read: str | None, candidates: list[str]) -> tuple[str | None, float]:
    """The underlying security OCR read as ``read``: the named security it resembles most,
    with how much it resembles it (1.0: read exactly)."""
    text = " ".join((read or "").split()).lower()
    for c in candidates:
        if c.lower() == text:
            return c, 1.0
    scored = [(difflib.SequenceMatcher(None, text, c.lower()).ratio(), -i, c) for i, c in enumerate(candidates)]
    score, _, best = max(scored)
    return best, score


def common_wrap(words: list[str]) -> bool:
    """Words ending a title's wrapped line that are the underlying's "(Class X) Common",
    wrapped above its "Stock"."""
    if not words:
        return False
    tail = " ".join(words[-3:]) if len(words) >= 3 and words[-3].lower() == "class" else words[-1]
    return bool(_COMMON.match(tail))


def worded(nature: str) -> bool:
    """Whether a nature of ownership has words in it ("By Trust", "See footnote"), not only
    the specks and rule marks OCR reads between rows ("ae lb bP")."""
    words = [w.strip("(),.;:") for w in nature.split()]
    if len(words) >= 2 and words[0].lower() == "by" and words[1][:1].isupper():
        return True
    return any(len(w) >= 4 and w.isalpha() and spelling.known(w) for w in words)


def _without_specks(nature: str) -> str:
    """A nature without the specks OCR read among its words ("By nid Trust"): short words in
    small letters that are no words at all."""
    words = nature.split()
    kept = [w for w in words if not (len(w) <= 3 and w.isalpha() and w.islower() and not spelling.common(w))]
    if kept and kept[-1].endswith(")") and " ".join(kept).count(")") > " ".join(kept).count("("):
        kept[-1] = kept[-1].rstrip(")")  # "See Footnote)": a bracket left of the nature's raised mark
    return " ".join(w for w in kept if w) if kept else nature


def settle(filing: Filing, ev: Evidence) -> None:
    """Mend the titles of a form read through OCR, drop natures of ownership that are only
    noise, and doubt what was mended."""
    named = _settle_rows(filing, ev)
    _like_another_row(filing, ev)
    _completed(filing, ev)
    _common_derivatives(filing, ev)
    # common stock first: what a derivative is most often on, so it wins when nothing was read
    _settle_underlying(filing, ev, ["Common Stock", *(n for n in named if n != "Common Stock")])


_SERIES_STOCK = re.compile(r"^Series\s+\w+\s+Convertible\s+Stock$", re.I)
_PER = re.compile(r"\bpar\s+value\s+\S+\s+per$", re.I)


def _settle_rows(filing: Filing, ev: Evidence) -> list[str]:
    """Titles and natures of every row mended; returns the securities Table I names."""
    named: list[str] = []
    for section in ROW_TABLES:
        for i, row in enumerate(getattr(filing, section)):
            if row.nature_of_ownership and not worded(row.nature_of_ownership):
                ev.doubt(f"{section}[{i}].nature_of_ownership", 0.6,
                         f"{row.nature_of_ownership!r} dropped: OCR noise, not words")
                row.nature_of_ownership = None
            elif row.nature_of_ownership and (nature := _without_specks(row.nature_of_ownership)) != (
                    row.nature_of_ownership):
                # specks and brackets are often what OCR made of a raised mark: the mark is in doubt too
                for field in ("nature_of_ownership", "footnotes.nature_of_ownership"):
                    ev.doubt(f"{section}[{i}].{field}", 0.6, f"{row.nature_of_ownership!r} read as {nature!r}")
                row.nature_of_ownership = nature
            title, changed = clean(row.security_title)
            if changed:
                row.security_title = title
                ev.doubt(f"{section}[{i}].security_title", 0.6, f"OCR noise mended in the title: {changed}")
            if title and _PER.search(title):  # "par value $0.01 per": OCR lost the wrapped "share"
                row.security_title = title = f"{title} share"
                ev.doubt(f"{section}[{i}].security_title", 0.6, "'share' taken to end 'par value ... per'")
            if title and _SERIES_STOCK.match(title):  # "Series B Convertible Stock": the wrapped line lost
                row.security_title = title = title.replace(" Stock", " Preferred Stock")
                ev.doubt(f"{section}[{i}].security_title", 0.6, "'Preferred' taken between 'Convertible' and 'Stock'")
            named_as = title.split(",")[0] if title else None  # "Common Stock, par value ..." names Common Stock
            if section.startswith("non_") and named_as and named_as not in named:
                named.append(named_as)
    return named


def _like_another_row(filing: Filing, ev: Evidence) -> None:
    """A title that is another row's but for one word OCR garbled past mending ("sonmen Stock,
    par value $0.01 per share") is that row's title."""
    rows = [(f"{section}[{i}]", row) for section in ROW_TABLES for i, row in enumerate(getattr(filing, section))]
    titles = {row.security_title: row.security_title.split() for _, row in rows if row.security_title}
    for path, row in rows:
        words = titles.get(row.security_title or "", [])
        if len(words) < 2 or all(closest(w) is not None for w in words if w.isalpha()):
            continue  # no garbled word in it
        for other, theirs in titles.items():
            apart = [k for k in range(len(words)) if words[k] != theirs[k]] if len(theirs) == len(words) else []
            if len(apart) == 1 and closest(words[apart[0]]) is None and closest(theirs[apart[0]]):
                ev.doubt(f"{path}.security_title", 0.6,
                         f"{words[apart[0]]!r} garbled: the title taken as another row's, {other!r}")
                row.security_title = other
                break


_TABLE_I_ROWS = ROW_TABLES[:2]  # transactions and holdings


def _completed(filing: Filing, ev: Evidence) -> None:
    """Table I titles OCR read in part: a title that names no kind of security ("Class",
    "common", "Class A Common") or a lone "Stock" is the one whole title of the filing that holds
    its words in order (another row's, or the security a derivative is on); with no such title,
    a lone "Common" or "Stock" is the form's commonest security, Common Stock. A title that fits
    more than one is left as read. A title printed in other letters' case is the filing's."""
    rows = [(f"{section}[{i}]", row) for section in _TABLE_I_ROWS for i, row in enumerate(getattr(filing, section))]
    own = [row.security_title for _, row in rows if row.security_title and _complete(row.security_title)]
    named = own + [row.underlying_security_title for section in ROW_TABLES[2:] for row in getattr(filing, section)
                   if row.underlying_security_title and _complete(row.underlying_security_title)]
    # one spelling of each title: the one most rows print, capitals first (OCR's c for C, s for S)
    spelled = {t.lower(): t for t, _ in sorted(Counter(named).items(),
                                               key=lambda tc: (tc[1], sum(ch.isupper() for ch in tc[0])))}
    wholes = list(spelled.values())
    for path, row in rows:
        read = row.security_title
        if read and read in wholes:
            continue
        # a title OCR lost is the table's one title, if it has one
        fits = [t for t in wholes if _holds(t, read)] if read else list({spelled[t.lower()] for t in own})
        if not fits and read and _bare(read) in ("common", "stock"):
            fits = ["Common Stock"]
        if len(fits) == 1 and fits[0] != read:
            ev.doubt(f"{path}.security_title", 0.6, f"{read!r} read as {fits[0]!r}, the filing's title it is part of")
            row.security_title = fits[0]


def _complete(title: str) -> bool:
    """A title of title words ("Class A Common Stock") that ends in the kind of security it names,
    none twice (not two run together: "Common Stock Class A Common Stock")."""
    words = [_bare(w) for w in title.split()]
    named = [w for w in words if w.isalpha()]
    return (whole(title) and len(words) >= 2 and all(w in WORDS for w in named)
            and len(set(named)) == len(named))


def _holds(title: str, read: str) -> bool:
    """Whether the read words are the title's in order, OCR's case aside (none more, some fewer)."""
    theirs = iter(_bare(w) for w in title.split())
    return all(_bare(w) in theirs for w in read.split())


# the derivative securities filers name most, word by word ("*": a class letter)
_DERIVATIVES = tuple(tuple(_bare(w) for w in t.split()) for t in (
    "Stock Option (Right to Buy)", "Employee Stock Option", "Restricted Stock Units", "Performance Stock Units",
    "Series * Convertible Preferred Stock", "Stock Appreciation Rights", "Phantom Stock", "Warrants",
    "Incentive Stock Option (Right to Buy)", "Non-Qualified Stock Option (Right to Buy)", "Stock Option"))


def _common_derivatives(filing: Filing, ev: Evidence) -> None:
    """A derivative's title that is one of the common ones but for words OCR added to it
    (a fragment, a word read twice, the underlying's "Stock" beside it) is that title."""
    for section in ("derivative_transactions", "derivative_holdings"):
        for i, row in enumerate(getattr(filing, section)):
            title = _common(row.security_title or "")
            if title:
                ev.doubt(f"{section}[{i}].security_title", 0.6, f"{row.security_title!r} read as {title!r}")
                row.security_title = title


def common_title(read: str) -> str | None:
    """The common derivative title ``read`` is with OCR's words added, or with its lines read
    out of order ("Stock to" / "Option (Right Buy)"), if it is one."""
    words = read.split()
    kept = next((k for k in (_within(words, t) for t in _DERIVATIVES) if k is not None), None)
    if kept is None:
        kept = next((k for k in (_shuffled(words, t) for t in _DERIVATIVES) if k is not None), None)
    return " ".join(words[k] for k in kept) if kept is not None and kept != list(range(len(words))) else None


def _shuffled(words: list[str], title: tuple[str, ...]) -> list[int] | None:
    """The positions of ``title``'s words among ``words`` in any order, when every other
    word is OCR's."""
    bare = [_bare(w) for w in words]
    kept: list[int] = []
    for want in title:
        k = next((k for k, w in enumerate(bare) if w == want and k not in kept), None)
        if k is None:
            return None
        kept.append(k)
    others = [w for k, w in enumerate(bare) if k not in kept]
    return None if any(closest(w) is not None and w not in title for w in others) else kept


_common = Memo(common_title)  # the same few titles recur on every form


def _within(words: list[str], title: tuple[str, ...]) -> list[int] | None:
    """The positions of ``title``'s words among ``words``, in order, when every other word is
    OCR's: not a title word, or one of the title's words again."""
    bare = [_bare(w) for w in words]
    kept: list[int] = []
    for k, word in enumerate(bare):
        want = title[len(kept)] if len(kept) < len(title) else None
        if want is not None and (word == want or (want == "*" and len(word) == 1 and word.isalpha())):
            kept.append(k)
        elif closest(word) is not None and word not in title:
            return None  # a real word of some other title
    return kept if len(kept) == len(title) else None


def _settle_underlying(filing: Filing, ev: Evidence, candidates: list[str]) -> None:
    for section in ("derivative_transactions", "derivative_holdings"):
        for i, row in enumerate(getattr(filing, section)):
            read, changed = clean(row.underlying_security_title)
            if changed:
                row.underlying_security_title = read
                ev.doubt(f"{section}[{i}].underlying_security_title", 0.6, f"OCR noise mended: {changed}")
                ev.doubt(f"{section}[{i}].footnotes", 0.6, "footnote marks may be lost in the OCR noise")
            phrase = _UNDERLYING.search(read or "")
            if phrase and phrase.group(0) != read:  # "Stock Class B Common Stock to": the class's name in it
                row.underlying_security_title = phrase.group(0)
                ev.doubt(f"{section}[{i}].underlying_security_title", 0.6,
                         f"OCR read {read!r}: taken as the {phrase.group(0)!r} it holds")
                continue
            words = (read or "").split()
            if len(words) >= 2 and all(known(w) for w in words):
                continue  # read cleanly: keep it even if Table I does not name it
            best, score = underlying(read, candidates)
            if best != read:
                row.underlying_security_title = best
                ev.doubt(f"{section}[{i}].underlying_security_title", min(0.6, score),
                         f"OCR read {read!r}: taken as {best!r}, the security it most resembles")
