"""What a lossy reader is unsure of: warnings and per-field confidence, by record path."""

from __future__ import annotations

from form4.model import Warning


class Evidence:
    def __init__(self) -> None:
        self.warnings: list[Warning] = []
        self.confidence: dict[str, float] = {}
        self.garbled: dict[str, str] = {}  # text OCR mangled past reading, by field, for checks to settle

    def doubt(self, field: str, confidence: float, message: str | None = None) -> None:
        """Lower the confidence of ``field`` (and say why, when there is something to say)."""
        self.confidence[field] = min(confidence, self.confidence.get(field, 1.0))
        if message:
            self.warnings.append(Warning(field=field, message=message))

    def resolve(self, field: str, confidence: float, message: str | None = None) -> None:
        """A value the form's rules gave ``field`` after it could not be read: what was doubted
        of the reading is settled, and ``confidence`` is the rule's."""
        self.confidence[field] = confidence
        self.warnings = [w for w in self.warnings if w.field != field]
        if message:
            self.warnings.append(Warning(field=field, message=message))

    def missing(self, field: str, what: str) -> None:
        self.doubt(field, 0.0, f"{what} could not be read")
