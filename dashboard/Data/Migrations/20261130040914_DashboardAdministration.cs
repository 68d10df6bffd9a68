using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class DashboardAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Settings");

            migrationBuilder.DropColumn(
                name: "Revocation",
                table: "Authorisations");

            migrationBuilder.DropColumn(
                name: "RevokedAtUtc",
                table: "Authorisations");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAtUtc",
                table: "Alerts");
        }
    }
}
