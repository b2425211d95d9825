namespace IoModels.LoadGen.TimeSeries;

/// <summary>
/// A write-only stream that drops a UTF-8 byte-order mark at its very start. HdrHistogram.NET's log writer writes
/// UTF-16 with a mark; transcoded to UTF-8 the mark would remain, and the Java log tools would read it as part of the
/// first line.
/// </summary>
internal sealed class BomlessStream(Stream inner) : Stream
{
    private static readonly byte[] s_utf8Bom = [0xEF, 0xBB, 0xBF];
    private int _checked;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // The mark may arrive split across writes: compare byte by byte until three bytes are seen or one differs.
        while (_checked < s_utf8Bom.Length && !buffer.IsEmpty)
        {
            if (buffer[0] != s_utf8Bom[_checked])
            {
                inner.Write(s_utf8Bom, 0, _checked);
                _checked = s_utf8Bom.Length;
                break;
            }

            buffer = buffer[1..];
            _checked++;
        }

        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
