from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="userpreference",
            name="language",
            field=models.CharField(blank=True, max_length=16),
        ),
    ]
