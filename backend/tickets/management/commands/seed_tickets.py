"""
`python manage.py seed_tickets`: a realistic demo set of support tickets.

Tickets are spread over the past weeks (fewer at weekends, most in office
hours), with wording, priorities and statuses that vary by category, and older
tickets more often resolved or closed, so the list, the filters and the
statistics all have something to show on first start.

Running it again is safe: when tickets already exist it adds nothing unless
told to (--append adds more, --clear replaces them).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tickets.models import Category, Priority, Status, Ticket

BATCH_SIZE = 500

# (title, description) pairs per category; {slots} are filled from SLOTS.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    Category.BILLING: [
        (
            "Charged twice for {plan} plan",
            "My card was charged twice this month for the {plan} plan ({amount} each time). "
            "Please refund the duplicate charge.",
        ),
        (
            "Invoice {invoice} shows the wrong amount",
            "Invoice {invoice} lists {amount}, but our contract says {amount2}. "
            "Our finance team cannot approve it until it is corrected.",
        ),
        (
            "Refund request for unused seats",
            "We removed {seats} seats on the {day} but were still billed for them. "
            "Could you refund the difference?",
        ),
        (
            "Card declined when renewing subscription",
            "Renewal of our {plan} subscription fails with 'card declined', although the card "
            "works everywhere else. We do not want the account to lapse.",
        ),
        (
            "Need a VAT number on our invoices",
            "Please add our VAT number to invoice {invoice} and to every future invoice; "
            "our accountant requires it.",
        ),
        (
            "Downgrade from {plan} not reflected in billing",
            "I downgraded last week, but the upcoming invoice still shows the {plan} price of {amount}.",
        ),
        (
            "How do I switch to annual billing?",
            "We would like to move from monthly to annual billing for the {plan} plan. "
            "Is there a discount, and does it apply from the next cycle?",
        ),
        (
            "Unexpected charge of {amount}",
            "There is a charge of {amount} on our statement that I cannot match to any invoice. "
            "Can you tell me what it is for?",
        ),
    ],
    Category.TECHNICAL: [
        (
            "Error {code} when exporting reports",
            "Exporting the monthly report to CSV fails with error {code} in {browser}. "
            "It worked until {day}.",
        ),
        (
            "App crashes on launch on {device}",
            "Since the latest update the app closes immediately on my {device}. Reinstalling did not help.",
        ),
        (
            "API returns 500 on /v2/orders",
            "Our integration gets HTTP 500 from /v2/orders for about one request in ten since {day}. "
            "Request IDs are in the attached log.",
        ),
        (
            "Dashboard very slow to load",
            "The dashboard takes more than {seconds} seconds to load for our team in {browser}. "
            "Other pages are fine.",
        ),
        (
            "Webhook deliveries failing",
            "Webhooks to our endpoint have failed since {day} with a timeout; our server logs "
            "show no incoming requests at all.",
        ),
        (
            "Data not syncing between devices",
            "Changes made on my {device} do not appear on the web app, even after logging out and in again.",
        ),
        (
            "File upload stuck at 99%",
            "Uploading files over {size} MB stops at 99% in {browser} and never completes.",
        ),
        (
            "Production outage: cannot load any page",
            "None of our {seats} users can load any page; everything returns error {code}. "
            "This blocks our whole support team.",
        ),
        (
            "Search returns no results",
            "Searching for customers by email returns nothing, although the records exist.",
        ),
        (
            "SSO integration broken after certificate rotation",
            "After rotating our identity provider certificate on {day}, single sign-on fails "
            "for everyone with error {code}.",
        ),
    ],
    Category.ACCOUNT: [
        (
            "Cannot log in after password reset",
            "I reset my password but the new one is rejected, and now I am locked out of my account.",
        ),
        (
            "Two-factor codes not accepted",
            "My authenticator codes are rejected since I changed phones to a {device}. "
            "How can I recover access?",
        ),
        (
            "Please change the email on my account",
            "I left my previous company and need my login email changed to my new address.",
        ),
        (
            "Account locked after failed attempts",
            "My account was locked after several failed logins that were not mine. "
            "Please unlock it and check for suspicious activity.",
        ),
        (
            "Add {seats} users to our team",
            "We need {seats} more users on our team account before {day}. What is the process?",
        ),
        (
            "Delete my account and data",
            "Please close my account and delete all my personal data, as allowed under GDPR.",
        ),
        (
            "Transfer account ownership",
            "Our account owner has left the company. Please transfer ownership to me as the new admin.",
        ),
        (
            "Verification email never arrives",
            "I signed up an hour ago but the verification email never arrived; spam folder checked.",
        ),
    ],
    Category.GENERAL: [
        (
            "Question about data retention",
            "How long do you keep closed tickets and attachments, and can we shorten that period?",
        ),
        (
            "Feature request: dark mode",
            "Several of our agents would love a dark mode for long shifts. Is it on the roadmap?",
        ),
        (
            "Where can I find the API documentation?",
            "We want to build an integration. Where is the API reference, and is there a sandbox?",
        ),
        (
            "Do you offer training for new staff?",
            "We are onboarding {seats} new agents next month. Do you run training sessions?",
        ),
        (
            "Feedback on the new editor",
            "The new ticket editor is great, but keyboard shortcuts from the old one are missing.",
        ),
        (
            "Is there a status page?",
            "Is there a public status page we can subscribe to for incidents and maintenance?",
        ),
        (
            "Request for a security questionnaire",
            "Our procurement team needs your completed security questionnaire before renewal on {day}.",
        ),
        (
            "Export all our data",
            "Before our annual review we would like a full export of our tickets. What formats are available?",
        ),
    ],
}

SLOTS = {
    "plan": ["Starter", "Team", "Business", "Enterprise"],
    "amount": ["$29.00", "$49.00", "$99.00", "$249.00", "$1,200.00"],
    "amount2": ["$19.00", "$39.00", "$79.00", "$199.00", "$990.00"],
    "invoice": [f"INV-{n}" for n in range(20410, 20490, 7)],
    "seats": ["3", "5", "10", "25", "40"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the 1st", "the 15th"],
    "code": ["500", "502", "E1043", "ERR_TIMEOUT", "403", "E2210"],
    "browser": ["Chrome", "Firefox", "Safari", "Edge"],
    "device": ["iPhone 15", "Pixel 8", "Galaxy S23", "iPad Air", "MacBook"],
    "seconds": ["20", "30", "45", "60"],
    "size": ["50", "100", "250"],
}

# How often each category and, per category, each priority comes up.
CATEGORY_WEIGHTS = {Category.TECHNICAL: 40, Category.BILLING: 25, Category.ACCOUNT: 20, Category.GENERAL: 15}
PRIORITY_WEIGHTS = {
    Category.TECHNICAL: {Priority.LOW: 10, Priority.MEDIUM: 35, Priority.HIGH: 38, Priority.CRITICAL: 17},
    Category.BILLING: {Priority.LOW: 15, Priority.MEDIUM: 45, Priority.HIGH: 32, Priority.CRITICAL: 8},
    Category.ACCOUNT: {Priority.LOW: 15, Priority.MEDIUM: 40, Priority.HIGH: 35, Priority.CRITICAL: 10},
    Category.GENERAL: {Priority.LOW: 50, Priority.MEDIUM: 40, Priority.HIGH: 9, Priority.CRITICAL: 1},
}
# Titles that only make sense as an emergency; questions are never urgent.
CRITICAL_TITLES = {"Production outage: cannot load any page"}
QUESTION_PRIORITY_WEIGHTS = {Priority.LOW: 1, Priority.MEDIUM: 1}


@dataclass(frozen=True)
class DemoTicket:
    title: str
    description: str
    category: str
    priority: str
    status: str
    created_at: datetime


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fill(rng: random.Random, text: str) -> str:
    return text.format(**{name: rng.choice(values) for name, values in SLOTS.items()})


def _created_at(rng: random.Random, *, now: datetime, days: int) -> datetime:
    """A moment in the past `days` days: weekdays busier than weekends, office
    hours busier than nights, and a little more traffic in recent weeks."""
    while True:
        # Skewed a little towards today: volume grows slowly over the period.
        day = min(int(days * rng.random() ** 1.25), days - 1)
        moment = now - timedelta(days=day)
        weekend = moment.weekday() >= 5
        if weekend and rng.random() < 0.6:
            continue
        hour = int(rng.triangular(6, 22, 11)) if rng.random() < 0.85 else rng.randrange(24)
        created = moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        if created <= now:
            return created


def _status(rng: random.Random, *, age: timedelta, priority: str) -> str:
    """Older tickets are more often done; urgent ones are handled sooner."""
    age_days = age.total_seconds() / 86400
    speed = {Priority.CRITICAL: 3.0, Priority.HIGH: 1.8, Priority.MEDIUM: 1.0, Priority.LOW: 0.6}[priority]
    progress = min(age_days * speed / 14, 1.0)  # 0: just arrived, 1: long settled
    weights = {
        Status.OPEN: max(0.04, 0.65 * (1 - progress)),
        Status.IN_PROGRESS: 0.05 + 0.3 * (1 - abs(progress - 0.3) / 0.7),
        Status.RESOLVED: 0.05 + 0.45 * progress,
        Status.CLOSED: 0.02 + 0.5 * progress**2,
    }
    return _pick(rng, weights)


def demo_tickets(*, count: int, days: int, rng: random.Random, now: datetime):
    """Yield `count` demo tickets created within the `days` days before `now`."""
    for _ in range(count):
        category = _pick(rng, CATEGORY_WEIGHTS)
        title, description = rng.choice(TEMPLATES[category])
        if title in CRITICAL_TITLES:
            priority = Priority.CRITICAL
        elif title.endswith("?"):
            priority = _pick(rng, QUESTION_PRIORITY_WEIGHTS)
        else:
            priority = _pick(rng, PRIORITY_WEIGHTS[category])
        created_at = _created_at(rng, now=now, days=days)
        yield DemoTicket(
            title=_fill(rng, title),
            description=_fill(rng, description),
            category=category.value,
            priority=priority.value,
            status=_status(rng, age=now - created_at, priority=priority).value,
            created_at=created_at,
        )


# Typical hours from creation to resolution, by priority.
HOURS_TO_RESOLVE = {Priority.CRITICAL: 3, Priority.HIGH: 10, Priority.MEDIUM: 30, Priority.LOW: 60}


def _as_ticket(demo: DemoTicket, *, rng: random.Random, now: datetime) -> Ticket:
    """The model row; a resolved or closed ticket was resolved some hours after
    it arrived (never in the future), so the time-to-resolve figures have
    something to show."""
    ticket = Ticket(**vars(demo))
    ticket.updated_at = ticket.created_at
    if demo.status in (Status.RESOLVED, Status.CLOSED):
        delay = timedelta(hours=rng.expovariate(1 / HOURS_TO_RESOLVE[Priority(demo.priority)]))
        ticket.updated_at = ticket.resolved_at = min(ticket.created_at + delay, now)
    return ticket


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo tickets spread over past weeks. "
        "Adds nothing when tickets exist, unless --append or --clear is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="How many tickets (default 300).")
        parser.add_argument(
            "--days", type=int, default=60, help="Spread them over this many past days (default 60)."
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument("--clear", action="store_true", help="Delete every existing ticket first.")
        existing.add_argument("--append", action="store_true", help="Add to the existing tickets.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for a repeatable set.")

    def handle(self, *args, count, days, clear, append, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if days < 1:
            raise CommandError("--days must be at least 1.")

        with transaction.atomic():
            existing = Ticket.objects.count()
            if existing and not (clear or append):
                self.stdout.write(
                    f"The database already holds {existing} tickets; nothing added. "
                    "Use --append to add more or --clear to replace them."
                )
                return
            if clear and existing:
                Ticket.objects.all().delete()
                self.stdout.write(f"Deleted {existing} tickets.")

            rng = random.Random(seed)
            now = timezone.now()
            tickets = (
                _as_ticket(t, rng=rng, now=now)
                for t in demo_tickets(count=count, days=days, rng=rng, now=now)
            )
            created = 0
            while batch := [t for _, t in zip(range(BATCH_SIZE), tickets, strict=False)]:
                Ticket.objects.bulk_create(batch)
                created += len(batch)

        self.stdout.write(self.style.SUCCESS(f"Created {created} demo tickets over the past {days} days."))
