# Each account's single role becomes a capacity row, without loss: a member's staff
# → one Affiliation, a municipality officer → one Assignment, the secretariat → the flag.

from django.db import migrations


def roles_to_capacities(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Affiliation = apps.get_model("accounts", "Affiliation")
    Assignment = apps.get_model("accounts", "Assignment")
    User.objects.filter(role="secretariat").update(secretariat=True)
    Affiliation.objects.bulk_create(
        [
            Affiliation(user_id=pk, organization_id=org, created_at=joined)
            for pk, org, joined in User.objects.filter(organization__isnull=False).values_list(
                "pk", "organization_id", "date_joined"
            )
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(user_id=pk, municipality_id=m, created_at=joined)
            for pk, m, joined in User.objects.filter(municipality__isnull=False).values_list(
                "pk", "municipality_id", "date_joined"
            )
        ]
    )


def capacities_to_roles(apps, schema_editor):
    """Back to one role each; an account with several capacities keeps the first of
    secretariat, officer, staff (the old schema cannot hold more)."""
    User = apps.get_model("accounts", "User")
    Affiliation = apps.get_model("accounts", "Affiliation")
    Assignment = apps.get_model("accounts", "Assignment")
    for user in User.objects.all():
        assignment = Assignment.objects.filter(user=user).order_by("pk").first()
        affiliation = Affiliation.objects.filter(user=user).order_by("pk").first()
        user.organization_id = user.municipality_id = None
        if user.secretariat:
            user.role = "secretariat"
        elif assignment is not None:
            user.role, user.municipality_id = "municipality", assignment.municipality_id
        elif affiliation is not None:
            user.role, user.organization_id = "member", affiliation.organization_id
        else:
            # No capacity at all cannot be said in the old schema: the only role without
            # a binding is the secretariat's, so the account is kept but deactivated.
            user.role, user.is_active = "secretariat", False
        user.save(update_fields=["role", "organization", "municipality", "is_active"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_capacities")]

    operations = [migrations.RunPython(roles_to_capacities, capacities_to_roles)]
