"""The legal authority a trade measure rests on, as data: so that "every Section 301 layer" or
"everything under IEEPA" can be selected, whatever its free-text legal basis says.

>>> Authority("section_301").label
'Section 301 (US Trade Act of 1974)'
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Authority"]


class Authority(StrEnum):
    """The kind of legal authority a measure rests on.

    US statutes are named by their section; trade remedies (anti-dumping, countervailing and
    safeguard duties) and retaliation are named by kind, so every party's equivalents share a
    member (the EU's countervailing duties and the US's alike).
    """

    CUSTOMS_TARIFF = "customs_tariff"  #: the ordinary (MFN) customs tariff
    IEEPA = "ieepa"
    SECTION_232 = "section_232"
    SECTION_301 = "section_301"
    SECTION_201 = "section_201"
    SECTION_122 = "section_122"
    ANTI_DUMPING = "anti_dumping"
    COUNTERVAILING = "countervailing"
    SAFEGUARD = "safeguard"
    RETALIATION = "retaliation"  #: countermeasures against another party's measures
    OTHER = "other"

    @property
    def label(self) -> str:
        """The authority in words."""
        return _LABELS[self]


_LABELS: dict[Authority, str] = {
    Authority.CUSTOMS_TARIFF: "customs tariff (MFN duties)",
    Authority.IEEPA: "IEEPA (US International Emergency Economic Powers Act)",
    Authority.SECTION_232: "Section 232 (US Trade Expansion Act of 1962, national security)",
    Authority.SECTION_301: "Section 301 (US Trade Act of 1974)",
    Authority.SECTION_201: "Section 201 (US Trade Act of 1974, safeguards)",
    Authority.SECTION_122: "Section 122 (US Trade Act of 1974, balance of payments)",
    Authority.ANTI_DUMPING: "anti-dumping duty",
    Authority.COUNTERVAILING: "countervailing (anti-subsidy) duty",
    Authority.SAFEGUARD: "safeguard measure",
    Authority.RETALIATION: "retaliation (countermeasures)",
    Authority.OTHER: "other authority",
}
