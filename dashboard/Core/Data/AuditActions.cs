namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// The actions the audit log records, as stored in its <c>action</c> column: one definition for the code that writes
/// them, the pages and reports that read them and the labels staff see. The strings are part of the stored record and
/// never change.
/// </summary>
public static class AuditActions
{
    public const string AlertRaise = "alert.raise";
    public const string AlertConfirm = "alert.confirm";
    public const string AlertDismiss = "alert.dismiss";
    public const string AlertView = "alert.view";
    public const string AlertTake = "alert.take";
    public const string AlertAssign = "alert.assign";
    public const string AlertAcknowledge = "alert.acknowledge";
    public const string AlertEscalate = "alert.escalate";
    public const string AlertReceipt = "alert.receipt";
    public const string AlertClose = "alert.close";
    public const string AlertReopen = "alert.reopen";
    public const string AlertNote = "alert.note";
    public const string AlertViewCapture = "alert.view-capture";
    public const string AlertTag = "alert.tag";
    public const string AlertUntag = "alert.untag";

    public const string SourceRegister = "source.register";
    public const string SourceUpdate = "source.update";
    public const string SourceDisable = "source.disable";
    public const string SourceEnable = "source.enable";
    public const string SourceRunNow = "source.run-now";
    public const string SourceSweep = "source.sweep";
    public const string SourceUnscheduled = "source.unscheduled";
    public const string SourceRobotsOverride = "source.robots-override";
    public const string SourceAllowPrivateNetwork = "source.allow-private-network";

    public const string AuthorisationRegister = "authorisation.register";
    public const string AuthorisationRevoke = "authorisation.revoke";

    public const string ChatImport = "chat.import";
    public const string ChatImportRefused = "chat.import-refused";

    public const string CrawlRefused = "crawl.refused";
    public const string CrawlRefusedUrl = "crawl.refused-url";
    public const string CrawlRefusedUrls = "crawl.refused-urls";

    public const string ExamAdd = "exam.add";
    public const string ExamRemove = "exam.remove";

    public const string RulesAdd = "rules.add";
    public const string RulesRemove = "rules.remove";
    public const string RulesImport = "rules.import";

    public const string SettingsNotifications = "settings.notifications";
    public const string SettingsNotificationsTest = "settings.notifications-test";

    public const string UserCreate = "user.create";
    public const string UserLogin = "user.login";
    public const string UserResetPassword = "user.reset-password";
    public const string UserLoginFailed = "user.login-failed";
    public const string UserRole = "user.role";
    public const string UserEnable = "user.enable";
    public const string UserDisable = "user.disable";
    public const string UserLoginLocked = "user.login-locked";
    public const string UserLoginStopped = "user.login-stopped";
    public const string UserLoginThrottled = "user.login-throttled";

    public const string RetentionPurge = "retention.purge";
    public const string RetentionCaptureDamaged = "retention.capture-damaged";

    public const string EvidenceExport = "evidence.export";

    public const string ReportSpecialCheck = "report.special-check";
}
