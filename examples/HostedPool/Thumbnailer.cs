using System.Security.Cryptography;

namespace Actorpool.Examples.HostedPool;

/// <summary>Per-worker state: a scratch buffer built once per worker and reused by every job it runs.</summary>
public sealed class Thumbnailer(int index)
{
    private readonly byte[] _pixels = new byte[64 * 1024];

    public int Index { get; } = index;

    /// <summary>Stands in for resizing an image (some milliseconds of CPU): hashes a buffer seeded from the job id, repeatedly.</summary>
    public string Render(int jobId)
    {
        _pixels.AsSpan().Fill((byte)jobId);
        Span<byte> hash = stackalloc byte[32];
        for (var round = 0; round < 256; round++)
        {
            SHA256.HashData(_pixels, hash);
            hash.CopyTo(_pixels);
        }

        return Convert.ToHexString(hash)[..8];
    }
}
