"""What a lossy reader is unsure of: warnings and per-field confidence, by record path."""

from __future__ import annotations

from form4.model import Warning

REPAIRED = 0.6  # a value read only through an OCR repair, unless the form confirms it


class Evidence:
    def __init__(self) -> None:
        self.warnings: list[Warning] = []
        self.confidence: dict[str, float] = {}
        self.garbled: dict[str, str] = {}  # text OCR mangled past reading, by field, for checks to settle
        self.repairs: dict[str, str] = {}  # values read only through an OCR repair, by field: settled last

    def doubt(self, field: str, confidence: float, message: str | None = None) -> None:
        """Lower the confidence of ``field`` (and say why, when there is something to say)."""
        self.confidence[field] = min(confidence, self.confidence.get(field, 1.0))
        if message:
            self.warnings.append(Warning(field=field, message=message))

    def repaired(self, field: str, text: str) -> None:
        """``field``'s value was read from ``text`` only through an OCR repair: doubted in the
        end unless the form's own arithmetic or codes confirm it (``confidence.settle``)."""
        self.repairs[field] = text

    def sure(self, field: str) -> float:
        """How sure the reading is of ``field`` so far (a repair not yet settled counts)."""
        return min(self.confidence.get(field, 1.0), REPAIRED if field in self.repairs else 1.0)

    def resolve(self, field: str, confidence: float, message: str | None = None) -> None:
        """A value the form's rules gave ``field`` after it could not be read: what was doubted
        of the reading is settled, and ``confidence`` is the rule's."""
        self.confidence[field] = confidence
        self.warnings = [w for w in self.warnings if w.field != field]
        if message:
            self.warnings.append(Warning(field=field, message=message))

    def missing(self, field: str, what: str) -> None:
        self.doubt(field, 0.0, f"{what} could not be read")
