"""Rules on reporting owners and signatures (O3xx)."""

from __future__ import annotations

from collections.abc import Iterator

from form4.validation.context import Context
from form4.validation.diagnostics import Diagnostic, diagnostic


def check_owners(ctx: Context) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for index, owner in enumerate(ctx.filing.reporting_owners):
        path = f"reporting_owners[{index}]"
        if not (owner.is_director or owner.is_officer or owner.is_ten_percent_owner or owner.is_other):
            yield diagnostic("O301", path, "no relationship box ticked (director, officer, 10% owner or other)")
        if owner.is_officer and not (owner.officer_title or "").strip():
            yield diagnostic("O302", f"{path}.officer_title", "the officer box is ticked but no title is given")
        if owner.is_other and not (owner.other_text or "").strip():
            yield diagnostic("O303", f"{path}.other_text", "the other box is ticked without saying what")
        cik = (owner.cik or "").lstrip("0")  # some files drop the leading zeros
        if cik and cik in seen:
            yield diagnostic("O304", f"{path}.cik",
                             f"owner CIK {owner.cik} is reporting_owners[{seen[cik]}] again")
        seen.setdefault(cik, index)
    yield from _signatures(ctx)


def _signatures(ctx: Context) -> Iterator[Diagnostic]:
    """Every owner of a joint filing signs it, though one person may sign for several (a fund's
    manager for the fund and its general partner): fewer signatures is only worth knowing,
    more than there are owners means a signature belongs to no one."""
    signatures, owners = ctx.filing.signatures, len(ctx.filing.reporting_owners)
    if not signatures:
        yield diagnostic("O305", "signatures", "the filing is not signed")
        return
    for index, signature in enumerate(signatures):
        if not (signature.name or "").strip():
            yield diagnostic("O308", f"signatures[{index}].name", "a signature without a name")
    if owners and len(signatures) > owners:
        yield diagnostic("O306", "signatures", f"{len(signatures)} signatures for {owners} reporting owner(s)")
    elif len(signatures) < owners:
        yield diagnostic("O307", "signatures",
                         f"{len(signatures)} signature(s) for {owners} reporting owners: check each owner is "
                         "signed for")
