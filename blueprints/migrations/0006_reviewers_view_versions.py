"""Let the innovation unit reviewers read blueprint versions in the admin (as in 0004)."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [("blueprints", "0005_blueprint_versions")]

    operations = [reviewer_grant("blueprints", ['view_blueprintversion'])]
