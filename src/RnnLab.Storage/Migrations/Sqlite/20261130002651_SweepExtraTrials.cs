using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RnnLab.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SweepExtraTrials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "extra_trials",
                table: "sweeps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "extra_trials",
                table: "sweeps");
        }
    }
}
