from jigsaw.actions.tasks import send_action_reminders
from jigsaw.core.management.reminders import ReminderCommand


class Command(ReminderCommand):
    help = "Email learning-log owners their daily digest (due in 14 days, overdue, review due). Safe to run more than once a day."
    task = send_action_reminders
    what = "reminders"
    already = "already sent today"
