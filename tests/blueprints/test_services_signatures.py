"""The services' signatures: keyword-only and typed, with no catch-all `**fields`, so a
misspelt or unknown field is a TypeError at the call, and "not given" is `UNSET`."""

import inspect

import pytest

from blueprints import services

FUNCTIONS = [
    getattr(services, name)
    for name in services.__all__
    if inspect.isfunction(getattr(services, name))
]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.__name__)
def test_a_service_takes_named_keyword_arguments_only(function):
    kinds = {parameter.kind for parameter in inspect.signature(function).parameters.values()}
    assert kinds == {inspect.Parameter.KEYWORD_ONLY}


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.__name__)
def test_every_argument_of_a_service_is_typed(function):
    untyped = [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.annotation is inspect.Parameter.empty
    ]
    assert untyped == []


def test_an_update_leaves_a_field_not_given_as_it_is():
    parameters = inspect.signature(services.update_card).parameters
    assert parameters["emotion"].default is services.UNSET
    assert repr(services.UNSET) == "UNSET"
