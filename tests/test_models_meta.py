"""What the models declare about themselves: check constraints that agree with the choices
they guard, and default orderings that add no join to every query (issue 10, item 7)."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from blueprints.models import BlueprintVersion
from localities.models import Insight, Membership
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

APPS = ("localities", "consultations", "blueprints")


def choice_constraints():
    """(model, field, values listed by a check constraint) for each `<field>__in` check."""
    for config in APPS:
        for model in apps.get_app_config(config).get_models():
            for constraint in model._meta.constraints:
                if not isinstance(constraint, models.CheckConstraint):
                    continue
                for lookup, values in lookups(constraint.condition):
                    if lookup.endswith("__in"):
                        yield model, lookup.removesuffix("__in"), values


def lookups(q):
    """The (lookup, value) pairs of a Q, however deeply nested."""
    for child in q.children:
        if isinstance(child, models.Q):
            yield from lookups(child)
        else:
            yield child


def test_every_choice_constraint_lists_exactly_its_fields_choices():
    found = list(choice_constraints())
    assert len(found) >= 12  # states, roles, kinds, themes, ... : the walk finds them
    for model, name, values in found:
        field = model._meta.get_field(name)
        assert list(values) == [value for value, _ in field.choices], (model, name)


def test_every_choice_field_of_an_insight_is_guarded_by_the_database():
    guarded = {name for model, name, _ in choice_constraints() if model is Insight}
    assert guarded == {f.name for f in Insight._meta.concrete_fields if f.choices}


def test_an_unknown_insight_source_is_refused_by_the_database():
    insight = InsightFactory()
    insight.source = "rumour"
    with pytest.raises(IntegrityError), transaction.atomic():
        insight.save(update_fields=["source"])


@pytest.mark.parametrize("model", [Membership, BlueprintVersion], ids=lambda m: m.__name__)
def test_the_default_ordering_joins_no_other_table(model):
    sql = str(model.objects.all().query)
    assert "ORDER BY" in sql
    assert "JOIN" not in sql
