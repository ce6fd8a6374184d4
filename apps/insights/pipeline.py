"""What "reached a stage" means, for every Insights report and drill-down.

An opportunity *reached* a stage when its stage history shows that stage or a later one of the
pipeline (skipping a step counts as passing through it). Its *rank* is the furthest pipeline stage
in its history (1 for the first stage, 0 when it has none); lost endings rank 0.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

from apps.opportunities.models import OPEN_STAGES, Stage, StageChange

# The funnel: every open stage, then the one good ending.
PIPELINE = [*OPEN_STAGES, Stage.ACCEPTED]
LOST_STAGES = [Stage.REJECTED, Stage.WITHDRAWN]


def rank_of(stage: str) -> int:
    return PIPELINE.index(stage) + 1


def stages_from(stage: str) -> list[str]:
    """The pipeline stages at or after `stage`: having any of them in history = reached it."""
    return [s.value for s in PIPELINE[PIPELINE.index(stage) :]]


def reached(stage: str):
    return Exists(
        StageChange.objects.filter(opportunity=OuterRef("pk"), to_stage__in=stages_from(stage))
    )


def reached_rank():
    """The opportunity's furthest pipeline stage as its rank, by one correlated subquery."""
    rank = Case(
        *(When(to_stage=stage, then=Value(rank_of(stage))) for stage in PIPELINE),
        default=Value(0),
        output_field=IntegerField(),
    )
    furthest = (
        StageChange.objects.filter(opportunity=OuterRef("pk"))
        .annotate(rank=rank)
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Subquery(furthest, output_field=IntegerField())


def label_of_rank(rank: int) -> str:
    return PIPELINE[rank - 1].label if rank else "—"
