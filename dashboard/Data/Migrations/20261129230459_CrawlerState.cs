using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class CrawlerState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AllowPrivateNetwork",
                table: "Sources",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ExamCritical",
                table: "Sources",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IgnoreRobots",
                table: "Sources",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "IgnoreRobotsReason",
                table: "Sources",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "MinDelaySeconds",
                table: "Sources",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Profile",
                table: "Sources",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ContentHash",
                table: "Posts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "SimHash",
                table: "Posts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "WarcFile",
                table: "Posts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "WarcLength",
                table: "Posts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "WarcOffset",
                table: "Posts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "WarcRecordId",
                table: "Posts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "CrawlThreads",
                columns: table => new
                {
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    ThreadId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReplyCount = table.Column<int>(type: "INTEGER", nullable: true),
                    LastPageUrl = table.Column<string>(type: "TEXT", nullable: true),
                    ETag = table.Column<string>(type: "TEXT", nullable: true),
                    LastModified = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrawlThreads", x => new { x.SourceId, x.ThreadId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Posts_ContentHash",
                table: "Posts",
                column: "ContentHash");

            migrationBuilder.CreateIndex(
                name: "IX_Posts_SimHash",
                table: "Posts",
                column: "SimHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CrawlThreads");

            migrationBuilder.DropIndex(
                name: "IX_Posts_ContentHash",
                table: "Posts");

            migrationBuilder.DropIndex(
                name: "IX_Posts_SimHash",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "AllowPrivateNetwork",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "ExamCritical",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "IgnoreRobots",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "IgnoreRobotsReason",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "MinDelaySeconds",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "Profile",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "SimHash",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "WarcFile",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "WarcLength",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "WarcOffset",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "WarcRecordId",
                table: "Posts");
        }
    }
}
