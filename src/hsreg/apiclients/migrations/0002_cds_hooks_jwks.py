"""The JWKS address of an API client calling the CDS Hooks services (hsreg.cdshooks)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apiclients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apiclient",
            name="jwks_url",
            field=models.URLField(
                blank=True,
                help_text=(
                    "Where the client publishes the public keys it signs its CDS Hooks calls "
                    "with; empty: the client may not call the CDS services."
                ),
                max_length=500,
                verbose_name="JWKS address (CDS Hooks)",
            ),
        ),
    ]
