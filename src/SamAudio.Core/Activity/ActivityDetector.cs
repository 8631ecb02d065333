namespace SamAudio.Core.Activity;

/// <summary>
/// Finds where one prompt's isolated target is active, streaming: frame by frame it compares the target's
/// level with <see cref="ActivityOptions.MinLevelDb"/> and its share of the mixture's energy with
/// <see cref="ActivityOptions.MinEnergyShare"/>, bridges short gaps and drops short regions. A region's score is the
/// mean share of the mixture's energy that the target holds over its active frames; its confidence is that score, or
/// the probability of a true event at it when the options carry a calibration (<see cref="ActivityOptions.Confidence"/>).
/// Times are on the recording's timeline (the constructor's timelineOffsetSeconds is the item's start).
/// </summary>
public sealed class ActivityDetector
{
    private const double Epsilon = 1e-20;
    private readonly ActivityOptions _options;
    private readonly int _frameSamples;
    private readonly int _sampleRate;
    private readonly double _offset;
    private readonly int _maxGapFrames;
    private readonly List<ActivityRegion> _regions = [];

    private readonly ActivityFrames _meter;
    private long _totalSamples;
    private long _frameIndex;

    private long _regionStart = -1;
    private long _regionLastActive;
    private double _regionTargetEnergy;
    private long _regionSamples;
    private double _regionShareSum;
    private int _regionActiveFrames;
    private double _regionPeakShare;
    private double _gapTargetEnergy;
    private long _gapSamples;

    public ActivityDetector(int sampleRate, double timelineOffsetSeconds, ActivityOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        _options = options ?? new ActivityOptions();
        _options.Validate();
        _sampleRate = sampleRate;
        _offset = timelineOffsetSeconds;
        _frameSamples = ActivityFrames.FrameSamples(sampleRate, _options);
        _meter = new ActivityFrames(sampleRate, _options);
        _maxGapFrames = (int)Math.Floor(_options.MaxGapSeconds / _options.FrameSeconds + 1e-9);
    }

    /// <summary>Regions found; filled by <see cref="Complete"/> or <see cref="Detect"/>.</summary>
    public IReadOnlyList<ActivityRegion> Regions => _regions;

    /// <summary>Adds the next samples of the mixture and the target (equal lengths).</summary>
    public void Add(ReadOnlySpan<float> mixture, ReadOnlySpan<float> target) => _meter.Add(mixture, target);

    /// <summary>
    /// Regions of a whole item from its frames, in order (for example the frames of its shards put end to end):
    /// the same regions as adding the samples themselves. Use a new detector per item.
    /// </summary>
    public IReadOnlyList<ActivityRegion> Detect(IEnumerable<ActivityFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        foreach (var frame in frames)
        {
            CloseFrame(frame);
        }

        CloseRegion();
        return _regions;
    }

    /// <summary>Closes the last frame of the samples added and returns every region.</summary>
    public IReadOnlyList<ActivityRegion> Complete() => Detect(_meter.Complete());

    private void CloseFrame(ActivityFrame frame)
    {
        int n = frame.Samples;
        double frameTarget = frame.TargetEnergy;
        _totalSamples += n;
        double levelDb = 10 * Math.Log10(frameTarget / n + Epsilon);
        double share = Math.Min(1, frameTarget / (frame.MixtureEnergy + Epsilon));
        bool active = levelDb >= _options.MinLevelDb && share >= _options.MinEnergyShare;
        if (active)
        {
            if (_regionStart >= 0 && _frameIndex - _regionLastActive - 1 > _maxGapFrames)
            {
                CloseRegion();
            }

            if (_regionStart < 0)
            {
                _regionStart = _frameIndex;
                _regionTargetEnergy = 0;
                _regionSamples = 0;
                _regionShareSum = 0;
                _regionActiveFrames = 0;
                _regionPeakShare = 0;
                _gapTargetEnergy = 0;
                _gapSamples = 0;
            }

            // A bridged gap becomes part of the region only once activity resumes after it.
            _regionTargetEnergy += _gapTargetEnergy + frameTarget;
            _regionSamples += _gapSamples + n;
            _gapTargetEnergy = 0;
            _gapSamples = 0;
            _regionLastActive = _frameIndex;
            _regionShareSum += share;
            _regionActiveFrames++;
            _regionPeakShare = Math.Max(_regionPeakShare, share);
        }
        else if (_regionStart >= 0)
        {
            _gapTargetEnergy += frameTarget;
            _gapSamples += n;
        }

        _frameIndex++;
    }

    private void CloseRegion()
    {
        if (_regionStart < 0)
        {
            return;
        }

        long startSample = _regionStart * _frameSamples;
        long endSample = Math.Min((_regionLastActive + 1) * _frameSamples, _totalSamples);
        double seconds = (endSample - startSample) / (double)_sampleRate;
        bool seeded = _options.SeedEnergyShare is not { } seed || _regionPeakShare >= seed;
        if (seconds >= _options.MinRegionSeconds - 1e-9 && seeded)
        {
            double level = 10 * Math.Log10(_regionTargetEnergy / Math.Max(1, _regionSamples) + Epsilon);
            double score = _regionShareSum / _regionActiveFrames;
            _regions.Add(new ActivityRegion(
                _offset + startSample / (double)_sampleRate,
                _offset + endSample / (double)_sampleRate,
                Math.Round(level, 2),
                Math.Round(_options.Confidence?.Probability(score) ?? score, 3)));
        }

        _regionStart = -1;
    }
}
