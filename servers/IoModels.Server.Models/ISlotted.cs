namespace IoModels.Server.Models;

/// <summary>A connection that knows its number in its loop's <see cref="SlotTable{T}"/>.</summary>
internal interface ISlotted
{
    int Slot { get; }
}
