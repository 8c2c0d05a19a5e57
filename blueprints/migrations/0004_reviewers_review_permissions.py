"""Let the innovation unit reviewers read review transitions and comments in the admin, and
add comments there. Approving, requesting changes and resolving are admin actions guarded
by `blueprints.review`'s rules, not by model permissions, so no change permission is given."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [("blueprints", "0003_review_states_transitions_comments")]

    operations = [reviewer_grant("blueprints", ['view_reviewtransition', 'view_comment', 'add_comment'])]
