"""The header of an EDGAR submission: the filing's accession number, type and dates, and its
parties (issuer, reporting owners, filers, subject company, filed by) with names and CIKs.

EDGAR has written the header in three ways since 1993; one tokenizer reads all of them:

* the dissemination ``.txt`` form: indented ``KEY: value`` lines, each party a block begun by
  its role (``REPORTING-OWNER:``, ``ISSUER:``, ``FILER:``, ``SUBJECT COMPANY:``, ``FILED BY:``)
  holding ``COMPANY DATA:`` or ``OWNER DATA:`` with ``COMPANY CONFORMED NAME:`` and
  ``CENTRAL INDEX KEY:``;
* the same lines with a party wrapped in tags instead (``<REPORTING-OWNER>`` ... ``</REPORTING-OWNER>``,
  with ``<RELATIONSHIP>DIRECTOR`` inside), as headers of about 2000 have it;
* the tagged form of the daily feed's ``.nc`` files and of 1990s headers: ``<TAG>value``, closed
  blocks ``</TAG>``, one a line or all on one line (``<ISSUER><COMPANY-DATA><CONFORMED-NAME>…<CIK>…``),
  values escaped as in SGML (``&amp;``).

The two spellings name the same fields (``ACCESSION NUMBER:`` is ``<ACCESSION-NUMBER>``), so a
key is compared with its hyphens read as spaces. A party takes the first name and CIK given in
its block; it ends where the next party begins or its closing tag stands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re

from form4.model import Warning

__all__ = ["Party", "Role", "SecHeader", "read_header"]


class Role(enum.StrEnum):
    ISSUER = "issuer"
    REPORTING_OWNER = "reporting owner"
    FILER = "filer"
    SUBJECT_COMPANY = "subject company"
    FILED_BY = "filed by"


@dataclasses.dataclass(slots=True)
class Party:
    """One party the header names: its role, conformed name, CIK (ten digits) and, for an
    owner of a header of about 2000, the relationships it states (``DIRECTOR``, ``OFFICER``,
    ``10 PERCENT OWNER``, ``OTHER``)."""

    role: Role
    name: str | None = None
    cik: str | None = None
    relationships: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class SecHeader:
    accession_number: str | None = None
    form_type: str | None = None
    period_of_report: dt.date | None = None
    filed_at: dt.date | None = None
    parties: list[Party] = dataclasses.field(default_factory=list)
    warnings: list[Warning] = dataclasses.field(default_factory=list)

    def issuer(self) -> Party | None:
        """The issuer of a Section 16 form: the ISSUER party, or else the SUBJECT COMPANY."""
        return self._first(Role.ISSUER) or self._first(Role.SUBJECT_COMPANY)

    def reporting_owners(self) -> list[Party]:
        """The owners of a Section 16 form: the REPORTING-OWNER parties, or else those FILED BY,
        or else the FILERs that are not the issuer."""
        for role in (Role.REPORTING_OWNER, Role.FILED_BY):
            owners = [p for p in self.parties if p.role is role]
            if owners:
                return owners
        issuer = self.issuer()
        return [p for p in self.parties if p.role is Role.FILER and (issuer is None or p.cik != issuer.cik)]

    def _first(self, role: Role) -> Party | None:
        return next((p for p in self.parties if p.role is role), None)


# a tag with the value after it, or a "KEY: value" line; keys are upper case, so the privacy
# wrapper's "Proc-Type:" lines are no keys
_ITEM = re.compile(r"<(/?)([A-Z][A-Z0-9-]*)>([^<\r\n]*)|^[ \t]*([A-Z][A-Z0-9 -]*[A-Z0-9]):[ \t]*([^\r\n]*)", re.M)
_ROLES = {"ISSUER": Role.ISSUER, "REPORTING OWNER": Role.REPORTING_OWNER, "FILER": Role.FILER,
          "SUBJECT COMPANY": Role.SUBJECT_COMPANY, "FILED BY": Role.FILED_BY}
_NAME = frozenset(("COMPANY CONFORMED NAME", "CONFORMED NAME"))
_CIK = frozenset(("CENTRAL INDEX KEY", "CIK"))
# the filing's own fields: (field, key of the text form, tag of the tagged form)
_SPELLINGS = (("accession_number", "ACCESSION NUMBER", "ACCESSION-NUMBER"),
              ("form_type", "CONFORMED SUBMISSION TYPE", "TYPE"),
              ("period_of_report", "CONFORMED PERIOD OF REPORT", "PERIOD"),
              ("filed_at", "FILED AS OF DATE", "FILING-DATE"))
_FIELDS = {key: name for name, text, tag in _SPELLINGS for key in (text, tag.replace("-", " "))}
# a field found alone: it stands among the header's first lines, where a search ends
_SEARCHES = {name: re.compile(rf"(?:{text}:|<{tag}>)[ \t]*([^<\r\n]*)") for name, text, tag in _SPELLINGS
             if name in ("accession_number", "filed_at")}
_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
_DATE = re.compile(r"\d{8}")
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#(\d+)|#[xX]([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_KEYS: dict[str, str] = {}  # a key as written -> as compared: a few dozen keys, met in every header
_KEYS_KEPT = 4096  # a header cut from a file that is none may hold any words: the cache stays small


def read_header(header: bytes | str, *, full: bool = True) -> SecHeader:
    """The header's filing fields and parties, whichever of EDGAR's forms it is written in.
    ``full=False`` reads only what every submission takes from its header, the accession
    number and the filing date: a few times faster, for a document that states all else."""
    text = _decoded(header)
    if not full:
        return _filing_fields(text)
    found = SecHeader()
    party: Party | None = None
    for m in _ITEM.finditer(text):
        closing, tag, value = (m.group(1), m.group(2), m.group(3)) if m.group(2) else ("", m.group(4), m.group(5))
        key = _KEYS.get(tag) or _key(tag)
        role = _ROLES.get(key)
        if closing:
            if party is not None and role is party.role:
                party = None  # "</REPORTING-OWNER>": what follows is no longer this owner's
        elif role is not None:
            party = Party(role)
            found.parties.append(party)
        elif key in _FIELDS:
            _field(found, _FIELDS[key], value.strip())
        elif party is not None:
            _party_field(party, key, value)
    return found


def _key(tag: str) -> str:
    key = " ".join(tag.replace("-", " ").split())
    if len(_KEYS) < _KEYS_KEPT:
        _KEYS[tag] = key
    return key


def _filing_fields(text: str) -> SecHeader:
    found = SecHeader()
    for name in ("accession_number", "filed_at"):
        if m := _SEARCHES[name].search(text):
            _field(found, name, m.group(1).strip())
    return found


def _decoded(header: bytes | str) -> str:
    """EDGAR writes headers in ASCII; a name in UTF-8 is read as such, other bytes as Latin-1."""
    if isinstance(header, str):
        return header
    try:
        return header.decode("utf-8")
    except UnicodeDecodeError:
        return header.decode("latin-1")


def _party_field(party: Party, key: str, value: str) -> None:
    if key in _NAME:
        if party.name is None and (name := _unescaped(" ".join(value.split()))):
            party.name = name
    elif key in _CIK:
        digits = value.strip()
        if party.cik is None and digits.isdigit():
            party.cik = digits.zfill(10)
    elif key == "RELATIONSHIP" and (kind := " ".join(value.split()).upper()):
        party.relationships.append(kind)


def _field(found: SecHeader, name: str, value: str) -> None:
    if getattr(found, name) is not None:
        return  # the first one: a document's own <TYPE> may follow a header cut short
    if name == "accession_number":
        if _ACCESSION.fullmatch(value):
            found.accession_number = value
    elif name == "form_type":
        found.form_type = value or None
    elif _DATE.match(value):
        setattr(found, name, _date(value[:8], name, found.warnings))


def _date(raw: str, name: str, warnings: list[Warning]) -> dt.date | None:
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        warnings.append(Warning(field=name, message=f"header date {raw!r} is not a date"))
        return None


def _unescaped(text: str) -> str:
    """A tagged header's value with its character references read; the text form's values
    have none, and an ``&`` that begins no reference ("AT&T") stays as it is."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_reference, text)


def _reference(m: re.Match[str]) -> str:
    if m.group(1):
        return _NAMED[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    return chr(code) if 0 < code < 0x110000 else m.group(0)
