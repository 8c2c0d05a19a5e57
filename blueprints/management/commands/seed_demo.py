from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from blueprints.demo import seed_blueprints
from consultations.demo import seed_consultations
from localities.demo import DemoDataError, read_sites, seed_localities
from localities.models import Locality


class Command(BaseCommand):
    help = (
        "Fill the database with the six demo localities of localities/demo/*.toml and their "
        "accounts. Safe to run again: what is there already is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default="early-years", help="Password for every demo account."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any locality exists already (used by `make run`).",
        )
        parser.add_argument(
            "--site",
            action="append",
            dest="sites",
            metavar="SLUG",
            help="Seed only this site (repeat for more); for checking a site's file.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (not for real data)."
        )

    def handle(self, *args, password: str, force: bool, if_empty: bool, sites, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a real database. Demo accounts with a known "
                "password would be a risk there; pass --force if you are sure."
            )
        if if_empty and Locality.objects.exists():
            self.stdout.write("Localities exist already; demo data left as it is.")
            return
        try:
            demo_sites = read_sites(sites)
            accounts = self._seed(demo_sites, password)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Accounts:"))
        width = max(len(username) for username, _ in accounts)
        for username, description in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        self.stdout.write(f"Every password is: {password}")

    def _seed(self, sites, password: str) -> list[tuple[str, str]]:
        # Demo review moves would email their reviewers and teams; send those nowhere, so a
        # forced run on a real deployment never mails real people about demo work.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            accounts = seed_localities(sites, password=password)
            seed_consultations(sites)
            seed_blueprints(sites)
        return accounts
