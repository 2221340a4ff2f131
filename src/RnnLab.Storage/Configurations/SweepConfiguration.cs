using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class SweepConfiguration : IEntityTypeConfiguration<SweepEntity>
{
    public void Configure(EntityTypeBuilder<SweepEntity> builder)
    {
        builder.ToTable("sweeps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(200).IsRequired();
        builder.Property(s => s.SpecText).IsRequired();
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.IdempotencyKey).HasMaxLength(200);
        builder.HasIndex(s => s.IdempotencyKey).IsUnique();
        // Start-up looks for unfinished sweeps.
        builder.HasIndex(s => s.State);
    }
}
