from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

# Each scenario takes the command's stdout and writes one line per measurement.
SCENARIOS: list[str] = [
    "consultations.bench.bench_results",
    "blueprints.bench_editor.bench_editor",
    "blueprints.exports.bench.bench_pdf",
    "blueprints.bench_jobs.bench_jobs",
]


class Command(BaseCommand):
    help = "Time pages and count their queries on generated data, in a throwaway database."

    def handle(self, *args, **options):
        from django.utils.module_loading import import_string

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self.stdout.write(f"Database: {connection.vendor}; figures are medians.")
            for path in SCENARIOS:
                import_string(path)(self.stdout)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
