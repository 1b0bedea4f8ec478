"""``form4 validate``: the JSON shape, exit status, unreadable files, --as-of, --select/--ignore."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from form4.cli import app

runner = CliRunner()


def ownership_xml(*, code: str = "P", ad: str = "A", following: int = 1100, day: str = "2024-11-27") -> bytes:
    return f"""<?xml version="1.0"?>
<ownershipDocument>
  <schemaVersion>X0508</schemaVersion><documentType>4</documentType><periodOfReport>{day}</periodOfReport>
  <issuer><issuerCik>0000320193</issuerCik><issuerName>Example Corp</issuerName>
    <issuerTradingSymbol>EXM</issuerTradingSymbol></issuer>
  <reportingOwner>
    <reportingOwnerId><rptOwnerCik>0001234567</rptOwnerCik><rptOwnerName>Doe Jane</rptOwnerName></reportingOwnerId>
    <reportingOwnerRelationship><isDirector>1</isDirector></reportingOwnerRelationship>
  </reportingOwner>
  <nonDerivativeTable>
    <nonDerivativeTransaction>
      <securityTitle><value>Common Stock</value></securityTitle>
      <transactionDate><value>{day}</value></transactionDate>
      <transactionCoding><transactionFormType>4</transactionFormType><transactionCode>{code}</transactionCode>
        <equitySwapInvolved>0</equitySwapInvolved></transactionCoding>
      <transactionAmounts><transactionShares><value>100</value></transactionShares>
        <transactionPricePerShare><value>10.00</value></transactionPricePerShare>
        <transactionAcquiredDisposedCode><value>{ad}</value></transactionAcquiredDisposedCode></transactionAmounts>
      <postTransactionAmounts><sharesOwnedFollowingTransaction><value>1000</value></sharesOwnedFollowingTransaction>
      </postTransactionAmounts>
      <ownershipNature><directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature>
    </nonDerivativeTransaction>
    <nonDerivativeTransaction>
      <securityTitle><value>Common Stock</value></securityTitle>
      <transactionDate><value>{day}</value></transactionDate>
      <transactionCoding><transactionFormType>4</transactionFormType><transactionCode>P</transactionCode>
        <equitySwapInvolved>0</equitySwapInvolved></transactionCoding>
      <transactionAmounts><transactionShares><value>100</value></transactionShares>
        <transactionPricePerShare><value>10.00</value></transactionPricePerShare>
        <transactionAcquiredDisposedCode><value>A</value></transactionAcquiredDisposedCode></transactionAmounts>
      <postTransactionAmounts><sharesOwnedFollowingTransaction><value>{following}</value>
      </sharesOwnedFollowingTransaction></postTransactionAmounts>
      <ownershipNature><directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature>
    </nonDerivativeTransaction>
  </nonDerivativeTable>
  <ownerSignature><signatureName>Jane Doe</signatureName><signatureDate>{day}</signatureDate></ownerSignature>
</ownershipDocument>
""".encode()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run_json(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_json_is_a_list_of_source_and_diagnostics(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.xml", ownership_xml(following=1150))
    code, data = run_json(path)
    assert code == 0  # a balance warning and the due date: no error
    assert [sorted(entry) for entry in data] == [["diagnostics", "source"]] and data[0]["source"] == path
    found = data[0]["diagnostics"]
    assert isinstance(found, list)
    assert found[0] == {"code": "V401", "severity": "warning",
                        "field": "non_derivative_transactions[1].shares_owned_following",
                        "message": found[0]["message"]}


def test_deadline_diagnostics_carry_due_and_business_days_late(tmp_path: Path) -> None:
    path = write(tmp_path, "late.xml", ownership_xml())
    code, data = run_json(path, "--as-of", "2024-12-04")
    deadline = [d for d in data[0]["diagnostics"] if d["code"] == "L501"]  # type: ignore[attr-defined]
    assert code == 1
    assert {k: deadline[0][k] for k in ("severity", "due", "business_days_late")} == {
        "severity": "error", "due": "2024-12-02", "business_days_late": 2}
    assert sorted(deadline[0]) == ["business_days_late", "code", "due", "field", "message", "severity"]


def test_as_of_on_the_due_date_is_on_time(tmp_path: Path) -> None:
    code, data = run_json(write(tmp_path, "ok.xml", ownership_xml()), "--as-of", "2024-12-02")
    assert (code, data[0]["diagnostics"]) == (0, [])


def test_exit_status_one_on_errors_zero_on_warnings_and_info(tmp_path: Path) -> None:
    warned = write(tmp_path, "warned.xml", ownership_xml(following=1150))  # V401 warning, L503 info
    wrong = write(tmp_path, "wrong.xml", ownership_xml(code="P", ad="D"))  # C103 error
    assert runner.invoke(app, ["validate", warned]).exit_code == 0
    result = runner.invoke(app, ["validate", warned, wrong])
    assert result.exit_code == 1 and "C103" in result.stdout and "V401" in result.stdout
    assert "2 filing(s): 1 error(s), 1 warning(s), 2 info" in result.stderr


def test_a_broken_file_is_one_line_and_the_others_are_still_validated(tmp_path: Path) -> None:
    good = write(tmp_path, "good.xml", ownership_xml())
    broken = write(tmp_path, "broken.xml", b"<ownershipDocument><issuer>")
    result = runner.invoke(app, ["validate", broken, good, "-f", "json"])
    assert result.exit_code == 1
    assert [entry["source"] for entry in json.loads(result.stdout)] == [good]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error ") and broken in lines[0]


def test_lines_and_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.xml", ownership_xml(code="P", ad="D"))
    lines = runner.invoke(app, ["validate", path, "-f", "lines"]).stdout.splitlines()
    assert f"{path}: C103 error non_derivative_transactions[0].acquired_disposed: " in lines[0]
    jsonl = runner.invoke(app, ["validate", path, path, "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line)["source"] for line in jsonl] == [path, path]


def test_select_and_ignore_by_code_or_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.xml", ownership_xml(code="P", ad="D", following=1150))

    def codes(*args: str) -> list[str]:
        return [d["code"] for d in run_json(path, *args)[1][0]["diagnostics"]]  # type: ignore[index]

    assert codes() == ["C103", "V401", "L503"]
    assert codes("--select", "L,V4") == ["V401", "L503"]
    assert codes("--ignore", "C103", "--ignore", "l503") == ["V401"]
    assert run_json(path, "--ignore", "C")[0] == 0  # the only error left out: exit 0


def test_a_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", write(tmp_path, "ok.xml", ownership_xml()), "--as-of", "12/02/2024"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
