using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RnnLab.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrialSeekIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_cell",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_objective",
                table: "trials");

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_cell_objective_number",
                table: "trials",
                columns: new[] { "sweep_id", "cell", "objective", "number" });

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_objective_number",
                table: "trials",
                columns: new[] { "sweep_id", "objective", "number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_cell_objective_number",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_objective_number",
                table: "trials");

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_cell",
                table: "trials",
                columns: new[] { "sweep_id", "cell" });

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_objective",
                table: "trials",
                columns: new[] { "sweep_id", "objective" });
        }
    }
}
