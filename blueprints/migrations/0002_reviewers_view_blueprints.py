"""Let the innovation unit reviewers read blueprints and everything in them in the admin."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [
        ("blueprints", "0001_initial"),
        ("localities", "0002_reviewer_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [reviewer_grant("blueprints", ['view_blueprint', 'view_phase', 'view_lane', 'view_card', 'view_cardlink', 'view_deliverychallenge', 'view_prototype'])]
