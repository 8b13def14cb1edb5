using Davit.Uploads;

namespace Davit.Storage;

/// <summary>
/// The bytes a file is to hold, as <see cref="IFolder.CreateFileAsync"/> and <see cref="IContent.WriteAsync"/>
/// receive them: a stream, bytes the store staged itself (<see cref="IContentStaging"/>), or the bytes of a finished
/// upload session. A store that recognises staged bytes or a session of its own may take them over without copying
/// (a rename on disk, a row switch in a database) and must then remove the staging or the session as part of the
/// same write; any store may instead read them through <see cref="OpenReadAsync"/>.
/// </summary>
public sealed class FileContent
{
    private readonly Stream? stream;

    private FileContent(Stream? stream, IStagedContent? staged, UploadSession? session, IUploadSessionStore? sessions, long? length, string? contentType)
    {
        this.stream = stream;
        Staged = staged;
        Session = session;
        Sessions = sessions;
        Length = length;
        ContentType = contentType;
    }

    /// <summary>No bytes at all (LOCK on an unmapped URL creates such a file).</summary>
    public static FileContent Empty { get; } = new(Stream.Null, null, null, null, 0, null);

    /// <summary>The length the content has, or null when it is only known once the stream ends (a chunked body).</summary>
    public long? Length { get; }

    /// <summary>The media type the client sent, or null (most clients send none). A store may ignore it and derive
    /// the type from the name.</summary>
    public string? ContentType { get; }

    /// <summary>Bytes this store staged with <see cref="IContentStaging.StageAsync"/>, or null.</summary>
    public IStagedContent? Staged { get; }

    /// <summary>The finished upload session whose bytes these are, or null.</summary>
    public UploadSession? Session { get; }

    /// <summary>The session store <see cref="Session"/> belongs to, so that a store can tell its own sessions
    /// (compare by reference) from another's.</summary>
    public IUploadSessionStore? Sessions { get; }

    /// <summary>Content read from <paramref name="stream"/>, which the store reads to its end (once).</summary>
    /// <param name="stream">The bytes.</param>
    /// <param name="length">The expected length, or null when unknown.</param>
    /// <param name="contentType">The media type the client sent, or null.</param>
    public static FileContent FromStream(Stream stream, long? length, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new(stream, null, null, null, length, contentType);
    }

    /// <summary>Content the store staged itself.</summary>
    public static FileContent FromStaged(IStagedContent staged, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return new(null, staged, null, null, staged.Length, contentType);
    }

    /// <summary>The bytes of a finished upload session (all of <see cref="UploadSession.BytesSaved"/>).</summary>
    public static FileContent FromSession(UploadSession session, IUploadSessionStore sessions)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(sessions);
        return new(null, null, session, sessions, session.BytesSaved, session.ContentType);
    }

    /// <summary>Opens the bytes for reading, whatever their kind. Dispose the stream when done.</summary>
    public async ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        if (stream is not null)
        {
            // The caller's stream: reading it is the point, disposing it is not ours.
            return new NonClosingStream(stream);
        }

        if (Staged is not null)
        {
            return await Staged.OpenReadAsync(cancellationToken);
        }

        return await Sessions!.OpenReadAsync(Session!, cancellationToken);
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
