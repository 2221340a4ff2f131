using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class TrialConfiguration(string jsonColumnType) : IEntityTypeConfiguration<TrialEntity>
{
    public void Configure(EntityTypeBuilder<TrialEntity> builder)
    {
        builder.ToTable("trials");
        builder.HasKey(t => t.Id);
        builder.HasOne<SweepEntity>().WithMany().HasForeignKey(t => t.SweepId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.ParametersJson).HasColumnType(jsonColumnType).IsRequired();
        builder.Property(t => t.ResultJson).HasColumnType(jsonColumnType);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Worker).HasMaxLength(200);
        builder.Property(t => t.Cell).HasMaxLength(200);
        builder.HasIndex(t => new { t.SweepId, t.Number }).IsUnique();
        // The API lists a sweep's trials by state and ranks them by their objective; pages seek to an
        // (objective, number) key, of the whole sweep or of one cell, as a range of one of the last two.
        builder.HasIndex(t => new { t.SweepId, t.State });
        builder.HasIndex(t => new { t.SweepId, t.Objective, t.Number });
        builder.HasIndex(t => new { t.SweepId, t.Cell, t.Objective, t.Number });
    }
}
