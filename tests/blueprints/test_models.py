import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from blueprints.models import (
    Blueprint,
    BlueprintLine,
    Card,
    CardLink,
    Lane,
    Phase,
    Prototype,
    lane_boundaries,
)
from localities import permissions
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by_database():
    """Expect an IntegrityError, inside a savepoint so that the test can go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def test_emotion_outside_minus_2_to_2_is_refused_by_the_database():
    card = CardFactory(emotion=1)
    with refused_by_database():
        Card.objects.filter(pk=card.pk).update(emotion=3)


def test_emotion_on_a_frontline_card_is_refused_by_clean():
    blueprint = BlueprintFactory()
    card = Card(
        blueprint=blueprint,
        phase=phase(blueprint),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        position=0,
        title="Navigator phones the family",
        emotion=1,
    )
    with pytest.raises(ValidationError) as refused:
        card.clean()
    assert "emotion" in refused.value.message_dict


def test_emotion_on_a_family_card_passes_clean():
    blueprint = BlueprintFactory()
    card = Card(
        blueprint=blueprint,
        phase=phase(blueprint),
        lane=lane(blueprint, Lane.Role.FAMILY),
        position=0,
        title="Hears about the service",
        emotion=-2,
    )
    card.clean()
    card.save()
    assert Card.objects.get(pk=card.pk).emotion == -2


def test_a_card_in_another_blueprints_phase_is_refused_by_clean():
    blueprint, other = BlueprintFactory(), BlueprintFactory()
    card = Card(
        blueprint=blueprint, phase=phase(other), lane=lane(blueprint), position=0, title="x"
    )
    with pytest.raises(ValidationError) as refused:
        card.clean()
    assert "phase" in refused.value.message_dict


def test_an_empty_card_title_is_refused_by_the_database():
    card = CardFactory()
    with refused_by_database():
        Card.objects.filter(pk=card.pk).update(title="")


def test_two_cards_at_one_position_in_a_cell_are_refused():
    first = CardFactory()
    with refused_by_database():
        Card.objects.create(
            blueprint=first.blueprint,
            phase=first.phase,
            lane=first.lane,
            position=first.position,
            title="Second card at the same place",
        )


def test_the_same_position_in_another_cell_is_allowed():
    first = CardFactory()
    Card.objects.create(
        blueprint=first.blueprint,
        phase=first.phase,
        lane=lane(first.blueprint, Lane.Role.FRONTLINE),
        position=first.position,
        title="Same position, other lane",
    )
    assert first.blueprint.cards.filter(position=first.position).count() == 2


def test_two_phases_at_one_position_are_refused():
    blueprint = BlueprintFactory()
    with refused_by_database():
        Phase.objects.create(blueprint=blueprint, name="Another", position=0)


def test_two_lanes_at_one_position_are_refused():
    blueprint = BlueprintFactory()
    with refused_by_database():
        Lane.objects.create(blueprint=blueprint, role="family", name="Another", position=1)


def test_a_card_linked_to_itself_is_refused_by_the_database():
    card = CardFactory()
    with refused_by_database():
        CardLink.objects.create(from_card=card, to_card=card)


def test_the_same_link_twice_is_refused_by_the_database():
    card = CardFactory()
    other = CardFactory(blueprint=card.blueprint)
    CardLink.objects.create(from_card=card, to_card=other)
    with refused_by_database():
        CardLink.objects.create(from_card=card, to_card=other)


def test_a_prototype_ending_before_it_starts_is_refused_by_the_database():
    prototype = PrototypeFactory(starts_on=datetime.date(2026, 3, 2))
    with refused_by_database():
        Prototype.objects.filter(pk=prototype.pk).update(ends_on=datetime.date(2026, 3, 1))


def test_a_prototype_ending_before_it_starts_is_refused_by_clean():
    prototype = Prototype(
        title="x", starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as refused:
        prototype.clean()
    assert "ends_on" in refused.value.message_dict


def test_a_prototype_ending_the_day_it_starts_is_allowed():
    day = datetime.date(2026, 3, 2)
    prototype = PrototypeFactory(starts_on=day)
    assert Prototype.objects.filter(pk=prototype.pk).update(ends_on=day) == 1


def test_a_negative_cost_is_refused_by_the_database():
    prototype = PrototypeFactory()
    with refused_by_database():
        Prototype.objects.filter(pk=prototype.pk).update(cost=Decimal("-1"))


def test_an_idea_of_another_locality_is_refused_by_clean():
    blueprint = BlueprintFactory()
    blueprint.idea = IdeaFactory(locality=LocalityFactory())
    with pytest.raises(ValidationError) as refused:
        blueprint.clean()
    assert "idea" in refused.value.message_dict


def test_deleting_the_idea_keeps_the_blueprint():
    blueprint = BlueprintFactory()
    blueprint.idea.delete()
    blueprint.refresh_from_db()
    assert blueprint.idea is None


def test_default_lanes_put_each_line_between_the_lanes_design_names():
    blueprint = BlueprintFactory()
    boundaries = [(b.above.role, b.below.role, b.lines) for b in blueprint.lane_boundaries()]
    assert boundaries == [
        ("evidence", "family", ()),
        ("family", "frontline", (BlueprintLine.INTERACTION,)),
        ("frontline", "backstage", (BlueprintLine.VISIBILITY,)),
        ("backstage", "support", (BlueprintLine.INTERNAL_INTERACTION,)),
    ]


def _lanes(*roles):
    return [Lane(role=role, name=role, position=i) for i, role in enumerate(roles)]


def test_without_a_frontline_lane_two_lines_share_a_boundary():
    boundaries = lane_boundaries(_lanes("family", "backstage", "support"))
    assert [b.lines for b in boundaries] == [
        (BlueprintLine.INTERACTION, BlueprintLine.VISIBILITY),
        (BlueprintLine.INTERNAL_INTERACTION,),
    ]


def test_two_lanes_of_one_role_have_no_line_between_them():
    boundaries = lane_boundaries(_lanes("family", "frontline", "frontline", "backstage"))
    assert [b.lines for b in boundaries] == [
        (BlueprintLine.INTERACTION,),
        (),
        (BlueprintLine.VISIBILITY,),
    ]


def test_lanes_out_of_order_draw_each_line_where_the_roles_cross_it():
    boundaries = lane_boundaries(_lanes("family", "backstage", "frontline", "support"))
    assert [b.lines for b in boundaries] == [
        (BlueprintLine.INTERACTION, BlueprintLine.VISIBILITY),
        (BlueprintLine.VISIBILITY,),  # back above the line of visibility
        (BlueprintLine.VISIBILITY, BlueprintLine.INTERNAL_INTERACTION),
    ]


def test_a_member_sees_the_blueprints_of_their_locality(locality, viewer, outsider):
    blueprint = BlueprintFactory(locality=locality)
    assert list(Blueprint.objects.visible_to(viewer)) == [blueprint]
    assert list(Blueprint.objects.visible_to(outsider)) == []


def test_only_editors_and_leads_may_edit_blueprints(locality, viewer, editor, lead):
    blueprint = BlueprintFactory(locality=locality)
    assert not permissions.can_edit_content(viewer, blueprint.locality)
    assert permissions.can_edit_content(editor, blueprint.locality)
    assert permissions.can_edit_content(lead, blueprint.locality)
