"""The portal's pages: shared lists (lists.py), nomination pages (nominations.py), evidence files
(attachments.py), the 报名表 and 承诺书 (documents.py), the results' freshness for the 判定更新中 banner
(freshness.py)."""

from jixing.portal.views.attachments import attachment_delete, attachment_download, attachment_upload
from jixing.portal.views.documents import nomination_document
from jixing.portal.views.freshness import results_freshness
from jixing.portal.views.lists import home, learner_list, nomination_list, org_list, role_list
from jixing.portal.views.nominations import (
    nomination_act,
    nomination_autosave,
    nomination_detail,
    nomination_edit,
    nomination_pick,
    nomination_start,
)

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "home",
    "learner_list",
    "nomination_act",
    "nomination_autosave",
    "nomination_detail",
    "nomination_document",
    "nomination_edit",
    "nomination_list",
    "nomination_pick",
    "nomination_start",
    "org_list",
    "results_freshness",
    "role_list",
]
