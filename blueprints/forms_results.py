"""The parts of the prototype form that record what it found: the rows of what it measured,
and, once it is decided, an answer (or a re-opening) for each question it tested.

`PrototypeForm` (blueprints.forms) carries the results' own fields; this module adds the
repeated parts and the one rule that spans them: a decision needs a result.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator

from blueprints.models import DeliveryQuestion, Prototype, PrototypeMeasure
from blueprints.services import DECISION_NEEDS_RESULT
from localities.validators import TextHygieneMixin

MEASURE_FIELDS = ("name", "unit", "baseline", "target", "actual")
NOT_A_NUMBER = "Enter a number, e.g. 12 or 3.5."
AMOUNT_LABELS = {
    "families_reached": "Families reached",
    "hardest_to_reach": "The hardest to reach",
    "staff_hours": "Staff hours",
    "volunteer_hours": "Volunteer hours",
    "cash_cost": "The cash cost",
    "in_kind_value": "The value of what was given in kind",
    "income": "Income",
}


def refuse_negative_amounts(form: forms.BaseForm) -> None:
    """Say plainly that hours, costs and counts cannot be negative (the model's validator
    would say "Ensure this value is greater than or equal to 0")."""
    for name, label in AMOUNT_LABELS.items():
        field = form.fields[name]
        field.validators = [
            validator
            for validator in field.validators
            if not isinstance(validator, MinValueValidator)
        ] + [MinValueValidator(0, message=f"{label} cannot be negative; enter 0 if none.")]
        field.error_messages["invalid"] = NOT_A_NUMBER
        field.widget.attrs.update(min="0", inputmode="decimal")


def _number(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=PrototypeMeasure._meta.get_field("actual").max_digits,
        decimal_places=PrototypeMeasure._meta.get_field("actual").decimal_places,
        error_messages={"invalid": NOT_A_NUMBER},
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class MeasureForm(TextHygieneMixin, forms.Form):
    """One thing the prototype measured: against its baseline and target, what it came to."""

    name = forms.CharField(
        label="Measure",
        max_length=PrototypeMeasure._meta.get_field("name").max_length,
        error_messages={
            "required": (
                "Name what was measured; to add nothing, leave the row blank (or tick “Delete” "
                "on a saved one)."
            )
        },
    )
    unit = forms.CharField(
        label="Unit",
        required=False,
        max_length=PrototypeMeasure._meta.get_field("unit").max_length,
    )
    baseline = _number("Baseline")
    target = _number("Target")
    actual = _number("Actual")


class BaseMeasureFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The rows kept, in order, as the service's `MeasureRow` fields (a blank extra row
        has no cleaned data)."""
        kept = []
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE"):
                kept.append({name: data.get(name) for name in MEASURE_FIELDS})
        return kept


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=2, can_delete=True, max_num=30
)


def measure_initial(prototype: Prototype | None) -> list[dict]:
    if prototype is None or prototype.pk is None:
        return []
    return list(prototype.measures.values(*MEASURE_FIELDS))


def has_result(form: forms.BaseForm, rows: list[dict]) -> bool:
    return form.cleaned_data.get("families_reached") is not None or any(
        row["actual"] is not None for row in rows
    )


def check_decision_has_result(form: forms.BaseForm, rows: list[dict]) -> None:
    """The service asks this too (`create_prototype`, `update_prototype`); asked here, it
    comes with the form's other errors, before anything is written."""
    decided = form.cleaned_data.get("decision", Prototype.Decision.UNDECIDED)
    if decided != Prototype.Decision.UNDECIDED and not has_result(form, rows):
        form.add_error("decision", DECISION_NEEDS_RESULT)


class QuestionAnswerForm(TextHygieneMixin, forms.Form):
    """For a decided prototype: where one question it tested now stands, and its answer."""

    status = forms.ChoiceField(label="Status", choices=DeliveryQuestion.Status.choices)
    answer = forms.CharField(
        label="Answer",
        required=False,
        max_length=DeliveryQuestion._meta.get_field("answer").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, question: DeliveryQuestion, **kwargs):
        self.question = question
        super().__init__(
            *args,
            prefix=f"question-{question.pk}",
            initial={"status": question.status, "answer": question.answer},
            **kwargs,
        )


def answer_forms(prototype: Prototype | None, data=None) -> list[QuestionAnswerForm]:
    """One form a question the prototype tests (as saved), in the questions' order."""
    if prototype is None or prototype.pk is None:
        return []
    questions = prototype.questions.select_related("challenge").order_by(
        "challenge__title", "position", "pk"
    )
    # A question whose fields were not posted (a script that changes the plan only) is left
    # as it is: its form stays unbound, so it is neither an error nor a change.
    return [
        QuestionAnswerForm(
            data if data is not None and f"question-{question.pk}-status" in data else None,
            question=question,
        )
        for question in questions
    ]
