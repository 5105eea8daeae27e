from jigsaw.core.management.reminders import ReminderCommand
from jigsaw.training.tasks import send_booking_reminders


class Command(ReminderCommand):
    help = "Email everyone with a place on training a reminder 14 and 5 days before it (run daily). Each reminder is sent once, however often this runs."
    task = send_booking_reminders
    what = "booking reminders"
