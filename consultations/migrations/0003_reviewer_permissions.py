"""Let the innovation-unit reviewers read ideas, consultations and responses in the admin."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_idea_chosen_by"),
        ("localities", "0002_reviewer_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [reviewer_grant("consultations", ['view_idea', 'view_consultation', 'view_response'])]
