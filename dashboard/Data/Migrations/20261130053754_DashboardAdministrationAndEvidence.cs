using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class DashboardAdministrationAndEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuthorId",
                table: "Posts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Revocation",
                table: "Authorisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RevokedAtUtc",
                table: "Authorisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "Audit",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "Audit",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "Audit",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AcknowledgedAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            // Alerts already answered: the first triage step that took them out of "new", from the audit log.
            migrationBuilder.Sql("""
                UPDATE "Alerts" SET "AcknowledgedAtUtc" = (
                    SELECT MIN(a."AtUtc") FROM "Audit" a
                    WHERE a."Target" = 'alert:' || "Alerts"."Id"
                      AND a."Action" IN ('alert.take', 'alert.acknowledge', 'alert.escalate', 'alert.close', 'alert.confirm', 'alert.dismiss'))
                WHERE "Status" <> 'new';
                """);

            migrationBuilder.CreateTable(
                name: "CrawlRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Pages = table.Column<int>(type: "INTEGER", nullable: false),
                    PostsExamined = table.Column<int>(type: "INTEGER", nullable: false),
                    NewPosts = table.Column<int>(type: "INTEGER", nullable: false),
                    NewAlerts = table.Column<int>(type: "INTEGER", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrawlRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Settings", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_Sequence",
                table: "Audit",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CrawlRuns_StartedAtUtc_SourceId",
                table: "CrawlRuns",
                columns: new[] { "StartedAtUtc", "SourceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CrawlRuns");

            migrationBuilder.DropTable(
                name: "Settings");

            migrationBuilder.DropIndex(
                name: "IX_Audit_Sequence",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "AuthorId",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "Revocation",
                table: "Authorisations");

            migrationBuilder.DropColumn(
                name: "RevokedAtUtc",
                table: "Authorisations");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAtUtc",
                table: "Alerts");
        }
    }
}
