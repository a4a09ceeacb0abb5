import Glibc

/// How the network's OpenMP threads wait for each other.
///
/// libgomp reads `OMP_WAIT_POLICY` once, when it loads — before any of our code runs — and by
/// default a thread that reaches a barrier first spins. On a busy machine the spinner burns the
/// time slice its partner needs: a single image (`classify`, `predict`) ran 4× slower than with
/// sleeping waits (BENCHMARKS.md, Backbones), while batches lose nothing by sleeping. So the tool
/// restarts itself once with `OMP_WAIT_POLICY=passive` unless the user chose a policy.
enum OpenMPWaiting {
    /// Replaces this process with itself, same arguments, `OMP_WAIT_POLICY=passive` added, unless
    /// the variable is set already; when the restart fails the tool goes on as it is.
    static func restartWithPassiveWaitingUnlessChosen() {
        guard getenv("OMP_WAIT_POLICY") == nil, setenv("OMP_WAIT_POLICY", "passive", 1) == 0 else { return }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
