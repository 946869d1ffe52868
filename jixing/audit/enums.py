from django.db import models


class AuditAction(models.TextChoices):
    """Every kind of audit event, with its words for a history. The values are what the chain stores (and
    hashes): never change one, add a new member instead."""

    # A nomination's moves through the state table (nominations.domain.states.Action), "nomination.<move>".
    NOMINATION_SUBMIT = "nomination.submit", "提交申报"
    NOMINATION_APPLY = "nomination.apply", "本人申报"
    NOMINATION_CONFIRM = "nomination.confirm", "单位确认"
    NOMINATION_RETURN = "nomination.return", "退回修改"
    NOMINATION_REJECT = "nomination.reject", "不予通过"
    NOMINATION_RECALL = "nomination.recall", "撤回申报"
    NOMINATION_RECOMMEND = "nomination.recommend", "报送省平台"
    NOMINATION_REOPEN = "nomination.reopen", "重新开放"
    NOMINATION_SELECT = "nomination.select", "拟入选"
    NOMINATION_DESELECT = "nomination.deselect", "不入选"
    NOMINATION_PUBLISH = "nomination.publish", "公示"
    NOMINATION_WITHDRAW = "nomination.withdraw", "撤销"
    NOMINATION_APPROVE = "nomination.approve", "审批通过"
    NOMINATION_COMMEND = "nomination.commend", "通报表扬"
    # A nomination's other changes.
    NOMINATION_CREATE = "nomination.create", "创建申报"
    NOMINATION_CONTENT = "nomination.content", "提交的申报内容"
    NOMINATION_ATTACHMENT_ADD = "nomination.attachment_add", "上传材料"
    NOMINATION_ATTACHMENT_DELETE = "nomination.attachment_delete", "删除材料"
    NOMINATION_DECIDE = "nomination.decide", "资格条件人工判定"
    NOMINATION_OBJECTION_RECEIVED = "nomination.objection_received", "公示期间收到实名反映"
    NOMINATION_OBJECTION_HANDLED = "nomination.objection_handled", "公示异议处理"
    ATTACHMENT_DOWNLOAD = "attachment.download", "下载材料"
    NOMINATION_DOCUMENT_DOWNLOAD = "nomination.document_download", "下载报名表或承诺书"
    PACKAGE_BUILD = "package.build", "生成材料包"
    PACKAGE_DOWNLOAD = "package.download", "下载材料包"
    # A reporting unit's 推荐总表.
    LIST_PICK = "list.pick", "选入推荐名单"
    LIST_UNPICK = "list.unpick", "移出推荐名单"
    LIST_SUBMIT = "list.submit", "报送推荐总表"
    LIST_REOPEN = "list.reopen", "重新开放推荐总表"
    LIST_SCAN_ADD = "list.scan_add", "上传盖章推荐表"
    # 公示, approval, commendation, phases.
    ANNOUNCEMENT_PUBLISH = "announcement.publish", "发布公示"
    ANNOUNCEMENT_APPROVE = "announcement.approve", "登记审批"
    ANNOUNCEMENT_COMMEND = "announcement.commend", "通报表扬"
    ANNOUNCEMENT_DOCUMENT_DOWNLOAD = "announcement.document_download", "下载公示或表扬通报"
    CERTIFICATE_ISSUE = "certificate.issue", "颁发证书和奖牌"
    CERTIFICATE_REVOKE = "certificate.revoke", "撤销证书或奖牌"
    CERTIFICATE_DOWNLOAD = "certificate.download", "下载证书或奖牌"
    PHASE_EXTEND = "phase.extend", "延长阶段窗口"
    # Imports and exports.
    ORGS_IMPORT = "orgs.import", "导入组织架构"
    SNAPSHOT_IMPORT = "snapshot.import", "导入积分快照"
    ROLES_IMPORT = "roles.import", "导入角色"
    NOMINATIONS_IMPORT = "nominations.import", "导入申报"
    IMPORT_START = "import.start", "上传导入文件"
    EXPORT = "export", "下载推荐总表"
    EXPORT_FINAL_LIST = "export.final_list", "导出表扬名单"
    DEMO_LOADED = "demo.loaded", "载入演示数据"
    # Accounts and sessions.
    LOGIN = "login", "登录成功"
    LOGOUT = "logout", "退出登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    SESSION_EXPIRED = "session_expired", "会话结束"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    ACCOUNT_CREATED = "account_created", "创建账号"
    ACCOUNT_ACCESS_CHANGED = "account_access_changed", "修改账号权限"
    ACCOUNT_CLAIMED = "account_claimed", "学员认领账号"
    ACCOUNT_CLAIM_FAILED = "account_claim_failed", "认领账号核验未通过"
    TWO_FACTOR_ENROLLED = "2fa_enrolled", "绑定身份验证器"
    TWO_FACTOR_VERIFIED = "2fa_verified", "身份验证器验证通过"
    TWO_FACTOR_FAILED = "2fa_failed", "身份验证器验证失败"
    TWO_FACTOR_RESET = "2fa_reset", "重置身份验证器"
    TWO_FACTOR_CODE_ISSUED = "2fa_code_issued", "签发身份验证器绑定码"
    TWO_FACTOR_CODE_USED = "2fa_code_used", "使用身份验证器绑定码"
    TWO_FACTOR_CODE_FAILED = "2fa_code_failed", "绑定码错误或已失效"
    ACCESS_DENIED = "access_denied", "拒绝访问"

    @classmethod
    def label_of(cls, action: str) -> str:
        """The words for a stored action; an action no member names (an old or foreign event) as it is."""
        return cls(action).label if action in cls.values else action
