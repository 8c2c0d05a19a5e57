"""Let the innovation unit reviewers read tags, insights and challenges in the admin."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [
        ("localities", "0003_insight_challenge_tag_insight_tags_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [reviewer_grant("localities", ['view_tag', 'view_insight', 'view_challenge'])]
