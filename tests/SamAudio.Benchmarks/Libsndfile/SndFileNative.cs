using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SamAudio.Benchmarks.Libsndfile;

/// <summary>
/// Benchmark only (the product decodes every format with managed code, docs/decisions/0001): the few libsndfile 1.x entry points a decode needs (open, read floats, seek, close, errors). The library is
/// found under its versioned names (Debian <c>libsndfile1</c>: <c>libsndfile.so.1</c>), so the -dev package is
/// not needed.
/// </summary>
internal static class SndFileNative
{
    private const string Library = "sndfile";
    private const int ReadMode = 0x10; // SFM_READ

    private static readonly string[] Candidates =
    [
        "libsndfile.so.1", "libsndfile.so", "libsndfile.1.dylib", "libsndfile.dylib", "sndfile.dll", "libsndfile-1.dll",
    ];

    static SndFileNative()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SndFileNative).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another part of this assembly installed a resolver first; default probing still finds "sndfile".
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading; throws <see cref="InvalidDataException"/> with
    /// libsndfile's message when it cannot.</summary>
    public static SndFileHandle Open(string path, out SfInfo info)
    {
        info = default;
        SndFileHandle handle;
        try
        {
            handle = OperatingSystem.IsWindows()
                ? sf_wchar_open(path, ReadMode, ref info)
                : sf_open(ref System.Text.Encoding.UTF8.GetBytes(path + "\0")[0], ReadMode, ref info);
        }
        catch (DllNotFoundException e)
        {
            throw new PlatformNotSupportedException(
                "libsndfile is needed to decode FLAC, MP3 and Ogg (Debian/Ubuntu: apt-get install libsndfile1).", e);
        }

        if (handle.IsInvalid)
        {
            var message = Marshal.PtrToStringUTF8(sf_strerror(IntPtr.Zero)) ?? "unknown error";
            handle.Dispose();
            throw new InvalidDataException($"Cannot decode '{path}': {message}");
        }

        return handle;
    }

    /// <summary>Reads up to <c>buffer.Length / channels</c> frames; returns frames read.</summary>
    public static long ReadFrames(SndFileHandle handle, Span<float> buffer, int channels) =>
        buffer.Length < channels ? 0 : sf_readf_float(handle, ref MemoryMarshal.GetReference(buffer), buffer.Length / channels);

    /// <summary>Moves to an absolute frame; returns the new position or -1.</summary>
    public static long Seek(SndFileHandle handle, long frame) => sf_seek(handle, frame, 0 /* SEEK_SET */);

    /// <summary>libsndfile's error text for <paramref name="handle"/>, or null when it holds no error.</summary>
    public static string? Error(SndFileHandle handle) =>
        sf_error(handle) == 0 ? null : Marshal.PtrToStringUTF8(sf_strerror(handle.DangerousGetHandle()));

    /// <summary>libsndfile's version string, for provenance.</summary>
    public static string Version() => Marshal.PtrToStringUTF8(sf_version_string()) ?? "libsndfile";

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        }

        return IntPtr.Zero;
    }

#pragma warning disable SYSLIB1054 // Plain blittable DllImports keep the project free of unsafe code.
    [DllImport(Library)]
    private static extern SndFileHandle sf_open(ref byte utf8Path, int mode, ref SfInfo info);

    [DllImport(Library, CharSet = CharSet.Unicode)]
    private static extern SndFileHandle sf_wchar_open([MarshalAs(UnmanagedType.LPWStr)] string path, int mode, ref SfInfo info);

    [DllImport(Library)]
    private static extern long sf_readf_float(SndFileHandle handle, ref float buffer, long frames);

    [DllImport(Library)]
    private static extern long sf_seek(SndFileHandle handle, long frames, int whence);

    [DllImport(Library)]
    private static extern int sf_error(SndFileHandle handle);

    [DllImport(Library)]
    private static extern IntPtr sf_strerror(IntPtr handle);

    [DllImport(Library)]
    private static extern IntPtr sf_version_string();

    [DllImport(Library)]
    internal static extern int sf_close(IntPtr handle);
#pragma warning restore SYSLIB1054
}

/// <summary>libsndfile's <c>SF_INFO</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SfInfo
{
    public long Frames;
    public int SampleRate;
    public int Channels;
    public int Format;
    public int Sections;
    public int Seekable;
}

/// <summary>An open libsndfile <c>SNDFILE*</c>; closing it is the handle's job.</summary>
internal sealed class SndFileHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SndFileHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => SndFileNative.sf_close(handle) == 0;
}
