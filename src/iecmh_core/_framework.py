"""
The Competency Guidelines as data: domains and their knowledge areas.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs


@attrs.frozen(kw_only=True)
class KnowledgeArea:
    """
    A knowledge area within a competency domain.

    Attributes:
        id: A stable id, e.g. ``"cultural-humility"``.
        name: The area's name.
        categories: The category codes the area applies to.
        confirmed: Whether a cited public source confirms the area (and its
            categories); unconfirmed areas are kept, marked, not invented.
        aliases: Former ids that still resolve to this area, e.g.
            ``"cultural-competence"`` after the rename.
        sources: Where the area comes from.
        note: Remarks on the sources, renames or doubts.

    .. versionadded:: 0.1.0
    """

    id: str
    name: str
    categories: tuple[str, ...] = ()
    confirmed: bool = True
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class Domain:
    """
    One of the Competency Guidelines' domains, with its knowledge areas.

    Attributes:
        id: A stable id, e.g. ``"theoretical-foundations"``.
        name: The domain's name.
        knowledge_areas: Its knowledge areas, in order.
        sources: Where the domain comes from.

    .. versionadded:: 0.1.0
    """

    id: str
    name: str
    knowledge_areas: tuple[KnowledgeArea, ...] = ()
    sources: tuple[str, ...] = ()


class EvidenceKind(enum.Enum):
    """
    Evidence that shows whole domains rather than named knowledge areas.

    .. versionadded:: 0.1.0
    """

    EXAM_PART_1 = "exam_part_1"
    EXAM_PART_2 = "exam_part_2"
    REFERENCES = "references"


@attrs.frozen(kw_only=True)
class EvidenceMapping:
    """
    Which domains a kind of evidence mainly shows.

    Trainings name their knowledge areas themselves; exam parts and
    reference ratings speak for whole domains, as the Guidelines' sources
    describe them.

    Attributes:
        evidence: The kind of evidence.
        domains: The ids of the domains it shows.
        sources: Where the mapping comes from.
        pass_percent: For a scored exam part, the score that shows the
            domains.
        void_at: For reference ratings, the count of items the rater could
            not rate from which a rating shows nothing.

    .. versionadded:: 0.1.0
    """

    evidence: EvidenceKind
    domains: tuple[str, ...]
    sources: tuple[str, ...]
    pass_percent: Decimal | None = None
    void_at: int | None = None


@attrs.frozen(kw_only=True)
class Framework:
    """
    A versioned edition of a competency framework.

    Attributes:
        id: The edition's id, e.g. ``"mi-aimh-guidelines-2017"``.
        title: The framework's title.
        edition: The edition label.
        domains: The domains, in their published order.
        effective_from: When the edition took effect, if known.
        supersedes: The id of the edition it replaces, if any.
        sources: Where the framework comes from.
        evidence: Which domains exam parts and reference ratings show.

    .. versionadded:: 0.1.0
    """

    id: str
    title: str
    edition: str
    domains: tuple[Domain, ...] = ()
    effective_from: dt.date | None = None
    supersedes: str | None = None
    sources: tuple[str, ...] = ()
    evidence: tuple[EvidenceMapping, ...] = ()

    def area(self, area_id: str) -> tuple[Domain, KnowledgeArea] | None:
        """
        Return the domain and knowledge area with *area_id* or that alias.
        """
        for domain in self.domains:
            for area in domain.knowledge_areas:
                if area_id == area.id or area_id in area.aliases:
                    return domain, area
        return None
