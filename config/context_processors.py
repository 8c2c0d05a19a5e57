"""Template context that every page rendered with a request gets.

`access` puts the access predicates of `localities.permissions` that depend on the user
alone in front of the templates, so a template asks the same question as the view behind
a link (`{% if access.sees_every_locality %}` shows the Portfolio link exactly when
/portfolio/ answers 200) instead of restating the rule with `is_staff` or model
permissions. A locality's own predicates (`can_edit`, `can_manage`) come with each
locality page, from `localities.mixins.LocalityAccessMixin`.
"""

from django.utils.functional import cached_property

from localities import permissions


class Access:
    """Each predicate is asked only when a template reads it, and at most once a page.

    Only the predicates a template uses are here; add one as a template needs it.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def sees_every_locality(self) -> bool:
        return permissions.sees_every_locality(self.user)

    @cached_property
    def reads_shared_learning(self) -> bool:
        return permissions.reads_shared_learning(self.user)


def access(request) -> dict[str, Access]:
    return {"access": Access(getattr(request, "user", None))}
