using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamNetWatch.Dashboard.Data.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ChatSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sources registered before group chats existed are forums.
            migrationBuilder.AddColumn<string>(
                name: "ChatGroupId",
                table: "Sources",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChatMember",
                table: "Sources",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Sources",
                type: "text",
                nullable: false,
                defaultValue: "forum");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChatGroupId",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "ChatMember",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Sources");
        }
    }
}
