import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jigsaw.core.demo import load_demo

SIGN_IN_URL = "http://127.0.0.1:8000/accounts/sign-in/"


class Command(BaseCommand):
    help = "Load the demo partnership (Durham), and with --scale N generated partnerships; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something goes wrong.")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also generate N made-up partnerships (scale-001, scale-002...) with several years of records in every app.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=3,
            help="Financial years per generated partnership, ending 2024-25 (default 3).",
        )
        parser.add_argument(
            "--volume",
            type=float,
            default=1.0,
            help="How much a generated year holds: 1.0 is a large partnership's year, about 20,000 course completions (default 1.0).",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed generates the same records (default 1).")
        parser.add_argument(
            "--scale-only", action="store_true", help="Generate the --scale partnerships without loading Durham."
        )

    def handle(self, *args, **options):
        if options["scale"] < 0 or options["years"] < 1 or options["volume"] <= 0:
            raise CommandError("--scale must be 0 or more, --years at least 1 and --volume above 0.")
        if not options["scale_only"]:
            self._durham(quiet=options["quiet"])
        if options["scale"]:
            self._scale(options)

    def _durham(self, *, quiet: bool) -> None:
        # All or nothing: if any record fails validation, the database is left as it was.
        with transaction.atomic():
            result = load_demo()
        if quiet:
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

    def _scale(self, options) -> None:
        from jigsaw.core.scale import Plan, domain, generate

        plan = Plan(years=options["years"], volume=options["volume"], seed=options["seed"])
        years = plan.financial_years[0].label + (f" to {plan.financial_years[-1]}" if plan.years > 1 else "")
        if not options["quiet"]:
            count = options["scale"]
            self.stdout.write(
                f"\nGenerating {count} partnership{'s' if count > 1 else ''}, {years}, volume {plan.volume:g}, seed {plan.seed}."
            )
        started = time.perf_counter()
        total = 0
        for number in range(1, options["scale"] + 1):
            # Each partnership in its own transaction: complete, or (on an error) not there at all.
            generated = generate(number, plan)
            total += sum(generated.created.values())
            if options["quiet"]:
                continue
            if generated.created:
                made = ", ".join(f"{kind} {count:,}" for kind, count in generated.created.items())
                self.stdout.write(
                    self.style.SUCCESS(f"{generated.partnership.slug}: {generated.seconds:.1f} s. Created: {made}.")
                )
            else:
                self.stdout.write(
                    f"{generated.partnership.slug}: already generated, nothing to add ({generated.seconds:.1f} s)."
                )
        if not options["quiet"]:
            self.stdout.write(
                f"{total:,} records in {time.perf_counter() - started:.1f} s. Sign in as business.unit@{domain(1)} "
                f"(or group.chair@, member@, agency.lead@, scrutineer@, practitioner@) with the demo password."
            )
