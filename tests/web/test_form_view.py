"""The form as the dashboard lays it out (form4.web.form_view): each flag sits on the value it
is about, so a person checks the field that is in doubt and not its neighbours."""

from __future__ import annotations

from form4.model import Filing, Issuer, ReportingOwner, Warning
from form4.web.form_view import form_view


def _filing(*flagged: str) -> Filing:
    owner = ReportingOwner(cik="0001234567", name="Doe Jane", street1="1 Main Street", street2="Suite 200",
                           city="Palo Alto", state="CA", zip="94301")
    warnings = [Warning(field=f"reporting_owners[0].{part}", message=f"{part} in doubt") for part in flagged]
    return Filing(form_type="4", issuer=Issuer(cik="0000320193", name="Acme Inc"), reporting_owners=[owner],
                  warnings=warnings)


def test_a_flagged_street_marks_the_street_and_not_the_name() -> None:
    owner = form_view(_filing("street1"), 0.9).owners[0]
    assert owner.name.flags == []
    assert [(line.text, line.flags) for line in owner.address] == [
        ("1 Main Street", ["street1 in doubt"]), ("Suite 200", []), ("Palo Alto CA 94301", [])]


def test_a_flagged_zip_marks_the_city_line_and_a_flagged_name_the_name() -> None:
    owner = form_view(_filing("zip", "name"), 0.9).owners[0]
    assert owner.name.flags == ["name in doubt"]
    assert [line.flags for line in owner.address] == [[], [], ["zip in doubt"]]


def test_a_low_confidence_city_is_flagged_on_its_line() -> None:
    filing = _filing()
    filing.confidence = {"reporting_owners[0].city": 0.4}
    view = form_view(filing, 0.9)
    assert view.owners[0].address[2].flags and view.owners[0].name.flags == []
    assert [f.path for f in view.flags] == ["reporting_owners[0].city"]
