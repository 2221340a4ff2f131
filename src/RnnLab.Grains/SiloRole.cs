namespace RnnLab.Grains;

/// <summary>What a silo does: everything, only grains and the API, or only run trials.</summary>
public enum SiloRole
{
    All,
    Api,
    Worker,
}
