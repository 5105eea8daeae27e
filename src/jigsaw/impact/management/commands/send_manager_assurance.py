from jigsaw.core.management.reminders import ReminderCommand
from jigsaw.impact.tasks import send_manager_assurance


class Command(ReminderCommand):
    help = (
        "Ask each learner's line manager, three months after the training, whether it changed their practice "
        "(run daily). The question and its one reminder are each sent once, however often this runs."
    )
    task = send_manager_assurance
    what = "managers' assurance"

    def summary(self, outcome: dict) -> str:
        return (
            f"Managers' assurance for {outcome['day']}: {outcome['requests']} new requests, {outcome['sent']} asked, "
            f"{outcome['reminded']} reminded, {outcome['failed']} failed (will retry next run), "
            f"{outcome['already_sent']} already sent."
        )
