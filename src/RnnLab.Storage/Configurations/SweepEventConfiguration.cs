using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class SweepEventConfiguration(string jsonColumnType) : IEntityTypeConfiguration<SweepEventEntity>
{
    public void Configure(EntityTypeBuilder<SweepEventEntity> builder)
    {
        builder.ToTable("sweep_events");
        // The key doubles as the resume index for subscribers: (sweep, sequence > n).
        builder.HasKey(e => new { e.SweepId, e.Sequence });
        builder.HasOne<SweepEntity>().WithMany().HasForeignKey(e => e.SweepId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Kind).HasMaxLength(32).IsRequired();
        builder.Property(e => e.PayloadJson).HasColumnType(jsonColumnType).IsRequired();
    }
}
