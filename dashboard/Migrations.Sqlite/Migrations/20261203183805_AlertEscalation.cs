using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AlertEscalation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EscalatedAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedBy",
                table: "Alerts",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedTo",
                table: "Alerts",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationContact",
                table: "Alerts",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReceipt",
                table: "Alerts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EscalatedAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EscalatedBy",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EscalatedTo",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EscalationContact",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EscalationReceipt",
                table: "Alerts");
        }
    }
}
