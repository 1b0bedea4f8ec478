"""EDGAR submission text: the .txt dissemination form and the feed's .nc form."""

from __future__ import annotations

import datetime as dt

import pytest

import form4
from form4 import NoOwnershipDocumentError
from tests.conftest import ROOT
from tests.readers.test_legacy import TYPED
from tests.readers.test_sec_header import NC_FORM, SUBJECT_AND_BLOCKS, TAGGED_FILERS, TEXT_FORM
from tests.readers.test_xml import OWNER, make

XML = make().decode()


def txt(body: str, *, pem: bool = False, crlf: bool = False) -> bytes:
    text = f"""<SEC-DOCUMENT>0000950123-20-000001.txt : 20200106
<SEC-HEADER>0000950123-20-000001.hdr.sgml : 20200106
ACCESSION NUMBER:\t\t0000950123-20-000001
CONFORMED SUBMISSION TYPE:\t4

FILED AS OF DATE:\t\t20200106
</SEC-HEADER>
{body}
</SEC-DOCUMENT>
"""
    if pem:
        text = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n\n" + text + \
            "-----END PRIVACY-ENHANCED MESSAGE-----\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode()


def document(kind: str, content: str) -> str:
    return f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>1\n<FILENAME>f\n<TEXT>\n{content}\n</TEXT>\n</DOCUMENT>"


UUENCODED = "begin 644 poa.pdf\nM)5!$1BTQ+C0*)>+CS],*,2`P(&]B:@H\\/`H*+U1Y<&4@+T-A=&%L;V<*+U!A\nend"


@pytest.mark.parametrize(("pem", "crlf"), [(False, False), (True, False), (True, True)])
def test_txt_form(pem: bool, crlf: bool) -> None:
    filing = form4.read(txt(document("EX-24", UUENCODED) + document("4", f"<XML>\n{XML}\n</XML>"),
                            pem=pem, crlf=crlf))
    assert filing.accession_number == "0000950123-20-000001"
    assert filing.filed_at == dt.date(2020, 1, 6)
    assert filing.source == "sgml"
    assert filing.non_derivative_transactions[0].shares == 100


def test_nc_form_with_header_on_one_line() -> None:
    data = ("<SUBMISSION><ACCESSION-NUMBER>0001209191-21-000002<TYPE>4<FILING-DATE>20210105"
            "<ISSUER><COMPANY-DATA><CONFORMED-NAME>ACME<CIK>0000001234</COMPANY-DATA></ISSUER>\n"
            + document("4", f"<XML>{XML}</XML>") + "\n</SUBMISSION>\n").encode()
    filing = form4.read(data)
    assert filing.accession_number == "0001209191-21-000002"
    assert filing.filed_at == dt.date(2021, 1, 5)


def test_typed_document_that_is_no_form_is_a_clear_error() -> None:
    text = "FORM 4\n| Name and Address | Common Stock | 100 | $10.00 |\n"
    with pytest.raises(NoOwnershipDocumentError, match="no Form 3, 4 or 5"):
        form4.read(txt(document("4", text)))


def test_bad_embedded_xml_names_the_field() -> None:
    with pytest.raises(form4.MalformedInputError) as info:
        form4.read(txt(document("4", "<XML>\n<ownershipDocument><issuer>\n</XML>")))
    assert info.value.field == "<XML>"


NO_BOX = "( ) Director ( ) 10% Owner ( ) Officer (give title below) ( ) Other (specify below)"


def submission(header: str, body: str) -> bytes:
    return f"<SEC-DOCUMENT>x.txt : 20000110\n{header}\n{body}\n</SEC-DOCUMENT>\n".encode()


def typed(boxes: str = NO_BOX) -> str:
    return document("4", TYPED.format(boxes=boxes, notes=""))  # a typed Form 4 of before 2003


REAL_2000 = ROOT / "tests" / "edgar" / "real" / "filings" / "0001094891-00-000193.txt"


def test_real_submission_of_2000_names_its_parties_in_the_header() -> None:
    filing = form4.read(REAL_2000)
    assert filing.source == "text"
    assert filing.issuer.cik == "0000911787"
    assert "PRODUCTIVITY TECHNOLOGIES" in (filing.issuer.name or "").upper()
    [owner] = filing.reporting_owners
    assert (owner.cik, owner.name) == ("0001050609", "Foster, Alan H.")  # the name as the form writes it
    assert owner.is_director and not (owner.is_officer or owner.is_ten_percent_owner or owner.is_other)
    [signature] = filing.signatures
    assert (signature.name or "").removeprefix("/s/").strip() == "Alan H. Foster"
    assert signature.date == dt.date(2000, 3, 13)
    assert (filing.period_of_report, filing.filed_at) == (dt.date(2000, 2, 29), dt.date(2000, 3, 14))
    assert not any(w.field.endswith("cik") or w.field.startswith("signatures") for w in filing.warnings)


@pytest.mark.parametrize(("header", "issuer_cik", "owner_cik"), [
    (TEXT_FORM, "0001092796", "0001000001"), (SUBJECT_AND_BLOCKS, "0000900001", "0001000001"),
    (NC_FORM.replace("O&#39;Neil Pat", "Jane Q. Roe"), "0000732717", "0001000004"),
    (TAGGED_FILERS.replace("DOE JOHN", "ROE JANE Q"), "0000900005", "0001000006")],
    ids=["issuer", "subject-company", "nc", "filers"])
def test_typed_form_takes_the_ciks_from_each_header_form(header: str, issuer_cik: str, owner_cik: str) -> None:
    filing = form4.read(submission(header, typed()))
    assert filing.issuer.cik == issuer_cik
    assert filing.issuer.name == "Acme Widgets Inc."  # the document's own name stays
    assert filing.reporting_owners[0].cik == owner_cik  # the owner of the same name, of several
    assert filing.reporting_owners[0].name == "Roe, Jane Q."


def test_an_owner_the_header_does_not_name_gets_no_cik() -> None:
    filing = form4.read(submission(NC_FORM, typed()))  # two other owners in the header
    assert filing.issuer.cik == "0000732717"
    assert [o.cik for o in filing.reporting_owners] == [None]


def test_header_relationship_only_where_the_form_ticks_no_box() -> None:
    unticked = form4.read(submission(SUBJECT_AND_BLOCKS, typed())).reporting_owners[0]
    assert unticked.is_director and unticked.is_officer and not unticked.is_ten_percent_owner
    ticked = form4.read(submission(SUBJECT_AND_BLOCKS, typed(NO_BOX.replace("( ) 10%", "(X) 10%"))))
    owner = ticked.reporting_owners[0]
    assert owner.is_ten_percent_owner and not (owner.is_director or owner.is_officer)


def test_xml_keeps_its_own_ciks_and_names() -> None:
    filing = form4.read(submission(TEXT_FORM, document("4", f"<XML>\n{XML}\n</XML>")))
    assert (filing.issuer.cik, filing.issuer.name) == ("0000001234", "ACME & SONS")
    assert (filing.reporting_owners[0].cik, filing.reporting_owners[0].name) == ("0000000555", "Roe Jane")


def test_xml_without_ciks_takes_them_from_the_header() -> None:
    owner = OWNER.format(cik="", name="Roe Jane Q", director="1", officer="0", title="")
    xml = make(issuer_cik="", owners=owner).decode()
    filing = form4.read(submission(TEXT_FORM, document("4", f"<XML>\n{xml}\n</XML>")))
    assert filing.issuer.cik == "0001092796" and filing.issuer.name == "ACME & SONS"
    assert filing.reporting_owners[0].cik == "0001000001"
    assert filing.reporting_owners[0].is_director and not filing.reporting_owners[0].is_officer


def test_owners_are_paired_by_name_not_by_place() -> None:
    owners = "".join(OWNER.format(cik=cik, name=name, director="1", officer="0", title="")
                     for cik, name in (("555", "Roe Family Trust"), ("", "Roe Jane Q")))
    xml = make(owners=owners).decode()
    header = SUBJECT_AND_BLOCKS  # Jane Q Roe first, then the trust
    filing = form4.read(submission(header, document("4", f"<XML>\n{xml}\n</XML>")))
    assert [o.cik for o in filing.reporting_owners] == ["0000000555", "0001000001"]
