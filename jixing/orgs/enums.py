from django.db import models


class OrgLevel(models.TextChoices):
    PROVINCE = "省级", "省级"
    REPORTING_UNIT = "报送单位", "报送单位"
    COUNTY = "县级", "县级"
    UNIT = "单位", "单位"
    DEPARTMENT = "部门", "部门"


# Which level may sit under which: the tree of data-formats.md (省级 → 报送单位 → 县级 → 单位 → 部门).
# A unit may hang directly under a reporting unit (省直 units) and a department under a department.
ALLOWED_PARENT_LEVELS: dict[str, frozenset[str]] = {
    OrgLevel.PROVINCE: frozenset(),
    OrgLevel.REPORTING_UNIT: frozenset({OrgLevel.PROVINCE}),
    OrgLevel.COUNTY: frozenset({OrgLevel.REPORTING_UNIT}),
    OrgLevel.UNIT: frozenset({OrgLevel.REPORTING_UNIT, OrgLevel.COUNTY}),
    OrgLevel.DEPARTMENT: frozenset({OrgLevel.UNIT, OrgLevel.DEPARTMENT}),
}


class Sector(models.TextChoices):
    PARTY_GOVERNMENT = "党政机关", "党政机关"
    PUBLIC_INSTITUTION = "事业单位", "事业单位"
    PEOPLES_ORGANISATION = "人民团体", "人民团体"
    ENTERPRISE = "企业", "企业"
    UNIVERSITY = "高校", "高校"
    SCHOOL = "中小学", "中小学"
    SOCIAL_ORGANISATION = "社会组织", "社会组织"
    OTHER = "其他", "其他"
