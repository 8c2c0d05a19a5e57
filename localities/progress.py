"""Progress through the method (DESIGN section 1), from counts the caller gathers.

The functions take plain counts, so the locality overview (which counts through related
managers) and the dashboard (which counts every locality in one query, from the
blueprints app) describe progress in the same words.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodStep:
    number: int
    title: str
    summary: str
    done: bool
    url_name: str


@dataclass(frozen=True)
class NextStep:
    text: str
    link_text: str
    url_name: str


COUNT_NAMES = (
    "insights",
    "challenges",
    "ideas",
    "consultations",
    "responses",
    "blueprints",
    "delivery_challenges",
    "prototypes",
)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# Step 9, the review of the top idea's blueprint, by its review state (the blueprints app's
# Blueprint.ReviewState values; this module imports no other app).
REVIEW_SUMMARIES = {
    None: "no blueprint yet",
    "draft": "not submitted yet",
    "submitted": "submitted, with the innovation unit",
    "changes_requested": "changes requested",
    "approved": "approved",
}


def method_progress(
    counts: dict[str, int], top_idea_title: str | None, *, review_state: str | None = None
) -> list[MethodStep]:
    """Steps 1 to 9 of the method, each with what the team has so far. `review_state` is
    that of the top idea's blueprint."""
    return [
        MethodStep(
            1,
            "Insights",
            plural(counts["insights"], "insight"),
            counts["insights"] > 0,
            "localities:insight-list",
        ),
        MethodStep(
            2,
            "Challenges",
            plural(counts["challenges"], "challenge"),
            counts["challenges"] > 0,
            "localities:challenge-list",
        ),
        MethodStep(
            3,
            "Ideas",
            plural(counts["ideas"], "idea"),
            counts["ideas"] > 0,
            "consultations:idea-list",
        ),
        MethodStep(
            4,
            "Consultations",
            f"{plural(counts['consultations'], 'consultation')}, "
            f"{plural(counts['responses'], 'response')}",
            counts["responses"] > 0,
            "consultations:consultation-list",
        ),
        MethodStep(
            5,
            "Top idea",
            top_idea_title or "not chosen yet",
            top_idea_title is not None,
            "consultations:results",
        ),
        MethodStep(
            6,
            "Service blueprint",
            plural(counts["blueprints"], "blueprint"),
            counts["blueprints"] > 0,
            "blueprints:list",
        ),
        MethodStep(
            7,
            "Delivery challenges",
            plural(counts["delivery_challenges"], "delivery challenge"),
            counts["delivery_challenges"] > 0,
            "blueprints:list",
        ),
        MethodStep(
            8,
            "Prototypes",
            plural(counts["prototypes"], "prototype"),
            counts["prototypes"] > 0,
            "blueprints:list",
        ),
        MethodStep(
            9,
            "Review",
            REVIEW_SUMMARIES.get(review_state, review_state or ""),
            review_state == "approved",
            "blueprints:list",
        ),
    ]


def current_step(steps: list[MethodStep]) -> int:
    """The number of the first step not done; one past the last when all are."""
    return next((step.number for step in steps if not step.done), len(steps) + 1)


def next_step(
    counts: dict[str, int],
    top_idea_title: str | None,
    *,
    can_edit: bool,
    review_state: str | None = None,
) -> NextStep:
    """The first unfinished step of the method, as a hint. Once there is a blueprint, the
    review state leads: changes requested -> answer and resubmit; submitted -> wait for the
    reviewer; approved or draft -> the method's next step (for a draft, in the end, submit).
    Changes requested comes before every other step."""
    # A reviewer's request for changes comes first, whatever else is left undone: the
    # innovation unit is waiting on the team.
    if review_state == "changes_requested":
        return NextStep(
            "Answer the reviewer's comments and resubmit: the innovation unit asked for "
            "changes to the blueprint.",
            "Go to blueprints",
            "blueprints:list",
        )
    if not counts["insights"]:
        return NextStep(
            "Record what the team has learned about local families and the system around them.",
            "Record an insight" if can_edit else "Insights",
            "localities:insight-create" if can_edit else "localities:insight-list",
        )
    if not counts["challenges"]:
        return NextStep(
            "Read the insights together and name the challenges they point to.",
            "Name a challenge" if can_edit else "Challenges",
            "localities:challenge-create" if can_edit else "localities:challenge-list",
        )
    if not counts["ideas"]:
        return NextStep(
            "Brainstorm ideas that answer the challenges.", "Go to ideas", "consultations:idea-list"
        )
    if not counts["consultations"]:
        return NextStep(
            "Take the ideas out to consultation with parents, carers and staff.",
            "Go to consultations",
            "consultations:consultation-list",
        )
    if not counts["responses"]:
        return NextStep(
            "Collect responses: share the public link or enter the paper responses.",
            "Go to consultations",
            "consultations:consultation-list",
        )
    if top_idea_title is None:
        return NextStep(
            "Compare what parents and professionals said, then choose the top idea.",
            "See the results",
            "consultations:results",
        )
    if not counts["blueprints"]:
        return NextStep(
            f"Write the service blueprint for the top idea, “{top_idea_title}”.",
            "Start the blueprint" if can_edit else "Blueprints",
            "blueprints:create" if can_edit else "blueprints:list",
        )
    # The reviewer waits on the team: that comes before the method's remaining steps.
    if review_state == "submitted":
        return NextStep(
            "Waiting for the reviewer: the innovation unit is reviewing the blueprint, and its "
            "content is frozen until it decides. Meanwhile, plan its prototypes.",
            "Go to blueprints",
            "blueprints:list",
        )
    if not counts["delivery_challenges"]:
        return NextStep(
            "Name the challenges delivering the blueprint will face: engaging families, "
            "volunteering, incentives, community buy-in, perceptions, use of space.",
            "Go to blueprints",
            "blueprints:list",
        )
    if not counts["prototypes"]:
        return NextStep(
            "Plan a quick, cheap prototype of one section of the blueprint.",
            "Go to blueprints",
            "blueprints:list",
        )
    if review_state == "draft":
        return NextStep(
            "Submit the blueprint, with its delivery challenges and prototypes, for review by "
            "the innovation unit.",
            "Go to blueprints",
            "blueprints:list",
        )
    return NextStep(
        "Run the prototypes, record what they teach, and decide: adopt, adapt or drop.",
        "Go to blueprints",
        "blueprints:list",
    )
