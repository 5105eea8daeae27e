from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jigsaw.core import services
from jigsaw.core.models import Agency, Partnership
from jigsaw.core.scoping import Role


class Command(BaseCommand):
    help = "Create a sign-in for a person and give them a role in a partnership."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The person's full name.")
        parser.add_argument("--partnership", required=True, help="The partnership's slug, for example durham.")
        parser.add_argument("--role", choices=Role.values, required=True)
        parser.add_argument("--agency", help="The agency's exact name (required for an agency lead).")
        parser.add_argument("--password", help="Leave out to email a link to set one.")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug '{options['partnership']}'.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(partnership=partnership, name=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency called '{options['agency']}' in {partnership}.")
        try:
            with transaction.atomic():
                person = services.person_create(
                    actor=None, partnership=partnership, name=options["name"], email=options["email"], agency=agency
                )
                user = services.user_create(email=options["email"], password=options["password"], person=person)
                services.role_assign(
                    actor=None, user=user, partnership=partnership, role=options["role"], agency=agency
                )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            ) from error
        if not options["password"]:
            services.send_password_link(email=user.email)
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.email} as {Role(options['role']).label} in {partnership}.")
        )
