"""Let the innovation unit reviewers read every site's community resources in the admin."""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [
        ("localities", "0008_community_resources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        reviewer_grant(
            "localities",
            [
                "view_space",
                "view_opening",
                "view_partner",
                "view_contribution",
                "view_volunteerrole",
                "view_volunteermonth",
            ],
        )
    ]
