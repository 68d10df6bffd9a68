namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Thrown when robots.txt disallows a URL and the source has no recorded override.</summary>
public sealed class RobotsRefusedException : Exception
{
    public RobotsRefusedException()
    {
    }

    public RobotsRefusedException(string message)
        : base(message)
    {
    }

    public RobotsRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
