"""Writes to blueprints, called alike from views, admin, imports and management commands.

Every function is keyword-only and typed, and runs in one transaction. Bad input raises
Django's `ValidationError` (with field names where a form could show them); an edit built on
a stale card or blueprint raises `VersionConflict`, which carries the object as it now is.
An update changes only the fields given: each defaults to `UNSET`, so `None` can still be a
value.

The package, along its seams:

- `shared`: the blueprint's row lock, the version bump (which returns an approved blueprint
  to draft, through `blueprints.review.states`), history attribution, `VersionConflict`,
  `UNSET` and the checks every write shares;
- `positions`: keeping phases, lanes and cards numbered 0..n-1 at every statement;
- `blueprints`: a blueprint as a whole (create, update, delete, copy);
- `cards`: cards (add, update, move, delete) and the links between them;
- `phases_lanes`: the grid's columns and rows;
- `planning`: delivery challenges, their questions, prototypes and their results;
- `learning`: publishing answered questions and decided prototypes, and starting from them;
- `last_change` and `undo`: each person's last change to a card, and undoing it.

The public functions are re-exported here, so callers write `services.add_card(...)`. The
package imports only models, the review's bottom layer (`review.states`) and the other
apps: nothing that imports it back.
"""

from blueprints.services.blueprints import (
    copy_blueprint,
    create_blueprint,
    delete_blueprint,
    update_blueprint,
)
from blueprints.services.cards import (
    add_card,
    delete_card,
    link_cards,
    move_card,
    unlink_cards,
    update_card,
)
from blueprints.services.learning import (
    publish_prototype,
    publish_question,
    start_delivery_challenge_from,
    start_prototype_from,
    unpublish_prototype,
    unpublish_question,
)
from blueprints.services.phases_lanes import (
    add_lane,
    add_phase,
    delete_lane,
    delete_phase,
    move_lane,
    move_phase,
    order_lanes_by_role,
    rename_lane,
    rename_phase,
)
from blueprints.services.planning import (
    DECISION_NEEDS_RESULT,
    MeasureRow,
    QuestionAnswer,
    create_delivery_challenge,
    create_delivery_question,
    create_prototype,
    delete_delivery_challenge,
    delete_delivery_question,
    delete_prototype,
    set_prototype_measures,
    update_delivery_challenge,
    update_delivery_question,
    update_prototype,
)
from blueprints.services.shared import UNSET, Unset, VersionConflict
from blueprints.services.undo import undo_last_change

__all__ = [
    "DECISION_NEEDS_RESULT",
    "UNSET",
    "MeasureRow",
    "QuestionAnswer",
    "Unset",
    "VersionConflict",
    "add_card",
    "add_lane",
    "add_phase",
    "copy_blueprint",
    "create_blueprint",
    "create_delivery_challenge",
    "create_delivery_question",
    "create_prototype",
    "delete_blueprint",
    "delete_card",
    "delete_delivery_challenge",
    "delete_delivery_question",
    "delete_lane",
    "delete_phase",
    "delete_prototype",
    "link_cards",
    "move_card",
    "move_lane",
    "move_phase",
    "order_lanes_by_role",
    "publish_prototype",
    "publish_question",
    "rename_lane",
    "rename_phase",
    "set_prototype_measures",
    "start_delivery_challenge_from",
    "start_prototype_from",
    "undo_last_change",
    "unlink_cards",
    "unpublish_prototype",
    "unpublish_question",
    "update_blueprint",
    "update_card",
    "update_delivery_challenge",
    "update_delivery_question",
    "update_prototype",
]
