"""The models of the blueprints app, one module per concern:

- `grid`: the blueprint, its phases, lanes, cards and card links, and the lines between lanes;
- `planning`: delivery challenges and their questions, the starter questions, prototypes
  and what they measured;
- `review`: review transitions and comments;
- `versions`: numbered snapshots;
- `jobs`: background jobs;
- `undo`: each person's last change to a card, to undo it.

Every model is imported here, so Django finds them all and `from blueprints.models import
Card` keeps working wherever it is written.
"""

from blueprints.models.grid import (
    Blueprint,
    BlueprintLine,
    BlueprintQuerySet,
    Card,
    CardLink,
    Lane,
    LaneBoundary,
    Phase,
    lane_boundaries,
)
from blueprints.models.jobs import Job, JobQuerySet
from blueprints.models.planning import (
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    PrototypeMeasure,
    StarterQuestion,
)
from blueprints.models.review import Comment, ReviewTransition
from blueprints.models.undo import CardAction, LastCardChange
from blueprints.models.versions import BlueprintVersion

__all__ = [
    "Blueprint",
    "BlueprintLine",
    "BlueprintQuerySet",
    "BlueprintVersion",
    "Card",
    "CardAction",
    "CardLink",
    "Comment",
    "DeliveryChallenge",
    "DeliveryQuestion",
    "Job",
    "JobQuerySet",
    "Lane",
    "LaneBoundary",
    "LastCardChange",
    "Phase",
    "Prototype",
    "PrototypeMeasure",
    "ReviewTransition",
    "StarterQuestion",
    "lane_boundaries",
]
