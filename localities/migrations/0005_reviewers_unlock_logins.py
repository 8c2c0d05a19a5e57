"""Let the innovation unit reviewers unlock a login that django-axes has locked out.

An unlock is the deletion of the username and address pair's AccessAttempt in the admin,
so reviewers may view and delete those, and nothing else of axes: its access logs record
who logged in when, which reviewers do not need.
"""

from django.db import migrations

from localities.reviewer_grants import reviewer_grant


class Migration(migrations.Migration):
    dependencies = [
        ("localities", "0004_reviewers_view_discovery"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [reviewer_grant("axes", ["view_accessattempt", "delete_accessattempt"])]
