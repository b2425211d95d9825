// The conformance cases measure memory, descriptors and CPU of servers; on 2 cores, running them side by side
// would make those measurements, and the suite, flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
