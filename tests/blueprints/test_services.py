import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from blueprints import services
from blueprints.models import (
    Blueprint,
    Card,
    CardLink,
    DeliveryChallenge,
    Lane,
    Phase,
    Prototype,
)
from blueprints.services import VersionConflict
from tests.blueprints.checks import assert_positions_dense, cell_titles
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


def add(blueprint, title, *, phase_at=0, role=Lane.Role.FAMILY, **kwargs):
    kwargs.setdefault("kind", Card.Kind.STEP)
    return services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, phase_at),
        lane=lane(blueprint, role),
        title=title,
        by=None,
        **kwargs,
    )


def fresh(card):
    return Card.objects.get(pk=card.pk)


# Creating and copying -------------------------------------------------------------------


def test_a_new_blueprint_has_the_default_phases_and_lanes(locality, editor):
    idea = IdeaFactory(locality=locality)
    blueprint = services.create_blueprint(
        locality=locality, idea=idea, title="Welcome to Northgate", by=editor
    )
    assert list(blueprint.phases.values_list("name", flat=True)) == [
        "Awareness",
        "Use",
        "Exit and advocacy",
    ]
    assert list(blueprint.lanes.values_list("role", "name")) == [
        ("evidence", "Touchpoints and physical evidence"),
        ("family", "Family experience"),
        ("frontline", "Frontline staff and volunteers"),
        ("backstage", "Behind the scenes"),
        ("support", "Support structures and processes"),
    ]
    assert (blueprint.idea, blueprint.created_by, blueprint.version) == (idea, editor, 1)


def test_a_blueprint_of_another_localitys_idea_is_refused(locality, other_locality):
    with pytest.raises(ValidationError) as refused:
        services.create_blueprint(
            locality=locality, idea=IdeaFactory(locality=other_locality), title="x", by=None
        )
    assert "idea" in refused.value.message_dict
    assert not Blueprint.objects.exists()


def test_a_blueprint_without_a_title_is_refused(locality):
    with pytest.raises(ValidationError) as refused:
        services.create_blueprint(locality=locality, idea=None, title="  ", by=None)
    assert "title" in refused.value.message_dict
    assert not Blueprint.objects.exists()


def _rich_blueprint():
    blueprint = BlueprintFactory()
    services.add_phase(blueprint=blueprint, name="First contact", position=1, by=None)
    insight = InsightFactory(locality=blueprint.locality)
    hears = add(blueprint, "Hears about it", emotion=-1, insights=[insight])
    worries = add(blueprint, "Worries about the visit", phase_at=1, kind=Card.Kind.PAIN_POINT)
    phones = add(blueprint, "Navigator phones", phase_at=1, role=Lane.Role.FRONTLINE)
    huddle = add(blueprint, "Weekly huddle", phase_at=2, role=Lane.Role.BACKSTAGE)
    services.link_cards(from_card=phones, to_card=worries, by=None)
    services.link_cards(from_card=huddle, to_card=phones, by=None)
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=[hears, worries])
    PrototypeFactory(
        blueprint=blueprint,
        cards=[worries, phones],
        delivery_challenges=[challenge],
        cost=Decimal("120.50"),
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 5),
    )
    return blueprint


def _structure(blueprint):
    """Everything about a blueprint except ids, in a comparable form."""

    def card_key(card):
        return (card.phase.name, card.lane.role, card.position, card.title)

    cards = blueprint.cards.select_related("phase", "lane").prefetch_related("insights")
    return {
        "phases": list(blueprint.phases.values_list("position", "name", "description")),
        "lanes": list(blueprint.lanes.values_list("position", "role", "name")),
        "cards": sorted(
            (*card_key(c), c.kind, c.emotion, c.details, tuple(i.pk for i in c.insights.all()))
            for c in cards
        ),
        "links": sorted(
            (card_key(link.from_card), card_key(link.to_card))
            for link in CardLink.objects.filter(from_card__blueprint=blueprint).select_related(
                "from_card__phase", "from_card__lane", "to_card__phase", "to_card__lane"
            )
        ),
        "challenges": sorted(
            (
                c.theme,
                c.title,
                tuple(c.questions.values_list("text", "status", "answer")),
                tuple(sorted(x.title for x in c.cards.all())),
            )
            for c in blueprint.delivery_challenges.all()
        ),
        "prototypes": sorted(
            (
                p.title,
                p.hypothesis,
                p.cost,
                p.starts_on,
                p.ends_on,
                tuple(sorted(x.title for x in p.cards.all())),
                tuple(sorted(x.title for x in p.delivery_challenges.all())),
            )
            for p in blueprint.prototypes.all()
        ),
    }


def test_a_copy_has_the_same_structure(editor):
    source = _rich_blueprint()
    copy = services.copy_blueprint(source=source, title="Second draft", by=editor)
    assert _structure(copy) == _structure(source)
    assert (copy.title, copy.locality_id, copy.idea_id) == (
        "Second draft",
        source.locality_id,
        source.idea_id,
    )


def test_a_copy_points_only_at_its_own_new_objects():
    source = _rich_blueprint()
    copy = services.copy_blueprint(source=source, title="Second draft", by=None)
    copy_cards = set(copy.cards.values_list("pk", flat=True))
    assert copy_cards.isdisjoint(source.cards.values_list("pk", flat=True))
    assert set(copy.phases.values_list("pk", flat=True)).isdisjoint(
        source.phases.values_list("pk", flat=True)
    )
    assert not Card.objects.filter(blueprint=copy).exclude(phase__blueprint=copy).exists()
    assert not Card.objects.filter(blueprint=copy).exclude(lane__blueprint=copy).exists()
    links = CardLink.objects.filter(from_card__blueprint=copy)
    assert links.count() == 2
    assert set(links.values_list("to_card", flat=True)) <= copy_cards
    for challenge in copy.delivery_challenges.all():
        assert set(challenge.cards.values_list("pk", flat=True)) <= copy_cards
    prototype = copy.prototypes.get()
    assert set(prototype.cards.values_list("pk", flat=True)) <= copy_cards
    assert prototype.delivery_challenges.get().blueprint == copy


def test_copying_leaves_the_source_as_it_was():
    source = _rich_blueprint()
    before = _structure(source)
    services.copy_blueprint(source=source, title="Second draft", by=None)
    assert _structure(source) == before


# Adding cards ---------------------------------------------------------------------------


def test_a_card_is_added_at_the_end_of_its_cell():
    blueprint = BlueprintFactory()
    first, second = add(blueprint, "First"), add(blueprint, "Second")
    other_cell = add(blueprint, "Elsewhere", role=Lane.Role.FRONTLINE)
    assert (first.position, second.position, other_cell.position) == (0, 1, 0)


def test_adding_a_card_counts_a_new_blueprint_version():
    blueprint = BlueprintFactory()
    add(blueprint, "First")
    assert blueprint.version == 2
    assert Blueprint.objects.get(pk=blueprint.pk).version == 2


def test_a_card_in_another_blueprints_phase_is_refused():
    blueprint, other = BlueprintFactory(), BlueprintFactory()
    with pytest.raises(ValidationError) as refused:
        services.add_card(
            blueprint=blueprint,
            phase=phase(other),
            lane=lane(blueprint),
            title="x",
            kind="step",
            by=None,
        )
    assert "phase" in refused.value.message_dict
    assert not Card.objects.exists()


def test_an_emotion_on_a_card_outside_the_family_lane_is_refused():
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError) as refused:
        add(blueprint, "Navigator phones", role=Lane.Role.FRONTLINE, emotion=1)
    assert "emotion" in refused.value.message_dict
    assert not Card.objects.exists()


@pytest.mark.parametrize("emotion", [-3, 3])
def test_an_emotion_outside_minus_2_to_2_is_refused(emotion):
    with pytest.raises(ValidationError) as refused:
        add(BlueprintFactory(), "Hears about it", emotion=emotion)
    assert "emotion" in refused.value.message_dict


@pytest.mark.parametrize("title", ["", "   ", "x" * 121])
def test_an_empty_or_overlong_title_is_refused(title):
    with pytest.raises(ValidationError) as refused:
        add(BlueprintFactory(), title)
    assert "title" in refused.value.message_dict
    assert not Card.objects.exists()


def test_a_title_of_120_characters_is_accepted():
    assert len(add(BlueprintFactory(), "x" * 120).title) == 120


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as refused:
        add(BlueprintFactory(), "Hears about it", kind="rumour")
    assert "kind" in refused.value.message_dict


def test_insights_of_another_locality_are_refused(other_locality):
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError) as refused:
        add(blueprint, "Hears about it", insights=[InsightFactory(locality=other_locality)])
    assert "insights" in refused.value.message_dict
    assert not Card.objects.exists()


def test_insights_of_the_blueprints_locality_are_kept():
    blueprint = BlueprintFactory()
    insight = InsightFactory(locality=blueprint.locality)
    card = add(blueprint, "Hears about it", insights=[insight])
    assert list(card.insights.all()) == [insight]


# Editing cards --------------------------------------------------------------------------


def test_an_edit_from_the_current_version_is_saved_and_counted():
    card = CardFactory(title="Hears about it")
    blueprint_version = Blueprint.objects.get(pk=card.blueprint_id).version
    saved = services.update_card(
        card=card, expected_version=1, by=None, title="Hears about it from a neighbour"
    )
    assert (saved.title, saved.version) == ("Hears about it from a neighbour", 2)
    assert fresh(card).title == "Hears about it from a neighbour"
    assert Blueprint.objects.get(pk=card.blueprint_id).version == blueprint_version + 1


def test_an_edit_from_a_stale_version_changes_nothing_and_keeps_the_first_writers_text():
    card = CardFactory(title="Hears about it")
    first_writer_copy, second_writer_copy = fresh(card), fresh(card)
    services.update_card(
        card=first_writer_copy, expected_version=1, by=None, title="First writer's title"
    )
    with pytest.raises(VersionConflict) as conflict:
        services.update_card(
            card=second_writer_copy,
            expected_version=1,
            by=None,
            title="Second writer's title",
            details="Second writer's details",
        )
    assert conflict.value.current.title == "First writer's title"
    assert conflict.value.current.version == 2
    stored = fresh(card)
    assert (stored.title, stored.details, stored.version) == ("First writer's title", "", 2)


def test_an_edit_of_a_deleted_card_is_a_conflict_with_nothing_current():
    card = CardFactory()
    services.delete_card(card=fresh(card), expected_version=1, by=None)
    with pytest.raises(VersionConflict) as conflict:
        services.update_card(card=card, expected_version=1, by=None, title="Too late")
    assert conflict.value.current is None


def test_an_edit_to_insights_of_another_locality_changes_nothing(other_locality):
    card = CardFactory(title="Hears about it")
    with pytest.raises(ValidationError):
        services.update_card(
            card=card,
            expected_version=1,
            by=None,
            title="Changed",
            insights=[InsightFactory(locality=other_locality)],
        )
    stored = fresh(card)
    assert (stored.title, stored.version, stored.insights.count()) == ("Hears about it", 1, 0)


def test_an_edit_giving_a_frontline_card_an_emotion_is_refused():
    blueprint = BlueprintFactory()
    card = add(blueprint, "Navigator phones", role=Lane.Role.FRONTLINE)
    with pytest.raises(ValidationError) as refused:
        services.update_card(card=card, expected_version=1, by=None, emotion=2)
    assert "emotion" in refused.value.message_dict
    assert fresh(card).emotion is None


def test_update_card_does_not_move_cards():
    card = CardFactory()
    with pytest.raises(TypeError):
        services.update_card(card=card, expected_version=1, by=None, position=3)


# Moving cards ---------------------------------------------------------------------------


def test_a_card_moves_up_within_its_cell():
    blueprint = BlueprintFactory()
    a, b, c = (add(blueprint, title) for title in "ABC")
    services.move_card(card=c, phase=c.phase, lane=c.lane, position=0, expected_version=1, by=None)
    assert cell_titles(c.phase, c.lane) == ["C", "A", "B"]
    assert_positions_dense(blueprint)


def test_a_card_moves_down_within_its_cell():
    blueprint = BlueprintFactory()
    a, b, c = (add(blueprint, title) for title in "ABC")
    services.move_card(card=a, phase=a.phase, lane=a.lane, position=1, expected_version=1, by=None)
    assert cell_titles(a.phase, a.lane) == ["B", "A", "C"]
    assert_positions_dense(blueprint)


def test_a_position_beyond_the_cell_puts_the_card_last():
    blueprint = BlueprintFactory()
    a, b, c = (add(blueprint, title) for title in "ABC")
    moved = services.move_card(
        card=a, phase=a.phase, lane=a.lane, position=99, expected_version=1, by=None
    )
    assert moved.position == 2
    assert cell_titles(a.phase, a.lane) == ["B", "C", "A"]


def test_a_card_moves_to_another_cell_closing_and_opening_gaps():
    blueprint = BlueprintFactory()
    a, b, c = (add(blueprint, title) for title in "ABC")
    x, y = (add(blueprint, title, phase_at=1) for title in "XY")
    moved = services.move_card(
        card=b, phase=x.phase, lane=x.lane, position=1, expected_version=1, by=None
    )
    assert (moved.phase, moved.lane, moved.position, moved.version) == (x.phase, x.lane, 1, 2)
    assert cell_titles(a.phase, a.lane) == ["A", "C"]
    assert cell_titles(x.phase, x.lane) == ["X", "B", "Y"]
    assert_positions_dense(blueprint)


def test_a_card_moves_into_an_empty_cell():
    blueprint = BlueprintFactory()
    a, b = add(blueprint, "A"), add(blueprint, "B")
    target_phase, target_lane = phase(blueprint, 2), lane(blueprint, Lane.Role.BACKSTAGE)
    services.move_card(
        card=a, phase=target_phase, lane=target_lane, position=5, expected_version=1, by=None
    )
    assert cell_titles(target_phase, target_lane) == ["A"]
    assert cell_titles(b.phase, b.lane) == ["B"]
    assert_positions_dense(blueprint)


def test_a_card_leaving_the_family_lane_loses_its_emotion():
    blueprint = BlueprintFactory()
    card = add(blueprint, "Hears about it", emotion=-2)
    moved = services.move_card(
        card=card,
        phase=card.phase,
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        position=0,
        expected_version=1,
        by=None,
    )
    assert moved.emotion is None
    assert fresh(card).emotion is None


def test_a_move_from_a_stale_version_moves_nothing():
    blueprint = BlueprintFactory()
    a = add(blueprint, "A")
    add(blueprint, "B")
    services.update_card(card=a, expected_version=1, by=None, title="A edited")
    with pytest.raises(VersionConflict) as conflict:
        services.move_card(
            card=a, phase=a.phase, lane=a.lane, position=1, expected_version=1, by=None
        )
    assert conflict.value.current.title == "A edited"
    assert cell_titles(a.phase, a.lane) == ["A edited", "B"]


def test_a_move_into_another_blueprints_phase_is_refused():
    blueprint = BlueprintFactory()
    card = add(blueprint, "A")
    with pytest.raises(ValidationError):
        services.move_card(
            card=card,
            phase=phase(BlueprintFactory()),
            lane=card.lane,
            position=0,
            expected_version=1,
            by=None,
        )
    assert (fresh(card).phase_id, fresh(card).version) == (card.phase_id, 1)


def test_a_move_to_where_the_card_already_is_changes_nothing():
    blueprint = BlueprintFactory()
    add(blueprint, "A")
    b = add(blueprint, "B")
    version = Blueprint.objects.get(pk=blueprint.pk).version
    moved = services.move_card(
        card=b, phase=b.phase, lane=b.lane, position=1, expected_version=1, by=None
    )
    assert moved.version == 1
    assert Blueprint.objects.get(pk=blueprint.pk).version == version


def test_many_moves_keep_every_cell_dense_and_unique():
    blueprint = BlueprintFactory()
    phases, lanes = list(blueprint.phases.all()), list(blueprint.lanes.all())
    rng = random.Random(4)
    for i in range(30):
        services.add_card(
            blueprint=blueprint,
            phase=rng.choice(phases),
            lane=rng.choice(lanes),
            title=f"Card {i}",
            kind="step",
            by=None,
        )
    for _ in range(60):
        card = rng.choice(list(Card.objects.filter(blueprint=blueprint)))
        services.move_card(
            card=card,
            phase=rng.choice(phases),
            lane=rng.choice(lanes),
            position=rng.randint(-1, 12),
            expected_version=card.version,
            by=None,
        )
        assert_positions_dense(blueprint)
    assert Card.objects.filter(blueprint=blueprint).count() == 30


# Deleting cards -------------------------------------------------------------------------


def test_deleting_a_card_closes_the_gap():
    blueprint = BlueprintFactory()
    a, b, c = (add(blueprint, title) for title in "ABC")
    services.delete_card(card=b, expected_version=1, by=None)
    assert cell_titles(a.phase, a.lane) == ["A", "C"]
    assert_positions_dense(blueprint)


def test_deleting_a_card_takes_its_links_with_it():
    blueprint = BlueprintFactory()
    a, b = add(blueprint, "A"), add(blueprint, "B", role=Lane.Role.FRONTLINE)
    services.link_cards(from_card=b, to_card=a, by=None)
    services.delete_card(card=a, expected_version=1, by=None)
    assert not CardLink.objects.exists()


def test_deleting_from_a_stale_version_deletes_nothing():
    card = CardFactory()
    services.update_card(card=fresh(card), expected_version=1, by=None, title="Edited")
    with pytest.raises(VersionConflict):
        services.delete_card(card=card, expected_version=1, by=None)
    assert Card.objects.filter(pk=card.pk).exists()


# Phases and lanes -----------------------------------------------------------------------


def phase_names(blueprint):
    return list(blueprint.phases.order_by("position").values_list("name", flat=True))


def lane_names(blueprint):
    return list(blueprint.lanes.order_by("position").values_list("name", flat=True))


def test_a_phase_added_in_the_middle_moves_the_later_ones_along():
    blueprint = BlueprintFactory()
    services.add_phase(blueprint=blueprint, name="First contact", position=1, by=None)
    assert phase_names(blueprint) == ["Awareness", "First contact", "Use", "Exit and advocacy"]
    assert_positions_dense(blueprint)


def test_a_phase_added_without_a_position_goes_last():
    blueprint = BlueprintFactory()
    services.add_phase(blueprint=blueprint, name="Follow-up", by=None)
    assert phase_names(blueprint)[-1] == "Follow-up"


def test_a_phase_without_a_name_is_refused():
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError):
        services.add_phase(blueprint=blueprint, name=" ", position=0, by=None)
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy"]


def test_a_phase_is_renamed():
    blueprint = BlueprintFactory()
    services.rename_phase(phase=phase(blueprint, 2), name="Moving on", by=None)
    assert phase_names(blueprint) == ["Awareness", "Use", "Moving on"]


def test_a_phase_moves_and_its_cards_go_with_it():
    blueprint = BlueprintFactory()
    card = add(blueprint, "Hears about it")
    services.move_phase(phase=phase(blueprint, 0), position=2, by=None)
    assert phase_names(blueprint) == ["Use", "Exit and advocacy", "Awareness"]
    assert fresh(card).phase.name == "Awareness"
    assert_positions_dense(blueprint)


def test_deleting_a_phase_deletes_its_cards_and_says_how_many():
    blueprint = BlueprintFactory()
    add(blueprint, "A")
    add(blueprint, "B", role=Lane.Role.FRONTLINE)
    kept = add(blueprint, "C", phase_at=1)
    assert services.delete_phase(phase=phase(blueprint, 0), by=None) == 2
    assert list(blueprint.cards.all()) == [kept]
    assert phase_names(blueprint) == ["Use", "Exit and advocacy"]
    assert_positions_dense(blueprint)


def test_the_last_phase_cannot_be_deleted():
    blueprint = BlueprintFactory()
    for _ in range(2):
        services.delete_phase(phase=phase(blueprint, 0), by=None)
    with pytest.raises(ValidationError):
        services.delete_phase(phase=phase(blueprint, 0), by=None)
    assert Phase.objects.filter(blueprint=blueprint).count() == 1


def test_a_lane_added_without_a_name_is_named_for_its_role():
    blueprint = BlueprintFactory()
    added = services.add_lane(blueprint=blueprint, role="frontline", position=3, by=None)
    assert added.name == "Frontline staff and volunteers (2)"  # names stay unique
    assert lane_names(blueprint)[3] == "Frontline staff and volunteers (2)"
    assert_positions_dense(blueprint)


def test_a_lane_with_an_unknown_role_is_refused():
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError):
        services.add_lane(blueprint=blueprint, role="management", name="Managers", by=None)
    assert blueprint.lanes.count() == 5


def test_a_lane_is_renamed_and_moved():
    blueprint = BlueprintFactory()
    support = lane(blueprint, Lane.Role.SUPPORT)
    services.rename_lane(lane=support, name="Partners and funding", by=None)
    services.move_lane(lane=support, position=0, as_given=True, by=None)  # as imports may
    assert lane_names(blueprint)[0] == "Partners and funding"
    assert_positions_dense(blueprint)


def test_deleting_a_lane_deletes_its_cards():
    blueprint = BlueprintFactory()
    add(blueprint, "A", role=Lane.Role.EVIDENCE)
    kept = add(blueprint, "B")
    assert services.delete_lane(lane=lane(blueprint, Lane.Role.EVIDENCE), by=None) == 1
    assert list(blueprint.cards.all()) == [kept]
    assert_positions_dense(blueprint)


# Links ----------------------------------------------------------------------------------


def test_a_frontline_card_serves_a_family_card():
    blueprint = BlueprintFactory()
    family = add(blueprint, "Hears about it")
    frontline = add(blueprint, "Health visitor mentions it", role=Lane.Role.FRONTLINE)
    services.link_cards(from_card=frontline, to_card=family, by=None)
    assert list(frontline.serves.all()) == [family]
    assert list(family.served_by.all()) == [frontline]


def test_a_card_cannot_serve_itself():
    card = CardFactory()
    with pytest.raises(ValidationError):
        services.link_cards(from_card=card, to_card=card, by=None)
    assert not CardLink.objects.exists()


def test_cards_of_two_blueprints_cannot_be_linked():
    with pytest.raises(ValidationError):
        services.link_cards(from_card=CardFactory(), to_card=CardFactory(), by=None)
    assert not CardLink.objects.exists()


def test_the_same_link_twice_is_refused():
    card = CardFactory()
    other = CardFactory(blueprint=card.blueprint)
    services.link_cards(from_card=card, to_card=other, by=None)
    with pytest.raises(ValidationError):
        services.link_cards(from_card=card, to_card=other, by=None)
    assert CardLink.objects.count() == 1


def test_unlinking_removes_the_link():
    card = CardFactory()
    other = CardFactory(blueprint=card.blueprint)
    services.link_cards(from_card=card, to_card=other, by=None)
    assert services.unlink_cards(from_card=card, to_card=other, by=None) is True
    assert services.unlink_cards(from_card=card, to_card=other, by=None) is False
    assert not CardLink.objects.exists()


# Delivery challenges and prototypes -----------------------------------------------------


def test_a_delivery_challenge_touches_cards_of_its_blueprint():
    card = CardFactory()
    challenge = DeliveryChallengeFactory(blueprint=card.blueprint, cards=[card])
    assert list(challenge.cards.all()) == [card]
    assert list(challenge.questions.values_list("text", flat=True)) == [
        "Who do families trust?",
        "Where do they meet?",
    ]


def test_a_delivery_challenge_touching_another_blueprints_card_is_refused():
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError) as refused:
        DeliveryChallengeFactory(blueprint=blueprint, cards=[CardFactory()])
    assert "cards" in refused.value.message_dict
    assert not DeliveryChallenge.objects.exists()


def test_a_delivery_challenge_with_an_unknown_theme_is_refused():
    with pytest.raises(ValidationError) as refused:
        DeliveryChallengeFactory(theme="weather")
    assert "theme" in refused.value.message_dict


def test_a_delivery_challenge_is_updated():
    card = CardFactory()
    challenge = DeliveryChallengeFactory(blueprint=card.blueprint)
    saved = services.update_delivery_challenge(
        challenge=challenge, by=None, theme="use_of_space", cards=[card]
    )
    assert (saved.theme, list(saved.cards.all())) == ("use_of_space", [card])


def test_a_prototype_tests_a_section_of_its_blueprint():
    card = CardFactory()
    challenge = DeliveryChallengeFactory(blueprint=card.blueprint)
    prototype = PrototypeFactory(
        blueprint=card.blueprint, cards=[card], delivery_challenges=[challenge]
    )
    assert list(prototype.cards.all()) == [card]
    assert list(prototype.delivery_challenges.all()) == [challenge]


def test_a_prototype_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as refused:
        PrototypeFactory(starts_on=datetime.date(2026, 5, 2), ends_on=datetime.date(2026, 5, 1))
    assert "ends_on" in refused.value.message_dict
    assert not Prototype.objects.exists()


def test_a_prototype_with_a_negative_cost_is_refused():
    with pytest.raises(ValidationError) as refused:
        PrototypeFactory(cost=Decimal("-0.01"))
    assert "cost" in refused.value.message_dict


def test_a_prototype_over_another_blueprints_cards_is_refused():
    blueprint = BlueprintFactory()
    with pytest.raises(ValidationError) as refused:
        PrototypeFactory(blueprint=blueprint, cards=[CardFactory()])
    assert "cards" in refused.value.message_dict
    assert not Prototype.objects.exists()


def test_a_prototype_exploring_another_blueprints_challenge_is_refused():
    prototype = PrototypeFactory()
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(
            prototype=prototype, by=None, delivery_challenges=[DeliveryChallengeFactory()]
        )
    assert "delivery_challenges" in refused.value.message_dict
    assert not prototype.delivery_challenges.exists()


def test_a_finished_prototype_records_its_learning_and_decision():
    prototype = PrototypeFactory()
    saved = services.update_prototype(
        prototype=prototype,
        by=None,
        status="finished",
        learning="Eight of ten families came.",
        decision="adapt",
        families_reached=8,  # a decision needs a result
    )
    stored = Prototype.objects.get(pk=saved.pk)
    assert (stored.status, stored.decision) == ("finished", "adapt")


def test_an_update_ending_before_the_start_changes_nothing():
    prototype = PrototypeFactory(starts_on=datetime.date(2026, 5, 2))
    with pytest.raises(ValidationError):
        services.update_prototype(
            prototype=prototype, by=None, title="Changed", ends_on=datetime.date(2026, 5, 1)
        )
    stored = Prototype.objects.get(pk=prototype.pk)
    assert (stored.title, stored.ends_on) == (prototype.title, None)


def test_delete_blueprint_takes_its_contents_and_records_who(editor):
    blueprint = BlueprintFactory()
    CardFactory(blueprint=blueprint)
    pk = blueprint.pk
    services.delete_blueprint(blueprint=blueprint, by=editor)
    assert not Blueprint.objects.filter(pk=pk).exists()
    assert not Card.objects.filter(blueprint_id=pk).exists()
    deleted = Blueprint.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == editor
