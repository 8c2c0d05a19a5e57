"""Fixtures shared by the blueprints tests. A module that needs a blueprint with more in it
(cards in every lane, versions, an idea) defines its own `blueprint`, which overrides this
one for that module."""

import pytest

from tests.blueprints.factories import BlueprintFactory


@pytest.fixture
def blueprint(locality):
    """An empty blueprint of the default phases and lanes, in the locality of the users in
    tests/conftest.py."""
    return BlueprintFactory(locality=locality, title="Welcome walks")
