using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlertSla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DueAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Status_DueAtUtc",
                table: "Alerts",
                columns: new[] { "Status", "DueAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Alerts_Status_DueAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "DueAtUtc",
                table: "Alerts");
        }
    }
}
