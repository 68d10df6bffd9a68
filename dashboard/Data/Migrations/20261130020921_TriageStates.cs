using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class TriageStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Assignee",
                table: "Alerts",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CloseReason",
                table: "Alerts",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertNotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertNotes_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Assignee_Status",
                table: "Alerts",
                columns: new[] { "Assignee", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertNotes_AlertId_AtUtc",
                table: "AlertNotes",
                columns: new[] { "AlertId", "AtUtc" });
        
            // The first triage model had confirmed and dismissed: confirmed alerts are being handled, dismissed ones were
            // closed as false positives.
            migrationBuilder.Sql("UPDATE \"Alerts\" SET \"Status\" = 'acknowledged' WHERE \"Status\" = 'confirmed';");
            migrationBuilder.Sql("UPDATE \"Alerts\" SET \"Status\" = 'closed', \"CloseReason\" = 'false_positive', \"ClosedAtUtc\" = COALESCE(\"ClosedAtUtc\", \"TriagedAtUtc\") WHERE \"Status\" = 'dismissed';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertNotes");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_Assignee_Status",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "Assignee",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "CloseReason",
                table: "Alerts");
        }
    }
}
