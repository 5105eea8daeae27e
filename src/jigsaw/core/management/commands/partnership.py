from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jigsaw.core import services


class Command(BaseCommand):
    help = "Start a partnership: jigsaw partnership create --name ... --slug ... --area ... --business-unit EMAIL."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="A new, empty partnership and its first business-unit sign-in.")
        create.add_argument("--name", required=True, help="For example 'Durham Safeguarding Children Partnership'.")
        create.add_argument("--slug", required=True, help="The short name in web addresses, for example durham.")
        create.add_argument("--area", required=True, help="The local authority area it covers.")
        create.add_argument(
            "--financial-year-start", type=int, default=4, help="The month the financial year starts (1-12; April: 4)."
        )
        create.add_argument("--business-unit", required=True, metavar="EMAIL", help="The first business unit sign-in.")
        create.add_argument("--business-unit-name", required=True, help="Their full name.")

    def handle(self, *args, **options):
        try:
            partnership = services.partnership_start(
                actor=None,
                name=options["name"],
                slug=options["slug"],
                area=options["area"],
                financial_year_start_month=options["financial_year_start"],
                business_unit_name=options["business_unit_name"],
                business_unit_email=options["business_unit"],
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Started {partnership.name} (/{partnership.slug}/). {options['business_unit']} has been emailed a link to set a password."
            )
        )
