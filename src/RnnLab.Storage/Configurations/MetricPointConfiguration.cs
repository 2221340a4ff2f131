using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPointEntity>
{
    public void Configure(EntityTypeBuilder<MetricPointEntity> builder)
    {
        builder.ToTable("metric_points");
        // A surrogate key keeps bulk COPY free of conflicts; resumes delete the points past the checkpoint.
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedOnAdd();
        builder.HasOne<TrialEntity>().WithMany().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Name).HasMaxLength(100).IsRequired();
        builder.HasIndex(m => new { m.TrialId, m.Epoch });
    }
}
