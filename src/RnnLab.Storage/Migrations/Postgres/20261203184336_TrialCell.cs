using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RnnLab.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrialCell : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cell",
                table: "trials",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // Trials stored before the column existed get their cell from the parameters they were created with.
            migrationBuilder.Sql("UPDATE trials SET cell = parameters_json ->> 'cell' WHERE jsonb_typeof(parameters_json -> 'cell') = 'string';");

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_cell",
                table: "trials",
                columns: new[] { "sweep_id", "cell" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_cell",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "cell",
                table: "trials");
        }
    }
}
