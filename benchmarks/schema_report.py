"""How many corpus filings are valid against their form's XML schema, by form and version.

    python benchmarks/schema_report.py [--corpus ../shared/corpus] [--real tests/edgar/real]

Checks every ownership XML document of the corpus (``xml/*.xml`` and the ``<XML>`` inside
``txt/*``) and of the EDGAR-served files under ``--real`` with ``form4.validation.schema``;
prints a Markdown table form x schema version -> valid/total, real filings (as EDGAR
disseminated them) apart from generated ones, then each invalid document with its first
error, and the throughput.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

from form4.readers.submission import ownership_xml
from form4.validation.schema import document_schema_errors, schema_file, schema_version_used

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
# the corpus README's real filings: real-*, and the few named ones; the rest is generated
REAL = re.compile(r"real-|374WaterForm4|form\d-snow|form3-nosecurities")
_FIELD = re.compile(rb"<(documentType|schemaVersion)>\s*([^<\s]*)")

Row = tuple[str, str, str]  # form, version, origin


def ownership_documents(corpus: Path, real: Path) -> list[tuple[Path, bytes, str]]:
    """(file, bytes, origin) of every input holding an ownership XML document."""
    found = []
    for file in sorted((corpus / "xml").glob("*.xml")) + sorted((corpus / "txt").glob("*")):
        found.append((file, file.read_bytes(), "real" if REAL.search(file.name) else "generated"))
    for file in sorted(p for p in real.rglob("*") if p.is_file()):
        data = file.read_bytes()
        if b"<ownershipDocument" in data:
            found.append((file, data, "real (EDGAR-served)"))
    return found


def describe(data: bytes) -> tuple[str, str]:
    """The document's form and schema version as it states them (for the table only)."""
    xml = ownership_xml(data) if b"<XML>" in data.upper() else data
    fields = dict(_FIELD.findall((xml or b"")[:4096]))
    return (fields.get(b"documentType", b"?").decode(), fields.get(b"schemaVersion", b"(none)").decode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--real", type=Path, default=HERE.parent / "tests" / "edgar" / "real")
    args = parser.parse_args()
    documents = ownership_documents(args.corpus, args.real)
    total: Counter[Row] = Counter()
    valid: Counter[Row] = Counter()
    failures: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    for file, data, origin in documents:
        form, version = describe(data)
        errors = document_schema_errors(data, source=file.name)
        key = (form, version, origin.split()[0])
        total[key] += 1
        valid[key] += not errors
        if errors:
            failures.append((origin, file.name, f"{errors[0].path}: {errors[0].message}" + (
                f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")))
    elapsed = time.perf_counter() - start
    print(f"{len(documents)} ownership XML documents ({len(documents) / elapsed:.0f}/s, one thread); "
          f"EDGAR-served files under {args.real} holding one: "
          f"{sum(origin.startswith('real (') for _, _, origin in documents)}\n")
    print("| form | version | schema used | real: valid/total | generated: valid/total |")
    print("| --- | --- | --- | --- | --- |")
    for form, version in sorted({(f, v) for f, v, _ in total}):
        used = schema_file(form, version).relative_to(schema_file("4", "X0306").parents[1]) \
            if form in ("3", "3/A", "4", "4/A", "5", "5/A") else "-"
        cells = [f"{valid[(form, version, o)]}/{total[(form, version, o)]}" if total[(form, version, o)] else "-"
                 for o in ("real", "generated")]
        print(f"| {form} | {version} | {used} | {cells[0]} | {cells[1]} |")
    sums = [f"{sum(valid[k] for k in total if k[2] == o)}/{sum(total[k] for k in total if k[2] == o)}"
            for o in ("real", "generated")]
    print(f"| all | | | {sums[0]} | {sums[1]} |")
    print(f"\nversions shipped: {schema_version_used('X0101')} (and earlier), {schema_version_used(None)}")
    print(f"\n{len(failures)} invalid, with the first error:")
    for origin, name, first in sorted(failures):
        print(f"- [{origin}] {name}: {first}")


if __name__ == "__main__":
    main()
