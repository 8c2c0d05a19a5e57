"""diff_versions on hand-built pairs of snapshots: one kind of change at a time."""

import copy

import pytest

from blueprints.versions.diff import (
    CardEntry,
    CardMove,
    FieldChange,
    ItemChange,
    Rename,
    diff_versions,
)


def card(pk, title, phase="phase-1", lane="lane-1", position=0, **fields):
    return {
        "ref": f"card-{pk}",
        "id": pk,
        "phase": phase,
        "lane": lane,
        "position": position,
        "title": title,
        "details": fields.get("details", ""),
        "kind": fields.get("kind", "step"),
        "emotion": fields.get("emotion"),
        "insights": fields.get("insights", []),
        "insight_ids": [],
    }


@pytest.fixture
def old():
    return {
        "blueprint": {"title": "Stay and play", "summary": "", "idea": None},
        "phases": [
            {"ref": "phase-1", "id": 10, "name": "Awareness", "description": ""},
            {"ref": "phase-2", "id": 11, "name": "Use", "description": ""},
        ],
        "lanes": [
            {"ref": "lane-1", "id": 20, "role": "family", "name": "Family experience"},
            {"ref": "lane-2", "id": 21, "role": "frontline", "name": "Frontline"},
        ],
        "cards": [
            card(1, "Sees a poster"),
            card(2, "Asks a friend", position=1),
            card(3, "Greets the family", phase="phase-2", lane="lane-2"),
        ],
        "links": [{"from": "card-3", "to": "card-1"}],
        "delivery_challenges": [
            {
                "ref": "challenge-1",
                "id": 30,
                "theme": "engaging_families",
                "title": "Reach",
                "questions": "Who?",
                "cards": ["card-1"],
            },
        ],
        "prototypes": [
            {
                "id": 40,
                "title": "Navigator",
                "hypothesis": "",
                "method": "",
                "cost": "0.00",
                "risk": "low",
                "starts_on": None,
                "ends_on": None,
                "status": "planned",
                "learning": "",
                "decision": "",
                "cards": [],
                "delivery_challenges": [],
            },
        ],
    }


def test_identical_versions_have_no_difference(old):
    assert diff_versions(old, copy.deepcopy(old)).is_empty


def test_a_new_card_is_added_in_its_cell(old):
    new = copy.deepcopy(old)
    new["cards"].append(card(4, "Books online", phase="phase-2"))

    diff = diff_versions(old, new)

    assert diff.cards_added == [CardEntry("Books online", "Use · Family experience")]
    assert not diff.cards_removed
    assert not diff.cards_moved
    assert not diff.cards_changed


def test_a_missing_card_is_removed(old):
    new = copy.deepcopy(old)
    del new["cards"][0]
    new["links"] = []

    diff = diff_versions(old, new)

    assert diff.cards_removed == [CardEntry("Sees a poster", "Awareness · Family experience")]
    assert diff.links_removed == [("Greets the family", "Sees a poster")]


def test_removing_a_card_does_not_move_the_cards_below_it(old):
    new = copy.deepcopy(old)
    del new["cards"][0]
    new["cards"][0]["position"] = 0

    assert diff_versions(old, new).cards_moved == []


def test_a_changed_card_names_each_field_with_old_and_new_values(old):
    new = copy.deepcopy(old)
    new["cards"][0].update(title="Sees a leaflet", emotion=1, insights=["Trust the gate."])

    diff = diff_versions(old, new)

    assert diff.cards_changed[0].title == "Sees a leaflet"
    assert diff.cards_changed[0].fields == [
        FieldChange("title", "Sees a poster", "Sees a leaflet"),
        FieldChange("emotion", None, 1),
        FieldChange("insights", [], ["Trust the gate."]),
    ]
    assert diff.cards_added == []
    assert diff.cards_removed == []


def test_a_card_in_another_cell_is_moved_from_one_to_the_other(old):
    new = copy.deepcopy(old)
    new["cards"][0].update(phase="phase-2", lane="lane-2", position=1)

    diff = diff_versions(old, new)

    assert diff.cards_moved == [
        CardMove("Sees a poster", "Awareness · Family experience", "Use · Frontline", 1, 2)
    ]
    assert diff.cards_changed == []


def test_swapping_two_cards_in_a_cell_moves_both(old):
    new = copy.deepcopy(old)
    new["cards"][0]["position"], new["cards"][1]["position"] = 1, 0

    moved = {move.title for move in diff_versions(old, new).cards_moved}

    assert moved == {"Sees a poster", "Asks a friend"}


def test_a_renamed_phase_is_renamed_and_moves_no_card(old):
    new = copy.deepcopy(old)
    new["phases"][0]["name"] = "Finding out"

    diff = diff_versions(old, new)

    assert diff.phases.renamed == [Rename("Awareness", "Finding out")]
    assert diff.cards_moved == []
    assert not diff.phases.added
    assert not diff.phases.removed


def test_phases_and_lanes_added_and_removed(old):
    new = copy.deepcopy(old)
    new["phases"].append({"ref": "phase-3", "id": 12, "name": "Exit", "description": ""})
    new["lanes"] = new["lanes"][:1]
    new["cards"] = new["cards"][:2]
    new["links"] = []

    diff = diff_versions(old, new)

    assert (diff.phases.added, diff.lanes.removed) == (["Exit"], ["Frontline"])


def test_delivery_challenges_and_prototypes_added_removed_and_changed(old):
    new = copy.deepcopy(old)
    new["delivery_challenges"][0]["title"] = "Reach everyone"
    new["delivery_challenges"].append(
        {
            "ref": "challenge-2",
            "id": 31,
            "theme": "use_of_space",
            "title": "A room",
            "questions": "",
            "cards": [],
        }
    )
    new["prototypes"] = []

    diff = diff_versions(old, new)

    assert diff.challenges.changed == [
        ItemChange("Reach everyone", [FieldChange("title", "Reach", "Reach everyone")])
    ]
    assert diff.challenges.added == ["A room"]
    assert diff.prototypes.removed == ["Navigator"]


def test_a_changed_blueprint_title_is_shown(old):
    new = copy.deepcopy(old)
    new["blueprint"]["title"] = "Stay, play and learn"

    assert diff_versions(old, new).blueprint == [
        FieldChange("title", "Stay and play", "Stay, play and learn")
    ]
