import COpenBLAS
import Foundation

/// OpenBLAS kernel selection. Debian's OpenBLAS 0.3.21 does not recognise recent CPUs and
/// falls back to its generic `Prescott` kernel, four times slower on this model's products.
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, before `main`, so the only
/// fix from inside the process is to re-execute once with the variable set. A value the
/// user or the machine already set is never overridden.
public enum BLASRuntime {
    /// The kernel OpenBLAS is using (`openblas_get_corename`).
    public static var kernel: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The OpenBLAS kernel this CPU supports best, from `/proc/cpuinfo` flags.
    public static func supportedCoreType(cpuFlags: Set<String> = cpuFlags()) -> String? {
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") {
            return "SkylakeX"
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// Whether OpenBLAS fell back to a generic kernel the CPU outgrows.
    public static func isFallback(kernel: String, supported: String?) -> Bool {
        guard supported != nil else { return false }
        let k = kernel.lowercased()
        return ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "generic", "unknown"].contains(k)
    }

    /// Re-executes the current process once with `OPENBLAS_CORETYPE` set when OpenBLAS
    /// chose a fallback kernel and the variable is unset. Returns (no exec) otherwise.
    public static func reexecWithSupportedKernelIfNeeded() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env["KB_BLAS_REEXEC"] == nil,
            let supported = supportedCoreType(), isFallback(kernel: kernel, supported: supported)
        else { return }
        setenv("OPENBLAS_CORETYPE", supported, 1)
        setenv("KB_BLAS_REEXEC", "1", 1)  // loop guard
        let args = CommandLine.arguments
        var cArgs = args.map { strdup($0) }
        cArgs.append(nil)
        execv("/proc/self/exe", &cArgs)
        // exec failed: carry on with the fallback kernel.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// One OpenBLAS thread per caller: `kb` runs its own two workers instead.
    public static func useSingleThreadedBLAS() {
        openblas_set_num_threads(1)
    }

    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
