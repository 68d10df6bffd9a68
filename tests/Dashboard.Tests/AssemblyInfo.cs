// The servers these tests start use Hangfire, whose configuration is process-wide: one server at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
