import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.registry import demo_seeders
from core.seeding import DEFAULT_DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Fill the database with a realistic demo network; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo accounts with a known password: it runs only with "
                "DEBUG on, or with --force."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        context = DemoContext(password=password)
        with transaction.atomic():
            for seeder in demo_seeders.in_app_order():
                seeder.seed(context)
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
