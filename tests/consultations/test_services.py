import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consultations.models import Consultation, Idea, Response
from consultations.services import (
    ResponseRow,
    choose_top_idea,
    create_consultation,
    create_idea,
    record_responses,
    regenerate_token,
)
from tests.consultations.factories import ConsultationFactory, IdeaFactory
from tests.localities.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_chosen_idea_in_one_locality(locality):
    IdeaFactory(locality=locality, status=Idea.Status.CHOSEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaFactory(locality=locality, status=Idea.Status.CHOSEN)


def test_database_allows_one_chosen_idea_in_each_locality(locality, other_locality):
    IdeaFactory(locality=locality, status=Idea.Status.CHOSEN)
    IdeaFactory(locality=other_locality, status=Idea.Status.CHOSEN)
    assert Idea.objects.filter(status=Idea.Status.CHOSEN).count() == 2


def test_database_refuses_support_outside_1_to_5(consultation, idea):
    for support in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(
                consultation=consultation, idea=idea, group="parent", support=support
            )


def test_choosing_makes_the_idea_chosen_with_rationale_time_and_who(idea, lead):
    choose_top_idea(idea=idea, rationale="  Everyone backed it.  ", by=lead)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.CHOSEN
    assert idea.rationale == "Everyone backed it."
    assert idea.chosen_at is not None
    assert idea.chosen_by == lead


def test_choosing_sends_the_previous_top_idea_back_to_shortlisted(idea, other_idea, lead):
    choose_top_idea(idea=idea, rationale="First choice.", by=lead)
    choose_top_idea(idea=other_idea, rationale="Second thoughts.", by=lead)
    idea.refresh_from_db()
    other_idea.refresh_from_db()
    assert (idea.status, idea.chosen_at) == (Idea.Status.SHORTLISTED, None)
    assert other_idea.status == Idea.Status.CHOSEN
    assert Idea.objects.filter(locality=idea.locality, status="chosen").count() == 1


def test_choosing_leaves_other_localities_top_idea_alone(idea, other_locality, lead):
    theirs = IdeaFactory(locality=other_locality, status=Idea.Status.CHOSEN)
    choose_top_idea(idea=idea, rationale="Ours.", by=lead)
    theirs.refresh_from_db()
    assert theirs.status == Idea.Status.CHOSEN


def test_choosing_the_top_idea_again_updates_its_rationale(idea, lead):
    choose_top_idea(idea=idea, rationale="First reason.", by=lead)
    choose_top_idea(idea=idea, rationale="Better reason.", by=lead)
    idea.refresh_from_db()
    assert (idea.status, idea.rationale) == (Idea.Status.CHOSEN, "Better reason.")


def test_choosing_needs_a_rationale(idea, lead):
    with pytest.raises(ValidationError):
        choose_top_idea(idea=idea, rationale="   ", by=lead)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SHORTLISTED


def test_choosing_is_keyword_only(idea, lead):
    with pytest.raises(TypeError):
        choose_top_idea(idea, "Because.", lead)


def test_choosing_rolls_back_the_demotion_if_promotion_fails(idea, other_idea, lead, monkeypatch):
    choose_top_idea(idea=idea, rationale="First.", by=lead)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Idea, "save", broken_save)
    with pytest.raises(RuntimeError):
        choose_top_idea(idea=other_idea, rationale="Second.", by=lead)
    monkeypatch.undo()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.CHOSEN


def test_regenerating_the_token_changes_it(consultation):
    old = consultation.token
    regenerate_token(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.token != old
    assert len(consultation.token) >= 40


def test_tokens_differ_between_consultations(locality):
    assert (
        ConsultationFactory(locality=locality).token != ConsultationFactory(locality=locality).token
    )


def test_recording_responses_saves_every_row(consultation, idea, other_idea):
    record_responses(
        consultation=consultation,
        rows=[
            ResponseRow(idea=idea, group="parent", support=5, comment="Yes"),
            ResponseRow(idea=other_idea, group="practitioner", support=2),
        ],
        channel=Response.Channel.PUBLIC,
    )
    assert sorted(consultation.responses.values_list("idea__title", "support", "channel")) == [
        ("Stay and play in community languages", 2, "public"),
        ("Welcome walks for new families", 5, "public"),
    ]


def test_recording_refuses_an_idea_not_consulted_on_and_saves_nothing(
    consultation, idea, foreign_idea
):
    with pytest.raises(ValidationError):
        record_responses(
            consultation=consultation,
            rows=[
                ResponseRow(idea=idea, group="parent", support=5),
                ResponseRow(idea=foreign_idea, group="parent", support=5),
            ],
            channel=Response.Channel.TEAM,
        )
    assert not Response.objects.exists()


def test_new_consultations_get_a_token(locality):
    consultation = Consultation.objects.create(
        locality=locality,
        title="Survey",
        held_on="2026-01-01",
        audience="mixed",
        method="survey",
    )
    assert consultation.token


# Creating ideas and consultations (the create views and the demo loader call these)


def test_create_idea_links_the_localitys_challenges(locality, editor):
    challenge = ChallengeFactory(locality=locality)
    idea = create_idea(
        locality=locality,
        by=editor,
        title="Rhyme time",
        status="shortlisted",
        challenges=[challenge],
    )
    assert (idea.created_by, list(idea.challenges.all())) == (editor, [challenge])


def test_create_idea_refuses_another_localitys_challenge(locality, other_locality, editor):
    stranger = ChallengeFactory(locality=other_locality)
    with pytest.raises(ValidationError) as error:
        create_idea(locality=locality, by=editor, title="Rhyme time", challenges=[stranger])
    assert "challenges" in error.value.message_dict
    assert not Idea.objects.exists()


def test_create_idea_refuses_to_start_as_the_top_idea(locality, editor):
    with pytest.raises(ValidationError) as error:
        create_idea(locality=locality, by=editor, title="Rhyme time", status="chosen")
    assert "status" in error.value.message_dict
    assert not Idea.objects.exists()


def test_create_idea_refuses_a_title_of_two_lines(locality, editor):
    with pytest.raises(ValidationError) as error:
        create_idea(locality=locality, by=editor, title="Rhyme\ntime")
    assert "title" in error.value.message_dict


def test_create_consultation_refuses_another_localitys_idea(locality, other_locality, editor):
    stranger = IdeaFactory(locality=other_locality)
    with pytest.raises(ValidationError) as error:
        create_consultation(
            locality=locality,
            by=editor,
            title="Drop-in",
            held_on=datetime.date(2026, 3, 1),
            audience="community",
            method="drop_in",
            ideas=[stranger],
        )
    assert "ideas" in error.value.message_dict
    assert not Consultation.objects.exists()


def test_create_consultation_refuses_an_unknown_method(locality, editor):
    with pytest.raises(ValidationError) as error:
        create_consultation(
            locality=locality,
            by=editor,
            title="Drop-in",
            held_on=datetime.date(2026, 3, 1),
            audience="community",
            method="seance",
        )
    assert "method" in error.value.message_dict
