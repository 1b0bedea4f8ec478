"""The submission header in each form EDGAR has written it: its parties and filing fields."""

from __future__ import annotations

import datetime as dt

from form4.readers.sec_header import Role, read_header

# the dissemination .txt form since about 2003
TEXT_FORM = """<SEC-HEADER>0000899243-22-000001.hdr.sgml : 20220105
<ACCEPTANCE-DATETIME>20220105161500
ACCESSION NUMBER:\t\t0000899243-22-000001
CONFORMED SUBMISSION TYPE:\t4
PUBLIC DOCUMENT COUNT:\t\t1
CONFORMED PERIOD OF REPORT:\t20220103
FILED AS OF DATE:\t\t20220105

REPORTING-OWNER:

\tOWNER DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tROE JANE Q
\t\tCENTRAL INDEX KEY:\t\t\t0001000001

\tFILING VALUES:
\t\tFORM TYPE:\t\t4

ISSUER:

\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tSMITH & WESSON HOLDING CORP
\t\tCENTRAL INDEX KEY:\t\t\t1092796

\tFORMER COMPANY:
\t\tFORMER CONFORMED NAME:\tSAF T HAMMER CORP
\t\tDATE OF NAME CHANGE:\t20010730
</SEC-HEADER>
"""

# about 2000: the issuer as SUBJECT COMPANY, each owner a tag block with its relationships
SUBJECT_AND_BLOCKS = """-----BEGIN PRIVACY-ENHANCED MESSAGE-----
Proc-Type: 2001,MIC-CLEAR
Originator-Name: webmaster@www.sec.gov

<SEC-HEADER>0000912057-00-000002.hdr.sgml : 20000110
ACCESSION NUMBER:\t\t0000912057-00-000002
CONFORMED SUBMISSION TYPE:\t4
CONFORMED PERIOD OF REPORT:\t19991231
FILED AS OF DATE:\t\t20000110

SUBJECT COMPANY:

\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tACME WIDGETS INC
\t\tCENTRAL INDEX KEY:\t\t\t0000900001
<REPORTING-OWNER>

COMPANY DATA:
\tCOMPANY CONFORMED NAME:\t\t\tROE JANE Q
\tCENTRAL INDEX KEY:\t\t\t0001000001
<RELATIONSHIP>DIRECTOR
<RELATIONSHIP>OFFICER

MAIL ADDRESS:
\tSTREET 1:\t\t1 MAIN ST
</REPORTING-OWNER>
<REPORTING-OWNER>

COMPANY DATA:
\tCOMPANY CONFORMED NAME:\t\t\tROE FAMILY TRUST
\tCENTRAL INDEX KEY:\t\t\t0001000002
<RELATIONSHIP>10 PERCENT OWNER
</REPORTING-OWNER>
</SEC-HEADER>
"""

# the daily feed's .nc form, all on one line, names escaped
NC_FORM = ("<SUBMISSION>\n<ACCESSION-NUMBER>0001209191-21-000002<TYPE>4/A<PUBLIC-DOCUMENT-COUNT>1"
           "<PERIOD>20210104<FILING-DATE>20210105"
           "<REPORTING-OWNER><OWNER-DATA><CONFORMED-NAME>BARNES &amp; NOBLE FAMILY LP<CIK>0001000003"
           "</OWNER-DATA><FILING-VALUES><FORM-TYPE>4/A<ACT>34</FILING-VALUES></REPORTING-OWNER>"
           "<REPORTING-OWNER><OWNER-DATA><CONFORMED-NAME>O&#39;Neil Pat<CIK>1000004</OWNER-DATA>"
           "<MAIL-ADDRESS><STREET1>2 ELM &amp; OAK<CITY>AUSTIN</MAIL-ADDRESS></REPORTING-OWNER>"
           "<ISSUER><COMPANY-DATA><CONFORMED-NAME>AT&amp;T INC.<CIK>0000732717"
           "<ORGANIZATION-NAME>07 Trade & Services</COMPANY-DATA>"
           "<FORMER-COMPANY><FORMER-CONFORMED-NAME>SBC COMMUNICATIONS INC<DATE-CHANGED>20051118"
           "</FORMER-COMPANY></ISSUER>\n")

# the tagged header of the 1990s, a tag a line: filers only
TAGGED_FILERS = """<SEC-HEADER>
<ACCESSION-NUMBER>0000950109-96-000003
<TYPE>4
<FILING-DATE>19960212
<SUBJECT-COMPANY>
<COMPANY-DATA>
<CONFORMED-NAME>GLOBAL INDUSTRIES LTD
<CIK>0000900005
</COMPANY-DATA>
</SUBJECT-COMPANY>
<FILER>
<COMPANY-DATA>
<CONFORMED-NAME>GLOBAL INDUSTRIES LTD
<CIK>0000900005
</COMPANY-DATA>
</FILER>
<FILER>
<COMPANY-DATA>
<CONFORMED-NAME>DOE JOHN
<CIK>0001000006
</COMPANY-DATA>
</FILER>
</SEC-HEADER>
"""


def test_text_form_names_issuer_and_owner() -> None:
    header = read_header(TEXT_FORM.encode())
    assert (header.accession_number, header.form_type) == ("0000899243-22-000001", "4")
    assert (header.period_of_report, header.filed_at) == (dt.date(2022, 1, 3), dt.date(2022, 1, 5))
    issuer = header.issuer()
    assert issuer is not None and issuer.role is Role.ISSUER
    assert (issuer.name, issuer.cik) == ("SMITH & WESSON HOLDING CORP", "0001092796")  # a former name is no name
    assert [(o.name, o.cik) for o in header.reporting_owners()] == [("ROE JANE Q", "0001000001")]


def test_subject_company_and_owner_blocks_of_about_2000() -> None:
    header = read_header(SUBJECT_AND_BLOCKS.encode())
    issuer = header.issuer()
    assert issuer is not None and issuer.role is Role.SUBJECT_COMPANY
    assert (issuer.name, issuer.cik) == ("ACME WIDGETS INC", "0000900001")
    owners = header.reporting_owners()
    assert [(o.name, o.cik, o.relationships) for o in owners] == [
        ("ROE JANE Q", "0001000001", ["DIRECTOR", "OFFICER"]),
        ("ROE FAMILY TRUST", "0001000002", ["10 PERCENT OWNER"])]
    assert header.period_of_report == dt.date(1999, 12, 31)


def test_feed_form_on_one_line_with_several_owners_and_escaped_names() -> None:
    header = read_header(NC_FORM.encode())
    assert (header.accession_number, header.form_type, header.filed_at) == (
        "0001209191-21-000002", "4/A", dt.date(2021, 1, 5))
    issuer = header.issuer()
    assert issuer is not None and (issuer.name, issuer.cik) == ("AT&T INC.", "0000732717")
    assert [(o.name, o.cik) for o in header.reporting_owners()] == [
        ("BARNES & NOBLE FAMILY LP", "0001000003"), ("O'Neil Pat", "0001000004")]


def test_filers_only_the_owner_is_the_filer_that_is_not_the_subject() -> None:
    header = read_header(TAGGED_FILERS.encode())
    issuer = header.issuer()
    assert issuer is not None and issuer.cik == "0000900005"
    assert [(o.role, o.name, o.cik) for o in header.reporting_owners()] == [(Role.FILER, "DOE JOHN", "0001000006")]
    assert header.filed_at == dt.date(1996, 2, 12)


def test_filers_without_a_subject_company_are_all_owners() -> None:
    text = TAGGED_FILERS.replace("<SUBJECT-COMPANY>", "<X>").replace("</SUBJECT-COMPANY>", "</X>")
    header = read_header(text)
    assert header.issuer() is None
    assert [o.cik for o in header.reporting_owners()] == ["0000900005", "0001000006"]


def test_a_party_ends_at_its_closing_tag() -> None:
    text = SUBJECT_AND_BLOCKS.replace("</SEC-HEADER>", "SERIES:\n\tCENTRAL INDEX KEY:\t0000999999\n</SEC-HEADER>")
    header = read_header(text)
    assert [o.cik for o in header.reporting_owners()] == ["0001000001", "0001000002"]


def test_a_date_that_is_none_is_a_warning() -> None:
    header = read_header(TEXT_FORM.replace("20220105\n\nREPORTING", "20221305\n\nREPORTING"))
    assert header.filed_at is None
    assert [(w.field, "20221305" in w.message) for w in header.warnings] == [("filed_at", True)]


def test_filing_fields_alone() -> None:
    for text in (TEXT_FORM, NC_FORM, TAGGED_FILERS):
        full, quick = read_header(text), read_header(text, full=False)
        assert (quick.accession_number, quick.filed_at) == (full.accession_number, full.filed_at)
        assert quick.accession_number and quick.filed_at and quick.parties == []
