from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment
from django.utils.module_loading import import_string

# Each scenario takes the command's stdout and writes one line per measurement. By name, so
# that one can run alone (`manage.py bench admin`): the whole bench takes long.
SCENARIOS: dict[str, str] = {
    "results": "consultations.bench.bench_results",
    "editor": "blueprints.bench_editor.bench_editor",
    "editor-browser": "blueprints.bench_editor_browser.bench_editor_browser",
    "pdf": "blueprints.exports.bench.bench_pdf",
    "jobs": "blueprints.bench_jobs.bench_jobs",
    "admin": "blueprints.bench_admin.bench_admin",
    "portfolio": "blueprints.bench_portfolio.bench_portfolio",
    "live": "blueprints.bench_live.bench_live",
    "capacity": "blueprints.bench_capacity.bench_capacity",
}


class Command(BaseCommand):
    help = "Time pages and count their queries on generated data, in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument(
            "scenarios",
            nargs="*",
            metavar="scenario",
            help=f"Run only these ({', '.join(SCENARIOS)}); all of them by default.",
        )

    def handle(self, *args, scenarios, **options):
        unknown = sorted(set(scenarios) - set(SCENARIOS))
        if unknown:
            raise CommandError(f"No such scenario: {', '.join(unknown)}.")
        chosen = [path for name, path in SCENARIOS.items() if not scenarios or name in scenarios]
        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self.stdout.write(f"Database: {connection.vendor}; figures are medians.")
            for path in chosen:
                import_string(path)(self.stdout)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
