from django.core.management.base import BaseCommand

from apps.reminders import services


class Command(BaseCommand):
    help = "Run one reminder sweep and send what it found, in the foreground (no worker needed)."

    def handle(self, *args, **options):
        ids = services.collect_due()
        counts: dict[str, int] = {}
        for delivery_id in ids:
            outcome = services.deliver(delivery_id)
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"{len(ids)} due: {summary}.")
