using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class CheckpointConfiguration : IEntityTypeConfiguration<CheckpointEntity>
{
    public void Configure(EntityTypeBuilder<CheckpointEntity> builder)
    {
        builder.ToTable("checkpoints");
        builder.HasKey(c => new { c.TrialId, c.Epoch });
        builder.HasOne<TrialEntity>().WithMany().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Bytes).IsRequired();
    }
}
