"""Schema validation: an ownership XML document checked against the SEC's own XSD, with lxml.

    from form4.validation.schema import schema_errors
    for error in schema_errors(Path("form4.xml").read_bytes(), source="form4.xml"):
        print(error)    # form4.xml: /ownershipDocument/issuer/issuerCik: 11 characters long, ...

The document's ``<documentType>`` picks the form's schema and its ``<schemaVersion>`` the
version: X0306 and earlier the SEC's files (``xsd/X0306``: the SEC's Forms 4 and 4/A, with
form4's Forms 3, 3/A, 5 and 5/A on the SEC's common file); X0407 and X0508 form4's files
that add what those versions added (``xsd/X0508``). A document without a version is checked
as EDGAR checks one today, against the newest; so is one newer than X0508.

Each error names the element by its path and says in plain words what is wrong: lxml's
messages, the namespace noise taken out. Every check is the schema's; nothing here checks
a document by hand. Schemas are compiled once per thread and reused.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from lxml import etree

from form4.errors import ReadError
from form4.readers.detect import Format, detect
from form4.readers.xml import check_safe

__all__ = ["FORMS", "SCHEMA_DIR", "VERSIONS", "SchemaError", "document_schema_errors", "schema_errors",
           "schema_file", "schema_version_used"]

SCHEMA_DIR = Path(__file__).with_name("xsd")
VERSIONS = ("X0306", "X0508")
"""The schema versions shipped, oldest first: each stands for itself and every version before it."""
FORMS = ("3", "3/A", "4", "4/A", "5", "5/A")

_VERSION = re.compile(r"X\d{4}")
_DATE = re.compile(r"-?\d{4,}-\d\d-\d\d(?:Z|[+-]\d\d:\d\d)?")  # xs:date's lexical form
_UTF8_BOM = b"\xef\xbb\xbf"
_local = threading.local()


class _LogEntry(Protocol):  # what lxml's error log holds (lxml-stubs leave it out)
    message: str
    path: str | None
    line: int


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One way a document breaks its schema: where (an element path such as
    ``/ownershipDocument/nonDerivativeTable/nonDerivativeTransaction[2]/transactionDate/value``,
    or empty when the document cannot be read at all) and what, in plain words."""

    source: str
    path: str
    message: str
    line: int | None = None  # the line in the XML document, where lxml knows it

    def __str__(self) -> str:
        where = self.path or (f"line {self.line}" if self.line else "")
        return ": ".join(part for part in (self.source, where, self.message) if part)


def schema_version_used(schema_version: str | None) -> str:
    """The shipped version a document of ``schema_version`` is checked against."""
    version = (schema_version or "").strip().upper()
    if _VERSION.fullmatch(version):
        for shipped in VERSIONS:
            if version <= shipped:
                return shipped
    return VERSIONS[-1]


def schema_file(document_type: str, schema_version: str | None) -> Path:
    """The schema document for a form (3, 3/A, 4, 4/A, 5, 5/A) at a schema version. A form
    a version did not change is that of the version before (Form 3 is the same at X0508)."""
    if document_type not in FORMS:
        raise ValueError(f"not a Form 3, 4 or 5 document type: {document_type!r}")
    name = f"ownership{document_type.replace('/', '')}Document.xsd.xml"
    shipped = VERSIONS[: VERSIONS.index(schema_version_used(schema_version)) + 1]
    for version in reversed(shipped):
        if (SCHEMA_DIR / version / name).is_file():
            return SCHEMA_DIR / version / name
    raise FileNotFoundError(f"no schema {name} under {SCHEMA_DIR}")  # a broken install


def _schema(path: Path) -> etree.XMLSchema:
    # lxml validators are not shared between threads: each thread compiles a schema once
    cache: dict[Path, etree.XMLSchema] | None = getattr(_local, "schemas", None)
    if cache is None:
        cache = _local.schemas = {}
    if path not in cache:
        cache[path] = etree.XMLSchema(etree.parse(str(path)))
    return cache[path]


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:  # as hardened as the XML reader's: no entities, DTDs or network
        parser = _local.parser = etree.XMLParser(
            resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False, huge_tree=False,
            remove_comments=True, remove_pis=True, recover=False)
    return parser


def document_schema_errors(data: bytes, *, source: str = "") -> list[SchemaError]:
    """``schema_errors`` of an ownership XML document or of the one an EDGAR submission
    (``.txt``, ``.nc``) holds in ``<XML>`` … ``</XML>``; paths are within that document."""
    kind = detect(data[:4096])
    if kind not in (Format.XML, Format.SUBMISSION):
        return [SchemaError(source, "", f"not an ownership XML document or an EDGAR submission ({kind.value})")]
    if kind is Format.SUBMISSION:
        from form4.readers.submission import ownership_xml

        xml = ownership_xml(data)
        if xml is None:
            return [SchemaError(source, "", "the submission holds no ownership XML document (<XML> … </XML>)")]
        data = xml
    return schema_errors(data, source=source)


def schema_errors(xml: bytes, *, source: str = "") -> list[SchemaError]:
    """Every way the ownership XML document ``xml`` breaks its form's schema at its version
    (empty when it is valid). A document that cannot be read is one error, not an exception."""
    try:
        root = _parse(xml, source)
    except ReadError as exc:
        return [SchemaError(source, exc.field or "", exc.message)]
    except etree.XMLSyntaxError as exc:
        return [SchemaError(source, "", f"not well-formed XML: {exc.msg}", exc.lineno)]
    chosen = _chosen_schema(root, source)
    if isinstance(chosen, SchemaError):
        return [chosen]
    _collapse_dates(root)
    schema = _schema(chosen)
    if schema.validate(root):
        return []
    tree = root.getroottree()
    return [_error(entry, tree, source) for entry in cast(Iterable[_LogEntry], schema.error_log)]


def _parse(xml: bytes, source: str) -> etree._Element:
    check_safe(xml, source)
    if xml[:1].isspace() or (xml[3:4].isspace() and xml.startswith(_UTF8_BOM)):
        xml = xml.removeprefix(_UTF8_BOM).lstrip()  # an XML declaration must come first
    try:
        return etree.fromstring(xml, _parser())
    except ValueError as exc:  # lxml refusing a document it cannot decode
        raise ReadError(f"unreadable XML: {exc}", source=source) from None


def _collapse_dates(root: etree._Element) -> None:
    """Take the whitespace off padded dates (``<value> 2024-03-04 </value>``), as XML Schema
    does: xs:date's whiteSpace facet is fixed to collapse, so such a date is valid, but libxml2
    (unlike for numbers and booleans) refuses it. Only a leaf whose text is a date so padded
    changes; a string element holding one loses nothing its schema could check."""
    for el in root.iter("{*}*"):
        text = el.text
        if text and len(el) == 0 and (text[:1].isspace() or text[-1:].isspace()) and _DATE.fullmatch(text.strip()):
            el.text = text.strip()


def _chosen_schema(root: etree._Element, source: str) -> Path | SchemaError:
    """The schema the document's own ``documentType`` and ``schemaVersion`` name."""
    if etree.QName(root).localname != "ownershipDocument":
        return SchemaError(source, f"/{etree.QName(root).localname}",
                           f"the root element is <{etree.QName(root).localname}>, not <ownershipDocument>")
    found = root.find("{*}documentType")
    document_type = (found.text or "").strip() if found is not None else ""
    if document_type not in FORMS:
        where = "/ownershipDocument/documentType" if found is not None else "/ownershipDocument"
        said = f"documentType {document_type!r}" if found is not None else "no <documentType>"
        return SchemaError(source, where, f"{said}: not one of {', '.join(FORMS)}, so no schema to check against")
    return schema_file(document_type, root.findtext("{*}schemaVersion"))


def _error(entry: _LogEntry, tree: etree._ElementTree, source: str) -> SchemaError:
    message = _NAMESPACE.sub("", entry.message)
    path = entry.path or _path_at_line(tree, entry.line)
    subject = _SUBJECT.match(message)
    if subject:
        message = message[subject.end():]
        if subject["attribute"]:
            path += f"/@{subject['attribute']}"
    return SchemaError(source, path, _plain(message, subject["element"] if subject else ""), entry.line or None)


def _path_at_line(tree: etree._ElementTree, line: int) -> str:
    """The path of the first element on ``line`` (libxml2 names the node itself nearly always)."""
    root = tree.getroot()
    at = next((el for el in root.iter() if getattr(el, "sourceline", None) == line), root)
    return str(tree.getpath(at))


# lxml's messages, in plain words. Each pattern matches the message after its
# "Element 'name'[, attribute 'a']: " prefix; the element's name is passed along.
_NAMESPACE = re.compile(r"\{[^{}\s']+\}(?=\w)")  # {urn:x}name, not a set of values {'A', 'B'}
_SUBJECT = re.compile(r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: ")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")


def _names(listed: str) -> str:
    names = [f"<{name.strip()}>" for name in listed.split(",") if name.strip()]
    return names[0] if len(names) == 1 else "one of " + ", ".join(names)


def _expected(message: str) -> str:
    found = _EXPECTED.search(message)
    return f"; expected {_names(found[1])}" if found else ""


def _choices(pattern: str) -> str | None:
    """``A|C|D`` -> ``A, C, D``: a pattern that only lists literal values (None when it does more)."""
    parts = pattern.split("|")
    return ", ".join(parts) if all(re.fullmatch(r"[\w/ ]+", p) for p in parts) else None


_TYPES = {
    "xs:date": "a date (YYYY-MM-DD)", "xs:boolean": "true or false (1 or 0)", "xs:decimal": "a number",
    "POSITIVE_DECIMAL": "a number (0 or more, at most 4 decimals)", "xs:integer": "a whole number",
    "FID": "a footnote id of its own (F1 to F99, each used once)", "FIDREF": "a footnote reference (F1 to F99)"}


def _not_of_type(m: re.Match[str], _: str) -> str:
    value, kind = m["value"], _TYPES.get(m["type"] or "", "a valid value here")
    return f"empty, but must be {kind} (leave the element out rather than empty)" if not value.strip() \
        else f"{value!r} is not {kind}"


def _pattern(m: re.Match[str], _: str) -> str:
    choices = _choices(m["pattern"])
    if choices is None:
        return f"{m['value']!r} does not match the pattern {m['pattern']!r}"
    return f"{m['value']!r} is not one of {choices}" if "," in choices else f"{m['value']!r} must be {choices}"


def _enumeration(m: re.Match[str], _: str) -> str:
    values = re.findall(r"'([^']*)'", m["set"])
    if len(values) <= 12:
        return f"{m['value']!r} is not one of {', '.join(values)}"
    return f"{m['value']!r} is not one of the {len(values)} codes allowed here"


_Rule = Callable[[re.Match[str], str], str]
# DOTALL: a value quoted in a message may span lines (a padded <value>)
_RULES: list[tuple[re.Pattern[str], _Rule]] = [(re.compile(p, re.S), rule) for p, rule in [
    (r"This element is not expected\.", lambda m, el: f"<{el}> is not allowed here{_expected(m.string)}"),
    (r"Missing child element\(s\)\.", lambda m, el: f"<{el}> lacks a required element{_expected(m.string)}"),
    (r"'(?P<value>.*)' is not a valid value of the (?:local )?(?:atomic|list|union) type(?: '(?P<type>[^']*)')?\.",
     _not_of_type),
    (r"\[facet 'pattern'\] The value '(?P<value>.*)' is not accepted by the pattern '(?P<pattern>.*)'\.", _pattern),
    (r"\[facet 'enumeration'\] The value '(?P<value>.*)' is not an element of the set \{(?P<set>.*)\}\.",
     _enumeration),
    (r"\[facet 'maxLength'\] The value has a length of '(?P<n>\d+)'; this exceeds the allowed maximum length of "
     r"'(?P<limit>\d+)'\.", lambda m, _: f"{m['n']} characters long, more than the {m['limit']} allowed"),
    (r"\[facet 'minLength'\] The value has a length of '(?P<n>\d+)'; this underruns the allowed minimum length "
     r"of '(?P<limit>\d+)'\.", lambda m, _: f"{m['n']} characters long, fewer than the {m['limit']} required"),
    (r"\[facet 'length'\] The value has a length of '(?P<n>\d+)'; this differs from the allowed length of "
     r"'(?P<limit>\d+)'\.", lambda m, _: f"{m['n']} characters long; it must be exactly {m['limit']}"),
    (r"\[facet 'minInclusive'\] The value '(?P<value>.*)' is less than the minimum value allowed \('(?P<limit>.*)'\)",
     lambda m, _: f"{m['value']} is less than the smallest value allowed, {m['limit']}"),
    (r"\[facet 'maxInclusive'\] The value '(?P<value>.*)' is greater than the maximum value allowed "
     r"\('(?P<limit>.*)'\)", lambda m, _: f"{m['value']} is more than the largest value allowed, {m['limit']}"),
    (r"\[facet 'fractionDigits'\] The value '(?P<value>.*)' has more fractional digits than are allowed "
     r"\('(?P<limit>\d+)'\)", lambda m, _: f"{m['value']} has more than {m['limit']} decimal places"),
    (r"\[facet 'totalDigits'\] The value '(?P<value>.*)' has more digits than are allowed \('(?P<limit>\d+)'\)",
     lambda m, _: f"{m['value']} has more than {m['limit']} digits"),
    (r"The attribute '(?P<name>[^']*)' is required but missing\.",
     lambda m, el: f"<{el}> lacks its required attribute {m['name']}"),
    (r"The attribute '(?P<name>[^']*)' is not allowed\.", lambda m, el: f"<{el}> takes no attribute {m['name']}"),
    (r"Element content is not allowed, because the type definition is simple\.",
     lambda m, el: f"<{el}> holds elements where a value belongs"),
    (r"Character content other than whitespace is not allowed because the content type is 'element-only'\.",
     lambda m, el: f"<{el}> holds text where only elements belong"),
    (r"Character content is not allowed, because the content type is empty\.", lambda m, el: f"<{el}> must be empty"),
    (r"No matching global declaration available for the validation root\.",
     lambda m, el: f"<{el}> is in a namespace, but the SEC's schema declares its elements in none"),
]]


def _plain(message: str, element: str) -> str:
    for pattern, rule in _RULES:
        found = pattern.match(message)
        if found:
            return rule(found, element)
    return " ".join(message.split()).rstrip(".")  # no rule yet: lxml's own words, on one line
