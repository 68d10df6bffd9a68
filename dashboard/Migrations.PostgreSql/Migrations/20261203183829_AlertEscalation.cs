using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations.PostgreSql.Migrations
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedBy",
                table: "Alerts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedTo",
                table: "Alerts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationContact",
                table: "Alerts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReceipt",
                table: "Alerts",
                type: "character varying(100)",
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
