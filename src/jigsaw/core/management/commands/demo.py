from django.core.management.base import BaseCommand
from django.db import transaction

from jigsaw.core.demo import load_demo

SIGN_IN_URL = "http://127.0.0.1:8000/accounts/sign-in/"


class Command(BaseCommand):
    help = "Load the demo partnership (Durham), safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something goes wrong.")

    def handle(self, *args, **options):
        # All or nothing: if any record fails validation, the database is left as it was.
        with transaction.atomic():
            result = load_demo()
        if options["quiet"]:
            return
        if result.created:
            made = ", ".join(f"{kind} {count}" for kind, count in result.created.items())
            self.stdout.write(self.style.SUCCESS(f"Loaded {result.partnership}. Created: {made}."))
        else:
            self.stdout.write(f"{result.partnership} is already loaded: nothing to add.")
        self.stdout.write(f"\nSign in at {SIGN_IN_URL} as:\n")
        width = max(len(label) for label, _ in result.sign_ins)
        email_width = max(len(email) for _, email in result.sign_ins)
        self.stdout.write(f"  {'Role':<{width}}  {'Email':<{email_width}}  Password")
        for label, email in result.sign_ins:
            self.stdout.write(f"  {label:<{width}}  {email:<{email_width}}  {result.password}")
