import django.core.validators
from django.db import migrations, models


def monthly_to_weekly(apps, schema_editor):
    # A month's asks spread over about four weeks, rounded up so a target never becomes 0.
    User = apps.get_model("accounts", "User")
    for pk, monthly in User.objects.values_list("pk", "target_referral_asks_per_week"):
        User.objects.filter(pk=pk).update(target_referral_asks_per_week=(monthly + 3) // 4)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="user",
            old_name="target_referral_asks_per_month",
            new_name="target_referral_asks_per_week",
        ),
        migrations.AlterField(
            model_name="user",
            name="target_referral_asks_per_week",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(500),
                ],
            ),
        ),
        migrations.RunPython(monthly_to_weekly, migrations.RunPython.noop),
        migrations.AddField(
            model_name="user",
            name="target_given_per_week",
            field=models.PositiveSmallIntegerField(
                default=2,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(500),
                ],
            ),
        ),
    ]
