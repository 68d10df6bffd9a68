using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlertGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "GroupId",
                table: "Alerts",
                type: "INTEGER",
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

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_GroupId",
                table: "Alerts",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertContacts_Contact",
                table: "AlertContacts",
                column: "Contact");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertContacts");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_GroupId",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "Alerts");
        }
    }
}
