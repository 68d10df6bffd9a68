using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class TriageAndSearch : Migration
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

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DueAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "GroupId",
                table: "Alerts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LegalHold",
                table: "Alerts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "Alerts",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertContacts",
                columns: table => new
                {
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertContacts", x => new { x.AlertId, x.Contact });
                    table.ForeignKey(
                        name: "FK_AlertContacts_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateTable(
                name: "IndexOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PostId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EnqueuedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IndexOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationDeliveries",
                columns: table => new
                {
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationDeliveries", x => new { x.AlertId, x.Target });
                    table.ForeignKey(
                        name: "FK_NotificationDeliveries_Alerts_AlertId",
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
                name: "IX_Alerts_GroupId",
                table: "Alerts",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Status_DueAtUtc",
                table: "Alerts",
                columns: new[] { "Status", "DueAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertContacts_Contact",
                table: "AlertContacts",
                column: "Contact");

            migrationBuilder.CreateIndex(
                name: "IX_AlertNotes_AlertId_AtUtc",
                table: "AlertNotes",
                columns: new[] { "AlertId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_IndexOutbox_NextAttemptAtUtc",
                table: "IndexOutbox",
                column: "NextAttemptAtUtc");
        
            // The first triage model had confirmed and dismissed: confirmed alerts are being handled, dismissed ones were
            // closed as false positives.
            migrationBuilder.Sql("UPDATE \"Alerts\" SET \"Status\" = 'acknowledged' WHERE \"Status\" = 'confirmed';");
            migrationBuilder.Sql("UPDATE \"Alerts\" SET \"Status\" = 'closed', \"CloseReason\" = 'false_positive', \"ClosedAtUtc\" = COALESCE(\"ClosedAtUtc\", \"TriagedAtUtc\") WHERE \"Status\" = 'dismissed';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertContacts");

            migrationBuilder.DropTable(
                name: "AlertNotes");

            migrationBuilder.DropTable(
                name: "IndexOutbox");

            migrationBuilder.DropTable(
                name: "NotificationDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_Assignee_Status",
                table: "Alerts");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_GroupId",
                table: "Alerts");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_Status_DueAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "Assignee",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "CloseReason",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "ClosedAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "DueAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "LegalHold",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "Alerts");
        }
    }
}
