from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_claim_failure"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("province_admin", "省平台管理员"),
                    ("reporting_reviewer", "报送单位审核员"),
                    ("unit_admin", "单位管理员"),
                    ("learner", "申报人"),
                    ("volunteer_manager", "志愿者工作群管理人员"),
                ],
                default="learner",
                max_length=24,
                verbose_name="角色",
            ),
        ),
    ]
