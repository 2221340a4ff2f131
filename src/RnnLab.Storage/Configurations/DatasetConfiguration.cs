using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<DatasetEntity>
{
    public void Configure(EntityTypeBuilder<DatasetEntity> builder)
    {
        builder.ToTable("datasets");
        builder.HasKey(d => d.Sha256);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.Name).HasMaxLength(DatasetNames.MaxLength).IsRequired();
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Format).HasMaxLength(16).IsRequired();
        builder.Property(d => d.Bytes).IsRequired();
    }
}
