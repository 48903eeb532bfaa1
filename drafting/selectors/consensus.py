"""Where the group stands on a proposal, bloc by bloc."""

from dataclasses import dataclass

from drafting.models import Position, Proposal
from members.models import Expert


@dataclass(frozen=True)
class BlocConsensus:
    bloc: str
    label: str
    counts: dict[str, int]
    positions: list[Position]
    not_answered: list[Expert]

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Consensus:
    blocs: list[BlocConsensus]
    totals: dict[str, int]

    @property
    def objections(self) -> list[Position]:
        """The objections, with their reasons, bloc by bloc."""
        return [p for b in self.blocs for p in b.positions if p.stance == Position.Stance.OBJECT]

    @property
    def not_answered_count(self) -> int:
        return sum(len(b.not_answered) for b in self.blocs)

    @property
    def balanced_support(self) -> bool:
        """Support (or acceptance) from both blocs, and no objection."""
        accepting = (Position.Stance.SUPPORT, Position.Stance.LIVE_WITH)
        return self.totals[Position.Stance.OBJECT] == 0 and all(
            sum(b.counts[s] for s in accepting) > 0 for b in self.blocs
        )


def proposal_consensus(proposal: Proposal) -> Consensus:
    """Who supports, can live with, objects (and why), and who has not answered, by bloc (two queries)."""
    positions = list(proposal.positions.select_related("expert__organisation").order_by("expert__full_name"))
    responded = {p.expert_id for p in positions}
    silent = [e for e in Expert.objects.active().order_by("full_name") if e.pk not in responded]
    blocs = []
    for bloc, label in Expert.Bloc.choices:
        mine = [p for p in positions if p.expert.bloc == bloc]
        for position in mine:
            position.bloc_label = label
        counts = {stance: sum(1 for p in mine if p.stance == stance) for stance in Position.Stance.values}
        blocs.append(BlocConsensus(bloc, label, counts, mine, [e for e in silent if e.bloc == bloc]))
    totals = {stance: sum(b.counts[stance] for b in blocs) for stance in Position.Stance.values}
    return Consensus(blocs, totals)
