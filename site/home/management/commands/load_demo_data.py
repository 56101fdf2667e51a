"""Load the demo program: pages in Swedish and English, one login per role, teams and their
improvement projects.

Idempotent: run it again and it only adds what is missing. It grows with every feature.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.users.models import UserProfile

from forms.demo import load_forms_demo
from forum_workflows.demo import load_program_demo
from forum_workflows.demo_people import load_people_demo
from forum_workflows.demo_projects import load_projects_demo
from home.models import Organiser, SiteBranding
from home.site_tree import ensure_site_tree

#: Demo logins only; never load the demo data into a real installation.
DEMO_PASSWORD = "demo-lösenord-2026"  # noqa: S105

DEMO_ORGANISERS = ["Idéburna vårdgivares riksförbund", "Regionalt förbättringscentrum"]

DEMO_USERS = [
    # key, email, full name, role shown to the person starting the demo, superuser, groups,
    # language
    ("admin", "admin@example.org", "Astrid Admin", "administrator (Wagtail admin)", True, [],
     "sv"),
    ("editor", "redaktor@example.org", "Erik Redaktör", "editor (Wagtail admin)", False,
     ["Editors"], "sv"),
    ("manager", "programledare@example.org", "Paula Programledare",
     "programme manager (People in the admin)", False, ["Programme managers"], "sv"),
    ("member", "team@example.org", "Tove Teammedlem", "team member", False, [], "sv"),
    ("coach", "coach@example.org", "Camilla Coach", "improvement coach and faculty", False, [],
     "en"),
    ("sponsor", "chef@example.org", "Sara Chef", "sponsor (ansvarig chef)", False, [], "sv"),
    ("contact", "kontakt@example.org", "Karl Kontakt", "organisation contact", False, [], "sv"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Load the demo program (idempotent) and print its logins."

    def handle(self, *args, **options):
        homes = self.load()
        # Printed after the commit, so the logins come last, after the mails the demo's stage
        # events send (the console shows them in development).
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Site: http://127.0.0.1:8000{homes['sv'].url}  (English: /en/)")
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
        self.stdout.write(
            "Try a form (log in as admin): http://127.0.0.1:8000/sv/forms/fiskbensdiagram/try/"
        )
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        for _key, email, _name, role, *_rest in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role}")

    @transaction.atomic
    def load(self):
        homes = ensure_site_tree()
        statement = load_program_demo(homes)
        load_forms_demo()
        self.load_branding(homes["sv"].get_site(), statement)
        User = get_user_model()
        logins = {}
        for key, email, name, _role, is_superuser, groups, language in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=name,
                    is_superuser=is_superuser,
                    is_staff=is_superuser or bool(groups),
                )
                user.groups.set(Group.objects.filter(name__in=groups))
            profile = UserProfile.get_for_user(user)
            if not profile.preferred_language:  # keep what the person chose since
                profile.preferred_language = language
                profile.save(update_fields=["preferred_language"])
            logins[key] = user
        load_people_demo(logins)
        load_projects_demo(logins)
        return homes

    def load_branding(self, site, accessibility_statement):
        branding = SiteBranding.for_site(site)
        if branding.accessibility_statement_id is None:
            branding.accessibility_statement = accessibility_statement
            branding.save()
        if not branding.contact_email:
            branding.contact_email = "info@vardeforum.example.org"
            branding.contact_phone = "08-123 45 67"
            branding.contact_address = "Värdeforum\nBox 123\n111 22 Stockholm"
            branding.save()
        if not branding.organisers.exists():
            for order, name in enumerate(DEMO_ORGANISERS):
                Organiser.objects.create(branding=branding, name=name, sort_order=order)
