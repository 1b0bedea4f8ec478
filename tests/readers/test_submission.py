"""EDGAR submission text: the .txt dissemination form and the feed's .nc form."""

from __future__ import annotations

import datetime as dt

import pytest

import form4
from form4 import NoOwnershipDocumentError
from tests.readers.test_xml import make

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
