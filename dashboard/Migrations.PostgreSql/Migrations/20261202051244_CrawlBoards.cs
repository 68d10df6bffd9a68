using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class CrawlBoards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CrawlBoards",
                columns: table => new
                {
                    SourceId = table.Column<int>(type: "integer", nullable: false),
                    BoardUrl = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SweepNextPageUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SweepDone = table.Column<bool>(type: "boolean", nullable: false),
                    PagesRead = table.Column<int>(type: "integer", nullable: false),
                    PagesTotal = table.Column<int>(type: "integer", nullable: true),
                    Threads = table.Column<int>(type: "integer", nullable: false),
                    Posts = table.Column<int>(type: "integer", nullable: false),
                    ElapsedSeconds = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrawlBoards", x => new { x.SourceId, x.BoardUrl });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CrawlBoards");
        }
    }
}
