import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.registry import demo_seeders, scale_seeders
from core.scaling import SIZES, ScaleContext
from core.seeding import DEFAULT_DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = (
        "Fill the database with the benchmark dataset of the given size, on top of the demo "
        "network (seed_demo): bulk inserts, for `make bench`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="realistic")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, size="realistic", force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale creates demo accounts with a known password: it runs only with "
                "DEBUG on, or with --force."
            )
        started = time.monotonic()
        demo = DemoContext(password=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD)
        context = ScaleContext(size=SIZES[size], demo=demo)
        with transaction.atomic():
            # The demo network first (it changes nothing when already there): the demo accounts
            # are the ones that must see the data at scale.
            for seeder in demo_seeders.in_app_order():
                seeder.seed(demo)
            seeders = scale_seeders.in_app_order()
            if any(seeder.already_seeded() for seeder in seeders if seeder.already_seeded):
                raise CommandError(
                    "This database already holds a scale dataset: seed_scale runs once, on a "
                    "fresh database."
                )
            for seeder in seeders:
                seeder.seed(context)
        if connection.vendor == "postgresql":
            # Fresh statistics: without them the planner guesses thousands of rows per join on
            # the new tables, and pages are measured with plans (and JIT) production never uses.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for line in context.log:
            self.stdout.write(line)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"The {size} dataset is in place ({elapsed:.0f} s)."))
