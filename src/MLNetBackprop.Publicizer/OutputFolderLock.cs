namespace MLNetBackprop.Publicizer;

/// <summary>
/// An exclusive lock on an output folder, held as an open <c>.lock</c> file that no other process may open
/// (<see cref="FileShare.None"/>). Two builds of the library from one checkout run the publicizer on the same
/// <c>obj/publicized/</c> folder; the lock makes the second wait for the first and then find its outputs up to date.
/// The file stays in the folder: deleting it on release would let a waiter lock a file that a third run recreates.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _stream;

    private OutputFolderLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="folder"/> (created if missing), waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another process held the lock for longer than <paramref name="timeout"/>; the message names the lock file.</exception>
    public static OutputFolderLock Acquire(string folder, TimeSpan timeout)
    {
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, ".lock"));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new OutputFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(RetryInterval);
            }
            catch (IOException ex)
            {
                throw new TimeoutException(
                    $"could not lock {path} within {timeout.TotalSeconds:0} s: another build is publicizing into the same folder " +
                    $"or a stopped one left it open ({ex.Message})", ex);
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
